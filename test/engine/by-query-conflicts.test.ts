import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, type RunningEngine } from '../../src/engine/engine.ts';
import { call } from '../helpers/http.ts';

interface Failure {
  index: string;
  id: string;
  status: number;
  cause: { type: string; reason: string };
}
type ByQuery = Record<string, unknown> & { failures: Failure[]; error?: { type: string; reason: string } };

/**
 * _delete_by_query / _update_by_query as OpenSearch's AbstractAsyncBulkByScrollAction runs them: each
 * scroll batch is one bulk, version conflicts stop the request after their batch unless conflicts=proceed.
 */
describe('engine by-query conflicts and batches', () => {
  let engine: RunningEngine;
  let n = 0;
  const ids = async (index: string): Promise<string[]> => {
    const res = await call<{ hits: { hits: { _id: string }[] } }>(engine.url, 'POST', `/${index}/_search`, { sort: ['_id'] });
    return res.body.hits.hits.map((h) => h._id);
  };
  /** Two docs, refreshed, then doc 1 updated without a refresh: the by-query's snapshot is stale for it. */
  const staleIndex = async (docs = ['1', '2']): Promise<string> => {
    const index = `bq${++n}`;
    await call(engine.url, 'PUT', `/${index}`, { settings: { number_of_shards: 1, refresh_interval: '-1' } });
    for (const id of docs) await call(engine.url, 'PUT', `/${index}/_doc/${id}`, { v: 1 });
    await call(engine.url, 'POST', `/${index}/_refresh`);
    await call(engine.url, 'PUT', `/${index}/_doc/1`, { v: 2 });
    return index;
  };

  before(async () => {
    engine = await startEngine({ port: 0 });
  });
  after(() => engine.close());

  it('aborts after the batch with the conflict: the rest of the batch is still executed, 409 with the failure', async () => {
    const index = await staleIndex();
    const res = await call<ByQuery>(engine.url, 'POST', `/${index}/_delete_by_query`, { query: { match_all: {} } });
    assert.equal(res.status, 409);
    assert.equal(res.body.total, 2);
    assert.equal(res.body.deleted, 1);
    assert.equal(res.body.version_conflicts, 1);
    assert.equal(res.body.batches, 1);
    assert.equal(res.body.updated, undefined);
    assert.equal(res.body.failures.length, 1);
    const f = res.body.failures[0];
    assert.deepEqual([f.index, f.id, f.status, f.cause.type], [index, '1', 409, 'version_conflict_engine_exception']);
    assert.equal(f.cause.reason, '[1]: version conflict, required seqNo [0], primary term [1]. current document has seqNo [2] and primary term [1]');
    await call(engine.url, 'POST', `/${index}/_refresh`);
    assert.deepEqual(await ids(index), ['1']);
  });

  it('with conflicts=proceed executes everything, counts the conflict and answers 200 without failures', async () => {
    const index = await staleIndex();
    const res = await call<ByQuery>(engine.url, 'POST', `/${index}/_delete_by_query?conflicts=proceed&refresh=true`, { query: { match_all: {} } });
    assert.equal(res.status, 200);
    assert.deepEqual([res.body.total, res.body.deleted, res.body.version_conflicts], [2, 1, 1]);
    assert.deepEqual(res.body.failures, []);
    assert.deepEqual(await ids(index), ['1']);
  });

  it('stops at the end of the conflicting batch: later batches are not executed', async () => {
    const index = await staleIndex(['1', '2', '3']);
    const res = await call<ByQuery>(engine.url, 'POST', `/${index}/_delete_by_query?scroll_size=1&refresh=true`, { query: { match_all: {} } });
    assert.equal(res.status, 409);
    assert.deepEqual([res.body.total, res.body.deleted, res.body.batches, res.body.version_conflicts], [3, 0, 1, 1]);
    assert.deepEqual(await ids(index), ['1', '2', '3']);
    const proceed = await call<ByQuery>(engine.url, 'POST', `/${index}/_delete_by_query?scroll_size=2&conflicts=proceed&refresh=true`, { query: { match_all: {} } });
    assert.deepEqual([proceed.status, proceed.body.deleted, proceed.body.version_conflicts, proceed.body.batches], [200, 2, 1, 2]);
  });

  it('max_docs truncates each batch to what is left; proceeding conflicts do not count as processed', async () => {
    const big = await staleIndex(['1', '2', '3', '4']);
    const oneBatch = await call<ByQuery>(engine.url, 'POST', `/${big}/_delete_by_query?conflicts=proceed&max_docs=2&refresh=true`, { query: { match_all: {} } });
    assert.deepEqual([oneBatch.body.total, oneBatch.body.deleted, oneBatch.body.version_conflicts], [2, 1, 1]);
    assert.deepEqual(await ids(big), ['1', '3', '4']);
    const small = await staleIndex(['1', '2', '3', '4']);
    const batches = await call<ByQuery>(engine.url, 'POST', `/${small}/_delete_by_query?conflicts=proceed&scroll_size=1`, { query: { match_all: {} }, max_docs: 2 });
    assert.deepEqual([batches.body.total, batches.body.deleted, batches.body.version_conflicts, batches.body.batches], [2, 2, 1, 3]);
  });

  it('update_by_query reports updated and deleted, and the same conflict handling', async () => {
    const index = await staleIndex();
    const res = await call<ByQuery>(engine.url, 'POST', `/${index}/_update_by_query`, { query: { match_all: {} }, script: { source: 'ctx._source.v = 10' } });
    assert.equal(res.status, 409);
    assert.deepEqual([res.body.updated, res.body.deleted, res.body.version_conflicts, res.body.failures.length], [1, 0, 1, 1]);
    const doc2 = await call<{ _source: { v: number } }>(engine.url, 'GET', `/${index}/_doc/2`);
    assert.equal(doc2.body._source.v, 10);
    const doc1 = await call<{ _source: { v: number } }>(engine.url, 'GET', `/${index}/_doc/1`);
    assert.equal(doc1.body._source.v, 2);
    await call(engine.url, 'POST', `/${index}/_refresh`);
    const ops = await call<ByQuery>(engine.url, 'POST', `/${index}/_update_by_query?refresh=true`, {
      script: { source: "if (ctx._source.v == 10) { ctx.op = 'delete' } else { ctx.op = 'noop' }" },
    });
    assert.deepEqual([ops.status, ops.body.updated, ops.body.deleted, ops.body.noops], [200, 0, 1, 1]);
    assert.deepEqual(Object.keys(ops.body).slice(0, 6), ['took', 'timed_out', 'total', 'updated', 'deleted', 'batches']);
  });

  it('validates max_docs, scroll_size and conflicts like OpenSearch', async () => {
    const index = await staleIndex();
    const negative = await call<ByQuery>(engine.url, 'POST', `/${index}/_delete_by_query?max_docs=-1`, { query: { match_all: {} } });
    assert.deepEqual([negative.status, negative.body.error?.reason], [400, '[max_docs] parameter cannot be negative, found [-1]']);
    const zero = await call<ByQuery>(engine.url, 'POST', `/${index}/_delete_by_query?scroll_size=0`, { query: { match_all: {} } });
    assert.deepEqual([zero.status, zero.body.error?.type], [400, 'action_request_validation_exception']);
    const bad = await call<ByQuery>(engine.url, 'POST', `/${index}/_delete_by_query?conflicts=maybe`, { query: { match_all: {} } });
    assert.deepEqual([bad.status, bad.body.error?.reason], [400, 'conflicts may only be "proceed" or "abort" but was [maybe]']);
    const twice = await call<ByQuery>(engine.url, 'POST', `/${index}/_delete_by_query?max_docs=1`, { query: { match_all: {} }, max_docs: 2 });
    assert.equal(twice.status, 400);
  });
});
