import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call } from '../helpers/http.ts';
import { mapByQueryFailure } from '../../src/ops/by-query.ts';
import { resolveTarget } from '../../src/tenancy/index.ts';
import { A, A_ORDERS, assertCleanError, assertNoLeak, assertNoReserved, B, B_IDS, hitIds, seed, startTenants, total, type Body, type Hit, type Tenants } from './isolation-fixtures.ts';

type Item = Body & { hits?: { total: { value: number }; hits: Hit[] } };

/** Documents in the shared physical `orders` index, per tenant, counted on the engine itself. */
async function physicalCount(t: Tenants, tenant: string): Promise<number> {
  const res = await call<{ count: number }>(t.stack.engine.url, 'POST', '/osproxy-shared-orders/_count', { query: { term: { _tenant: tenant } } });
  assert.equal(res.status, 200, res.text);
  return res.body.count;
}

describe('delete_by_query / update_by_query through the proxy (shared placement)', () => {
  let t: Tenants;
  before(async () => {
    t = await startTenants();
  });
  beforeEach(() => seed(t));
  after(() => t.stack.close());

  it('delete_by_query match_all as globex deletes only globex’s documents', async () => {
    const res = await t.as(B, 'POST', '/orders/_delete_by_query?refresh=true', { query: { match_all: {} } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.deleted, B_IDS.length);
    assertNoLeak(res);
    assert.equal(total(await t.as(B, 'POST', '/orders/_search', {})), 0);
    assert.deepEqual(hitIds(await t.as(A, 'POST', '/orders/_search', {})), Object.keys(A_ORDERS).sort());
    assert.equal(await physicalCount(t, A), 2);
    assert.equal(await physicalCount(t, B), 0);
  });

  it('q= works and stays scoped; reserved fields in the query are refused', async () => {
    const none = await t.as(B, 'POST', '/orders/_delete_by_query?refresh=true&q=zanzibar');
    assert.equal(none.status, 200, none.text);
    assert.equal(none.body.deleted, 0);
    assert.equal(await physicalCount(t, A), 2);
    const one = await t.as(B, 'POST', '/orders/_delete_by_query?refresh=true&q=plain');
    assert.equal(one.body.deleted, 1, one.text);
    assert.deepEqual(hitIds(await t.as(B, 'POST', '/orders/_search', {})), ['g-1']);
    assertCleanError(await t.as(B, 'POST', '/orders/_delete_by_query', { query: { term: { _tenant: 'acme' } } }), ['acme'], 400);
    assertCleanError(await t.as(B, 'POST', '/orders/_update_by_query?q=_tenant:acme'), ['acme'], 400);
    assert.equal(await physicalCount(t, A), 2);
  });

  it('shared placement refuses inline scripts; conflicts=proceed passes; wait_for_completion=false is refused', async () => {
    const inline = await t.as(B, 'POST', '/orders/_update_by_query', { script: { source: 'ctx._source.n = 1' }, query: { match_all: {} } });
    assertCleanError(inline, [], 400);
    assert.equal(inline.body.osproxy?.code, 'inline_script_refused');
    const plain = await t.as(B, 'POST', '/orders/_update_by_query?conflicts=proceed&refresh=true', { query: { match_all: {} } });
    assert.equal(plain.status, 200, plain.text);
    assert.equal(plain.body.updated, B_IDS.length);
    assert.deepEqual(plain.body.failures, []);
    const async = await t.as(B, 'POST', '/orders/_delete_by_query?wait_for_completion=false', { query: { match_all: {} } });
    assertCleanError(async, [], 400);
    assert.match(async.body.error?.reason ?? '', /wait_for_completion/);
    assertCleanError(await t.as(B, 'POST', '/nope/_delete_by_query', { query: { match_all: {} } }), ['nope'], 404);
    assertCleanError(await t.as(B, 'POST', '/orders/_delete_by_query?scroll=1m', { query: { match_all: {} } }), [], 400);
  });
});

describe('update_by_query in index placement forwards scripts', () => {
  let t: Tenants;
  before(async () => {
    t = await startTenants({ placement: 'index' });
    await seed(t);
  });
  after(() => t.stack.close());

  it('the inline script runs, on the tenant’s own index only', async () => {
    const res = await t.as(B, 'POST', '/orders/_update_by_query?refresh=true&conflicts=proceed', { script: { source: 'ctx._source.n = 42' }, query: { match_all: {} } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.updated, B_IDS.length);
    assertNoLeak(res);
    const after = await t.as(B, 'POST', '/orders/_search', { query: { term: { n: 42 } } });
    assert.deepEqual(hitIds(after), B_IDS);
    assert.equal(total(await t.as(A, 'POST', '/orders/_search', { query: { term: { n: 42 } } })), 0);
  });
});

describe('msearch through the proxy (shared placement)', () => {
  let t: Tenants;
  before(async () => {
    t = await startTenants();
    await seed(t);
  });
  after(() => t.stack.close());

  const pairs = [
    { index: 'orders' }, { query: { match_all: {} } },
    { index: 'ord*' }, { query: { match: { body: 'rocket' } } },
    { index: 'missing' }, { query: { match_all: {} } },
    { index: 'orders' }, { size: 0, aggs: { all: { global: {}, aggs: { n: { sum: { field: 'n' } } } } } },
  ];

  it('four pairs: answers in order, hits mapped, per-item errors in position', async () => {
    const res = await t.as(A, 'POST', '/_msearch', pairs);
    assert.equal(res.status, 200, res.text);
    const items = res.body.responses as Item[];
    assert.equal(items.length, 4);
    assert.deepEqual((items[0].hits?.hits ?? []).map((h) => h._id).sort(), Object.keys(A_ORDERS).sort());
    assert.deepEqual((items[1].hits?.hits ?? []).map((h) => h._id), ['a-secret-1']);
    for (const item of items.slice(0, 2)) {
      assert.equal(item.status, 200);
      for (const h of item.hits?.hits ?? []) assert.equal(h._index, 'orders');
      assertNoReserved(item);
    }
    assert.equal(items[2].status, 404);
    assert.equal(items[2].error?.type, 'index_not_found_exception');
    assert.equal(items[3].status, 400);
    assert.match(items[3].error?.reason ?? '', /global/);
    assert.ok(!res.text.includes('osproxy-shared'), res.text);
  });

  it('globex’s msearch over the same names never shows acme’s documents', async () => {
    for (const path of ['/_msearch', '/orders/_msearch']) {
      const res = await t.as(B, 'POST', path, pairs);
      assert.equal(res.status, 200, res.text);
      assertNoLeak(res, ['missing']);
      const items = res.body.responses as Item[];
      assert.deepEqual((items[0].hits?.hits ?? []).map((h) => h._id).sort(), B_IDS);
      assert.deepEqual((items[1].hits?.hits ?? []).map((h) => h._id), ['g-1']);
    }
  });

  it('all-valid single-cluster msearch (streamed path) maps hits too; index from the path', async () => {
    const res = await t.as(B, 'POST', '/orders/_msearch', [{}, { query: { match_all: {} } }, { index: 'orders' }, { query: { term: { tag: 'acmetag' } } }]);
    assert.equal(res.status, 200, res.text);
    assertNoLeak(res, ['acmetag']);
    const items = res.body.responses as Item[];
    assert.deepEqual((items[0].hits?.hits ?? []).map((h) => h._id).sort(), B_IDS);
    assert.equal(items[0].hits?.hits[0]._index, 'orders');
    assertNoReserved(items);
    assert.equal(items[1].hits?.total.value, 0);
  });

  it('a malformed header fails the whole request with 400; dfs is refused per item', async () => {
    const bad = await t.as(B, 'POST', '/_msearch', '{"index":"orders"\n{"query":{"match_all":{}}}\n', { 'content-type': 'application/x-ndjson' });
    assertCleanError(bad, [], 400);
    const dfs = await t.as(B, 'POST', '/_msearch', [{ index: 'orders', search_type: 'dfs_query_then_fetch' }, { query: { match_all: {} } }]);
    assert.equal(dfs.status, 200, dfs.text);
    assert.equal((dfs.body.responses as Item[])[0].status, 400);
    const urlDfs = await t.as(B, 'POST', '/_msearch?search_type=dfs_query_then_fetch', [{ index: 'orders' }, {}]);
    assert.equal((urlDfs.body.responses as Item[])[0].status, 400, urlDfs.text);
  });
});

describe('by-query failures are mapped to the tenant’s names', () => {
  it('index, id and cause name the logical index and id; layout details dropped', () => {
    const orders = resolveTarget('globex', 'orders', { kind: 'shared', index_template: 'pool-1' });
    const other = resolveTarget('globex', 'other', { kind: 'shared', index_template: 'pool-1' });
    const pid = 'globex:other:doc-1';
    const failure = {
      index: orders.physicalIndex,
      id: pid,
      cause: { type: 'version_conflict_engine_exception', reason: `[${pid}]: version conflict`, index: orders.physicalIndex, shard: '0', index_uuid: 'u' },
      status: 409,
    };
    const mapped = mapByQueryFailure('globex', failure, [orders, other]) as Record<string, unknown>;
    assert.equal(mapped.index, 'other');
    assert.equal(mapped.id, 'doc-1');
    assert.deepEqual(mapped.cause, { type: 'version_conflict_engine_exception', reason: '[doc-1]: version conflict', index: 'other' });
    assert.equal(mapped.status, 409);
    const dedicated = resolveTarget('globex', 'orders', { kind: 'index' });
    assert.deepEqual(mapByQueryFailure('globex', { index: dedicated.physicalIndex, id: 'x', cause: { reason: `in ${dedicated.physicalIndex}` } }, [dedicated]), { index: 'orders', id: 'x', cause: { reason: 'in orders' } });
  });
});
