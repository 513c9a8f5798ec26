/**
 * mapItem's shortcut for the common upstream entry (scalars and `_shards`) against the general
 * mapping it skips (mapUpstreamError over the whole entry, then the tenant's `_index`/`_id`).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isObject, type Json, type JsonObject } from '../../src/core/json.ts';
import { mapItem, type Item } from '../../src/ops/bulk-parse.ts';
import type { OpContext } from '../../src/ops/context.ts';
import { mapUpstreamError } from '../../src/ops/upstream-call.ts';
import { encodeId, resolveTarget } from '../../src/tenancy/index.ts';

const ctx = { id: 'req-1' } as OpContext;
const shared = resolveTarget('acme', 'orders', { kind: 'shared' });
const dedicated = resolveTarget('acme', 'logs', { kind: 'index' });
const sameName = resolveTarget('acme', 'events', { kind: 'cluster', cluster: 'second' });

/** What mapItem answered before the shortcut: the general mapping of every entry. */
function general(item: Item, upstream: JsonObject): JsonObject {
  const entry = Object.values(upstream)[0] as JsonObject;
  const mapped = mapUpstreamError(entry, [item.target!], new Map([[item.pid!, item.id!]]));
  return { [item.action]: { ...(isObject(mapped) ? mapped : {}), _index: item.lindex, _id: item.id! } };
}

describe('bulk item answers: the shortcut maps as the general path does', () => {
  it('gives the same answer, key order included, for every entry shape', () => {
    const entries = (t: typeof shared, pid: string): Json[] => [
      { _index: t.physicalIndex, _id: pid, _version: 1, result: 'created', _shards: { total: 2, successful: 1, failed: 0 }, _seq_no: 0, _primary_term: 1, status: 201 },
      { _id: pid, _index: t.physicalIndex, result: 'updated', status: 200, forced_refresh: true },
      { result: 'noop', status: 200 },
      { _index: t.physicalIndex, _id: pid, status: 404, result: 'not_found', index_uuid: 'abc', shard: 3, node: 'n1' },
      { _index: t.physicalIndex, _shards: { total: 1, successful: 1, failed: 0, index_uuid: 'x' }, status: 201 },
      { _index: t.physicalIndex, _id: pid, status: 409, error: { type: 'version_conflict_engine_exception', reason: `[${pid}]: version conflict, document already exists`, index: t.physicalIndex, shard: '0', index_uuid: 'u' } },
      { _index: t.physicalIndex, _id: pid, status: 400, error: { type: 'mapper_parsing_exception', reason: "failed to parse field [n__osx_abcdefghij] of type [long]. Preview of field's value: 'secret'" } },
      { _index: t.physicalIndex, result: `weird ${t.physicalIndex} text`, status: 201 },
      { _index: t.physicalIndex, result: `id ${pid} in a string`, status: 201 },
      { _index: t.physicalIndex, result: 'x__osx_abcdefghij', status: 201 },
      { _index: t.physicalIndex, _shards: { total: 2, successful: 1, failed: 1, failures: [{ shard: 0, index: t.physicalIndex, reason: { type: 'x' } }] }, status: 201 },
      { _index: t.physicalIndex, _shards: { total: '2' }, status: 201 },
      { _index: null, _id: null, status: 201, nothing: null, list: [1, 2] },
      JSON.parse('{"__proto__":{"a":1},"status":201}') as Json,
      { '1': 'integer-like key first', status: 201 },
    ];
    for (const target of [shared, dedicated, sameName]) {
      for (const id of ['7', 'x:y', 'orders']) {
        const pid = encodeId(target, 'acme', id);
        for (const entry of entries(target, pid)) {
          for (const action of ['index', 'create', 'delete'] as const) {
            const item: Item = { action, lindex: target.lindex, id, target, pid };
            const upstream = { [action]: entry } as JsonObject;
            const got = mapItem(ctx, item, upstream);
            const want = general(item, upstream);
            assert.deepEqual(got, want, JSON.stringify(entry));
            assert.equal(JSON.stringify(got), JSON.stringify(want), JSON.stringify(entry));
          }
        }
      }
    }
  });
});
