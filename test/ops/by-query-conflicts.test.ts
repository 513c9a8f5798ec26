import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call, type HttpResult } from '../helpers/http.ts';
import { startStack, type Stack } from '../helpers/stack.ts';

/*
 * _delete_by_query version conflicts through the proxy, as OpenSearch reports them (the engine
 * matches AbstractAsyncBulkByScrollAction): conflicts=abort finishes the batch with the conflict
 * and answers 409 with the failures; conflicts=proceed answers 200 and counts them. Failures name
 * the tenant's index and id, never the physical ones; a neighbour in the same shared index is
 * untouched and invisible.
 */

interface Failure { index: string; id: string; status: number; cause: { type: string; reason: string; index?: string } }
type ByQuery = Record<string, unknown> & { failures: Failure[] };

describe('_delete_by_query conflicts through the proxy (shared and dedicated placement)', () => {
  let stack: Stack;
  const as = (who: string, method: string, path: string, body?: unknown): Promise<HttpResult<ByQuery>> =>
    call<ByQuery>(stack.url, method, path, body, { headers: stack.auth[who] });

  before(async () => {
    stack = await startStack({
      tenants: ['acme', 'initech', 'globex'],
      tenantExtra: { globex: { indices: { orders: { kind: 'index' } } } },
    });
    // The operator's shared index, with refreshes under the test's control (so a stale snapshot is certain).
    const shared = await call(stack.engine.url, 'PUT', '/osproxy-shared-orders', {
      settings: { number_of_shards: 1, refresh_interval: '-1' },
      mappings: { properties: { _tenant: { type: 'keyword' }, _lindex: { type: 'keyword' } } },
    });
    assert.equal(shared.status, 200, shared.text);
    assert.equal((await as('globex', 'PUT', '/orders', { settings: { number_of_shards: 1, refresh_interval: '-1' } })).status, 200);
    for (let i = 1; i <= 3; i++) assert.equal((await as('initech', 'PUT', `/orders/_doc/${i}`, { v: 1 })).status, 201);
  });
  after(() => stack.close());

  /** Docs 1 and 2, refreshed; then doc 1 changed without a refresh: the by-query sees a stale version of it. */
  async function stale(who: string): Promise<void> {
    for (const id of ['1', '2']) assert.ok([200, 201].includes((await as(who, 'PUT', `/orders/_doc/${id}`, { v: 1 })).status));
    assert.equal((await as(who, 'POST', '/orders/_refresh')).status, 200);
    assert.equal((await as(who, 'PUT', '/orders/_doc/1', { v: 2 })).status, 200);
  }

  async function remaining(who: string): Promise<string[]> {
    await as(who, 'POST', '/orders/_refresh');
    const res = await call<{ hits: { hits: { _id: string }[] } }>(stack.url, 'POST', '/orders/_search', { sort: [{ v: 'asc' }] }, { headers: stack.auth[who] });
    return res.body.hits.hits.map((h) => h._id).sort();
  }

  for (const [who, placement, physical, physicalId] of [['acme', 'shared', 'osproxy-shared-orders', 'acme:orders:1'], ['globex', 'dedicated', 't-globex-orders', '1']] as const) {
    it(`${placement}: conflicts=abort completes the batch, then 409 with the failure in the tenant's names`, async () => {
      await stale(who);
      const res = await as(who, 'POST', '/orders/_delete_by_query', { query: { match_all: {} } });
      assert.equal(res.status, 409, res.text);
      assert.deepEqual([res.body.total, res.body.deleted, res.body.version_conflicts, res.body.batches], [2, 1, 1, 1]);
      assert.equal(res.body.failures.length, 1);
      const f = res.body.failures[0];
      assert.deepEqual([f.index, f.id, f.status, f.cause.type], ['orders', '1', 409, 'version_conflict_engine_exception']);
      assert.match(f.cause.reason, /^\[1\]: version conflict, required seqNo \[\d+\], primary term \[1\]\. current document has seqNo \[\d+\] and primary term \[1\]$/);
      assert.equal(f.cause.index, 'orders');
      assert.ok(!res.text.includes(physical), res.text);
      if (physicalId !== '1') assert.ok(!res.text.includes(physicalId), res.text);
      assert.ok(!res.text.includes('initech') && !res.text.includes('_tenant'), res.text);
      assert.deepEqual(await remaining(who), ['1']);
    });

    it(`${placement}: conflicts=proceed answers 200, counts the conflict, no failures`, async () => {
      await stale(who);
      const res = await as(who, 'POST', '/orders/_delete_by_query?conflicts=proceed&refresh=true', { query: { match_all: {} } });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual([res.body.total, res.body.deleted, res.body.version_conflicts], [2, 1, 1]);
      assert.deepEqual(res.body.failures, []);
      assert.deepEqual(await remaining(who), ['1']);
    });
  }

  it('the same answer as the engine gives directly (dedicated placement, names mapped)', async () => {
    await stale('globex');
    const direct = await call<ByQuery>(stack.engine.url, 'POST', '/t-globex-orders/_delete_by_query', { query: { match_all: {} } });
    await stale('globex');
    const proxied = await as('globex', 'POST', '/orders/_delete_by_query', { query: { match_all: {} } });
    const shape = (b: ByQuery): unknown => ({ ...b, took: 0, failures: b.failures.map((f) => ({ ...f, index: 'X', cause: { ...f.cause, index: 'X', reason: f.cause.reason.replace(/\d+/g, 'N') } })) });
    assert.equal(proxied.status, direct.status);
    const { index_uuid: _u, shard: _s, node: _n, ...directCause } = direct.body.failures[0].cause as Record<string, unknown>;
    void _u; void _s; void _n;
    assert.deepEqual(shape(proxied.body), shape({ ...direct.body, failures: [{ ...direct.body.failures[0], cause: directCause as Failure['cause'] }] }));
  });

  it('the shared neighbour’s documents were neither deleted nor counted', async () => {
    assert.deepEqual(await remaining('initech'), ['1', '2', '3']);
    const count = await call<{ count: number }>(stack.url, 'POST', '/orders/_count', {}, { headers: stack.auth.initech });
    assert.equal(count.body.count, 3);
  });
});
