import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@opensearch-project/opensearch';
import { call, type HttpResult } from '../helpers/http.ts';
import { startStack, type Stack } from '../helpers/stack.ts';

/*
 * `_field_caps` through the proxy (issue 15, item 9): a tenant sees its own fields only, under its
 * own names — in shared placement from its logical mapping, so neither a second tenant's fields
 * in the same shared index nor osproxy's physical (`__osx_…`) or reserved names ever appear — and
 * the answer is the one OpenSearch gives for an index with that mapping.
 */

type Caps = { indices: string[]; fields: Record<string, Record<string, Record<string, unknown>>> };
type Res = HttpResult<Caps & Record<string, unknown>>;

const METADATA = ['_data_stream_timestamp', '_doc_count', '_field_names', '_id', '_ignored', '_index', '_nested_path', '_routing', '_seq_no', '_source', '_version'];

describe('_field_caps, tenant-scoped', () => {
  let stack: Stack;
  const as = (who: string, method: string, path: string, body?: unknown): Promise<Res> => call(stack.url, method, path, body, { headers: stack.auth[who] });
  const ok = async (who: string, path: string, body?: unknown): Promise<Res> => {
    const res = await as(who, body === undefined ? 'GET' : 'POST', path, body);
    assert.equal(res.status, 200, `${path}: ${res.text}`);
    return res;
  };
  /** Nothing physical and none of the words of the other tenant. */
  const assertClean = (res: Res, foreign: string[]): void => {
    for (const word of ['__osx_', '_tenant', '_lindex', '_lid', 'osproxy-shared', 't-acme-', ...foreign]) assert.ok(!res.text.includes(word), `[${word}] leaked: ${res.text}`);
  };

  before(async () => {
    stack = await startStack({ tenantExtra: { acme: { indices: { logs: { kind: 'index' } } } } });
    const put = async (who: string, path: string, body: unknown): Promise<void> => {
      const res = await as(who, 'PUT', path, body);
      assert.ok(res.status < 300, `${who} ${path}: ${res.text}`);
    };
    await put('acme', '/orders', {
      mappings: { properties: { title: { type: 'text', fields: { raw: { type: 'keyword' } } }, n: { type: 'integer', meta: { unit: 'items' } }, owner: { properties: { name: { type: 'keyword' } } } } },
    });
    await put('acme', '/orders/_doc/1?refresh=true', { title: 'first order', n: 1, owner: { name: 'ann' } });
    await put('acme', '/events/_doc/1?refresh=true', { n: 5, at: '2024-01-01T00:00:00Z' });
    await put('acme', '/logs/_doc/1?refresh=true', { level: 'warn', n: 2 });
    // The second tenant in the same shared index `orders`, with other fields and another type for `n`.
    await put('globex', '/orders', { mappings: { properties: { n: { type: 'keyword' }, secret_plan: { type: 'text' } } } });
    await put('globex', '/orders/_doc/1?refresh=true', { n: 'x', secret_plan: 'take over', globex_extra: true });
  });
  after(() => stack.close());

  it('lists the tenant’s own fields of all its indexes, merged as OpenSearch does', async () => {
    const res = await ok('acme', '/_field_caps?fields=*');
    assertClean(res, ['secret_plan', 'globex_extra']);
    assert.deepEqual(res.body.indices, ['events', 'logs', 'orders']);
    assert.deepEqual(Object.keys(res.body.fields).filter((f) => !f.startsWith('_')), ['at', 'level', 'level.keyword', 'n', 'owner', 'owner.name', 'title', 'title.raw']);
    assert.deepEqual(Object.keys(res.body.fields).filter((f) => f.startsWith('_')), METADATA);
    // `n`: integer in orders (explicit), long in events (dynamic, shared) and logs (dynamic, dedicated).
    assert.deepEqual(res.body.fields.n, {
      integer: { type: 'integer', searchable: true, aggregatable: true, indices: ['orders'], meta: { unit: ['items'] } },
      long: { type: 'long', searchable: true, aggregatable: true, indices: ['events', 'logs'] },
    });
    assert.deepEqual(res.body.fields.title, { text: { type: 'text', searchable: true, aggregatable: false } });
    assert.deepEqual(res.body.fields.owner, { object: { type: 'object', searchable: false, aggregatable: false } });
    assert.deepEqual(res.body.fields.at, { date: { type: 'date', searchable: true, aggregatable: true } });
  });

  it('a second tenant sharing the physical index sees none of the first’s fields, and the reverse', async () => {
    const globex = await ok('globex', '/_field_caps?fields=*');
    assertClean(globex, ['title', 'owner', 'level', 'events', 'logs']);
    assert.deepEqual(globex.body.indices, ['orders']);
    assert.deepEqual(Object.keys(globex.body.fields).filter((f) => !f.startsWith('_')), ['globex_extra', 'n', 'secret_plan']);
    assert.deepEqual(globex.body.fields.n, { keyword: { type: 'keyword', searchable: true, aggregatable: true } });
    assert.deepEqual((await ok('acme', '/orders/_field_caps?fields=secret*,globex*')).body, { indices: ['orders'], fields: {} });
    assert.equal((await as('globex', 'GET', '/logs/_field_caps?fields=*')).status, 404, 'another tenant’s dedicated index does not exist for it');
    // The shared index itself holds both tenants' fields under physical names: the filtering is the proxy's.
    const direct = await call<Caps>(stack.engine.url, 'GET', '/osproxy-shared-*/_field_caps?fields=*');
    assert.ok(direct.text.includes('__osx_') && direct.text.includes('secret_plan') && direct.text.includes('title'), direct.text);
  });

  it('is what OpenSearch answers for an index with the tenant’s logical mapping', async () => {
    const mapping = await ok('acme', '/orders/_mapping');
    const created = await call(stack.engine.url, 'PUT', '/twin-orders', { mappings: (mapping.body.orders as { mappings: unknown }).mappings });
    assert.equal(created.status, 200, created.text);
    for (const query of ['fields=*', 'fields=n,title*', 'fields=owner.*', 'fields=_id,_source']) {
      const direct = await call<Caps>(stack.engine.url, 'GET', `/twin-orders/_field_caps?${query}`);
      const proxied = await ok('acme', `/orders/_field_caps?${query}`);
      assert.deepEqual(proxied.body, { ...direct.body, indices: ['orders'] }, query);
    }
  });

  it('include_unmapped and index_filter work on the tenant’s own indexes and documents', async () => {
    const unmapped = await ok('acme', '/orders,events/_field_caps?fields=at,title&include_unmapped=true');
    assert.deepEqual(unmapped.body.fields.at, {
      date: { type: 'date', searchable: true, aggregatable: true, indices: ['events'] },
      unmapped: { type: 'unmapped', searchable: false, aggregatable: false, indices: ['orders'] },
    });
    const filtered = await ok('acme', '/orders,events/_field_caps?fields=n', { index_filter: { range: { n: { gte: 5 } } } });
    assert.deepEqual(filtered.body, { indices: ['events'], fields: { n: { long: { type: 'long', searchable: true, aggregatable: true } } } });
    // Only globex's document in the shared index has secret_plan: no index of acme's matches.
    assert.deepEqual((await ok('acme', '/_field_caps?fields=*', { index_filter: { exists: { field: 'secret_plan' } } })).body, { indices: [], fields: {} });
    assert.deepEqual((await ok('globex', '/_field_caps?fields=n', { index_filter: { exists: { field: 'secret_plan' } } })).body.indices, ['orders']);
  });

  it('refuses what OpenSearch refuses, in its words', async () => {
    const noFields = await as('acme', 'GET', '/orders/_field_caps');
    assert.equal(noFields.status, 400);
    assert.equal((noFields.body.error as { type: string }).type, 'action_request_validation_exception');
    const badBody = await as('acme', 'POST', '/orders/_field_caps?fields=*', { query: { match_all: {} } });
    assert.equal(badBody.status, 400);
    assert.deepEqual([(badBody.body.error as { type: string }).type, (badBody.body.error as { reason: string }).reason], ['parsing_exception', 'request does not support [query]']);
    const missing = await as('acme', 'GET', '/nope/_field_caps?fields=*');
    assert.equal(missing.status, 404);
    assert.equal((missing.body.error as { type: string }).type, 'index_not_found_exception');
    assert.equal((await ok('acme', '/orders,nope/_field_caps?fields=n&ignore_unavailable=true')).body.indices.length, 1);
  });

  it('serves the official client’s fieldCaps', async () => {
    const client = new Client({ node: stack.url, headers: stack.auth.globex });
    const res = await client.fieldCaps({ index: 'orders', fields: 'secret*' });
    assert.deepEqual(res.body, { indices: ['orders'], fields: { secret_plan: { text: { type: 'text', searchable: true, aggregatable: false } } } });
  });
});
