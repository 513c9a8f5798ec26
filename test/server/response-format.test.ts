import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { prettyJson } from '../../src/engine/rest/pretty-json.ts';
import { call, type HttpResult } from '../helpers/http.ts';
import { startStack, type Stack } from '../helpers/stack.ts';

/*
 * filter_path and pretty through the proxy in shared placement, where hits are mapped from the
 * physical ones: the client's filter is what comes back (not the hit identity osproxy asks the
 * upstream for), pretty output is OpenSearch's, and another tenant sharing the physical index
 * neither shows up in nor disturbs the answers.
 */

describe('filter_path and pretty in shared placement', () => {
  let stack: Stack;
  const as = (who: string, method: string, path: string, body?: unknown): Promise<HttpResult<Record<string, unknown>>> => call(stack.url, method, path, body, { headers: stack.auth[who] });

  before(async () => {
    stack = await startStack();
    const lines = (who: string, n: number): unknown[] => Array.from({ length: n }, (_, i) => [{ index: { _index: 'orders', _id: `${who}-${i}` } }, { n: i, who, secret: `${who}-secret` }]).flat();
    assert.equal((await call(stack.url, 'POST', '/_bulk?refresh=true', lines('acme', 3), { ndjson: true, headers: stack.auth.acme })).status, 200);
    assert.equal((await call(stack.url, 'POST', '/_bulk?refresh=true', lines('globex', 5), { ndjson: true, headers: stack.auth.globex })).status, 200);
  });
  after(() => stack.close());

  it('filter_path=hits.total returns only the total — the tenant’s own', async () => {
    const res = await as('acme', 'GET', '/orders/_search?filter_path=hits.total');
    assert.deepEqual(res.body, { hits: { total: { value: 3, relation: 'eq' } } });
    const globex = await as('globex', 'GET', '/orders/_search?filter_path=hits.total');
    assert.deepEqual(globex.body, { hits: { total: { value: 5, relation: 'eq' } } });
  });

  it('inclusions and exclusions select from the mapped hits; excluding the identity still maps', async () => {
    const only = await as('acme', 'POST', '/orders/_search?filter_path=hits.hits._source.n', { sort: [{ n: 'asc' }] });
    assert.deepEqual(only.body, { hits: { hits: [{ _source: { n: 0 } }, { _source: { n: 1 } }, { _source: { n: 2 } }] } });
    const without = await as('acme', 'POST', '/orders/_search?filter_path=-hits.hits._id,-hits.hits._source.secret,-took,-_shards,-timed_out', { sort: [{ n: 'asc' }] });
    assert.equal(without.status, 200, without.text);
    const hits = (without.body.hits as { hits: Record<string, unknown>[] }).hits;
    assert.deepEqual(hits.map((h) => [h._index, h._id, h._source]), [0, 1, 2].map((n) => ['orders', undefined, { n, who: 'acme' }]));
    assert.ok(!without.text.includes('globex') && !without.text.includes('osproxy-shared') && !without.text.includes('_tenant'), without.text);
    const ids = await as('acme', 'POST', '/orders/_search?filter_path=hits.hits._id', { sort: [{ n: 'asc' }] });
    assert.deepEqual(ids.body, { hits: { hits: [{ _id: 'acme-0' }, { _id: 'acme-1' }, { _id: 'acme-2' }] } }, 'logical ids, not acme:orders:…');
  });

  it('inclusions naming fields select the tenant’s own names (physical ones upstream), wildcards too', async () => {
    const body = { sort: [{ n: 'asc' }], fields: ['n'], highlight: { fields: { who: {} } }, query: { match: { who: 'acme' } } };
    const res = await as('acme', 'POST', '/orders/_search?filter_path=hits.hits._source.w*,hits.hits.fields.n,hits.hits.highlight.who', body);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, {
      hits: { hits: [0, 1, 2].map((n) => ({ _source: { who: 'acme' }, fields: { n: [n] }, highlight: { who: ['<em>acme</em>'] } })) },
    });
    const deep = await as('acme', 'POST', '/orders/_search?filter_path=**.secret', { sort: [{ n: 'asc' }] });
    assert.deepEqual(deep.body, { hits: { hits: [0, 1, 2].map(() => ({ _source: { secret: 'acme-secret' } })) } });
  });

  it('pretty prints search hits, a document, the mapping and errors like OpenSearch', async () => {
    for (const path of ['/orders/_search?pretty', '/orders/_doc/acme-1?pretty', '/orders/_mapping?pretty', '/orders/_doc/missing?pretty', '/nope/_search?pretty', '/orders/_search?pretty&filter_path=hits.hits._id']) {
      const res = await as('acme', 'GET', path);
      assert.equal(res.text, prettyJson(JSON.parse(res.text)), path);
      assert.ok(res.text.includes('\n  "'), path);
      assert.ok(!res.text.includes('globex') && !res.text.includes('acme:orders'), res.text);
    }
    const doc = await as('acme', 'GET', '/orders/_doc/acme-1?pretty');
    assert.equal((doc.body as { _id: string })._id, 'acme-1');
  });

  it('an error body is pretty but never filtered', async () => {
    const res = await as('acme', 'GET', '/nope/_search?filter_path=hits.total&pretty');
    assert.equal(res.status, 404);
    assert.equal((res.body.error as { type: string }).type, 'index_not_found_exception');
  });

  it('_cat/indices: h, s, bytes, v and json work on the tenant’s own indexes; health is the upstream index’s', async () => {
    assert.equal((await as('acme', 'PUT', '/archive/_doc/1?refresh=true', { n: 1 })).status, 201);
    const json = await as('acme', 'GET', '/_cat/indices?format=json&h=index,docs.count,health&s=index:desc');
    const upstream = await call<{ health: string }[]>(stack.engine.url, 'GET', '/_cat/indices/osproxy-shared-orders?format=json&h=health');
    assert.deepEqual(json.body, [{ index: 'orders', 'docs.count': '3', health: upstream.body[0].health }, { index: 'archive', 'docs.count': '1', health: upstream.body[0].health }]);
    const text = await as('acme', 'GET', '/_cat/indices?v&h=index,docs.count&s=docs.count');
    assert.equal(text.text, 'index   docs.count\narchive          1\norders           3\n');
    const health = await call<{ status: string }>(stack.url, 'GET', '/_cluster/health', undefined, { headers: stack.auth.acme });
    assert.equal(upstream.body[0].health, health.body.status, 'the same health as _cluster/health reports');
    const globex = await as('globex', 'GET', '/_cat/indices?h=index,docs.count');
    assert.equal(globex.text, 'orders 5\n');
    const unknown = await as('acme', 'GET', '/_cat/indices?s=nope');
    assert.equal(unknown.status, 500);
    assert.equal((unknown.body.error as { type: string }).type, 'unsupported_operation_exception');
  });
});
