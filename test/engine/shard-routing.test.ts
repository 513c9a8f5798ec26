import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, type RunningEngine } from '../../src/engine/engine.ts';
import { shardFor } from '../../src/engine/store/murmur3.ts';
import { call } from '../helpers/http.ts';

describe('engine shard routing', () => {
  let engine: RunningEngine;
  before(async () => {
    engine = await startEngine({ port: 0 });
    await call(engine.url, 'PUT', '/routed', { settings: { number_of_shards: 4 } });
  });
  after(() => engine.close());

  // An id whose own shard differs from the shard of routing "tenant-a".
  const routing = 'tenant-a';
  const id = ['doc-1', 'doc-2', 'doc-3', 'doc-4', 'doc-5', 'doc-6'].find((i) => shardFor(i, 4) !== shardFor(routing, 4))!;

  it('places documents by a murmur3 hash of the routing value over the shards', () => {
    const shards = new Set(Array.from({ length: 200 }, (_, i) => shardFor(`id-${i}`, 4)));
    assert.deepEqual([...shards].sort(), [0, 1, 2, 3]);
    assert.equal(shardFor('same', 4), shardFor('same', 4));
  });

  it('finds a routed document only with the same routing', async () => {
    const put = await call(engine.url, 'PUT', `/routed/_doc/${id}?routing=${routing}`, { v: 1 });
    assert.equal(put.status, 201);
    const withRouting = await call(engine.url, 'GET', `/routed/_doc/${id}?routing=${routing}`);
    assert.equal(withRouting.status, 200);
    assert.equal(withRouting.body._routing, routing);
    const without = await call(engine.url, 'GET', `/routed/_doc/${id}`);
    assert.equal(without.status, 404);
    assert.equal(without.body.found, false);
  });

  it('misses on delete and update with the wrong routing, and leaves the document intact', async () => {
    const del = await call(engine.url, 'DELETE', `/routed/_doc/${id}`);
    assert.equal(del.status, 404);
    assert.equal(del.body.result, 'not_found');
    const upd = await call(engine.url, 'POST', `/routed/_update/${id}`, { doc: { v: 2 } });
    assert.equal(upd.status, 404);
    assert.equal((upd.body.error as { type: string }).type, 'document_missing_exception');
    const still = await call(engine.url, 'GET', `/routed/_doc/${id}?routing=${routing}`);
    assert.deepEqual(still.body._source, { v: 1 });
  });

  it('searches only the routed shards when search has a routing parameter', async () => {
    await call(engine.url, 'POST', '/routed/_refresh');
    const routed = await call<{ hits: { hits: { _id: string }[] } }>(engine.url, 'GET', `/routed/_search?routing=${routing}`);
    assert.deepEqual(routed.body.hits.hits.map((h) => h._id), [id]);
    const other = ['x', 'y', 'z', 'w'].find((r) => shardFor(r, 4) !== shardFor(routing, 4))!;
    const miss = await call<{ hits: { hits: unknown[] } }>(engine.url, 'GET', `/routed/_search?routing=${other}`);
    assert.equal(miss.body.hits.hits.length, 0);
  });
});
