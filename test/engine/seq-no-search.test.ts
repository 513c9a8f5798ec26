import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, type RunningEngine } from '../../src/engine/engine.ts';
import { call } from '../helpers/http.ts';

interface Hit {
  _id: string;
  _version?: number;
  _seq_no?: number;
  _primary_term?: number;
  sort?: unknown[];
}
interface SearchBody {
  hits: { hits: Hit[] };
  aggregations?: Record<string, { value: number }>;
  error?: { type: string; reason: string };
}

// The _seq_no metadata field as OpenSearch's SeqNoFieldMapper exposes it: a searchable long with doc values.
describe('engine _seq_no as a metadata field', () => {
  let engine: RunningEngine;
  const search = (body: unknown, query = '') => call<SearchBody>(engine.url, 'POST', `/sq/_search${query}`, body);
  const ids = (body: SearchBody) => body.hits.hits.map((h) => h._id);

  before(async () => {
    engine = await startEngine({ port: 0 });
    await call(engine.url, 'PUT', '/sq', { settings: { number_of_shards: 1 } });
    for (const id of ['a', 'b', 'c']) await call(engine.url, 'PUT', `/sq/_doc/${id}`, { name: id });
    await call(engine.url, 'PUT', '/sq/_doc/a?refresh=true', { name: 'a2' }); // a: seq_no 0 → 3
  });
  after(() => engine.close());

  it('answers range, term and terms queries on _seq_no', async () => {
    assert.deepEqual(ids((await search({ query: { range: { _seq_no: { gte: 2 } } } })).body), ['c', 'a']);
    assert.deepEqual(ids((await search({ query: { range: { _seq_no: { gt: 1, lt: 3 } } } })).body), ['c']);
    assert.deepEqual(ids((await search({ query: { term: { _seq_no: 1 } } })).body), ['b']);
    assert.deepEqual(ids((await search({ query: { term: { _seq_no: '2' } } })).body), ['c']);
    assert.deepEqual(ids((await search({ query: { terms: { _seq_no: [0, 1, 3] } } })).body), ['b', 'a']);
    assert.deepEqual(ids((await search({ query: { bool: { filter: { exists: { field: '_seq_no' } } } } })).body), ['b', 'c', 'a']);
  });

  it('refuses values that are not longs like SeqNoFieldType.parse', async () => {
    const decimal = await search({ query: { term: { _seq_no: 1.5 } } });
    assert.equal(decimal.status, 400);
    assert.equal(decimal.body.error?.type, 'query_shard_exception');
    assert.equal(decimal.body.error?.reason, 'failed to create query: Value [1.5] has a decimal part');
    const text = await search({ query: { range: { _seq_no: { gte: 'abc' } } } });
    assert.equal(text.status, 400);
    assert.equal(text.body.error?.reason, 'failed to create query: For input string: "abc"');
  });

  it('sorts by _seq_no both ways and pages with search_after', async () => {
    const desc = await search({ sort: [{ _seq_no: 'desc' }] });
    assert.deepEqual(ids(desc.body), ['a', 'c', 'b']);
    assert.deepEqual(desc.body.hits.hits.map((h) => h.sort), [[3], [2], [1]]);
    const asc = await search({ sort: ['_seq_no'], size: 1 });
    assert.deepEqual(ids(asc.body), ['b']);
    const next = await search({ sort: ['_seq_no'], size: 1, search_after: asc.body.hits.hits[0].sort });
    assert.deepEqual(ids(next.body), ['c']);
    const max = await search({ size: 0, aggs: { top: { max: { field: '_seq_no' } } } });
    assert.equal(max.body.aggregations?.top.value, 3);
  });

  it('returns _seq_no/_primary_term and _version per hit only when asked', async () => {
    const plain = await search({ query: { ids: { values: ['a'] } } });
    assert.equal(plain.body.hits.hits[0]._seq_no, undefined);
    assert.equal(plain.body.hits.hits[0]._version, undefined);
    const viaBody = await search({ query: { ids: { values: ['a'] } }, seq_no_primary_term: true, version: true });
    const hit = viaBody.body.hits.hits[0];
    assert.deepEqual([hit._version, hit._seq_no, hit._primary_term], [2, 3, 1]);
    assert.deepEqual(Object.keys(hit).slice(0, 6), ['_index', '_id', '_version', '_seq_no', '_primary_term', '_score']);
    const viaUrl = await search({ query: { ids: { values: ['b'] } } }, '?seq_no_primary_term=true&version=true');
    assert.deepEqual([viaUrl.body.hits.hits[0]._version, viaUrl.body.hits.hits[0]._seq_no], [1, 1]);
  });

  it('sees the new _seq_no of a document rewritten with the same source', async () => {
    const before = await search({ sort: [{ _seq_no: 'desc' }], size: 1 });
    assert.deepEqual(before.body.hits.hits[0].sort, [3]);
    const ubq = await call<Record<string, unknown>>(engine.url, 'POST', '/sq/_update_by_query?refresh=true', { query: { ids: { values: ['b'] } } });
    assert.equal(ubq.body.updated, 1);
    const afterUpdate = await search({ sort: [{ _seq_no: 'desc' }], size: 1, seq_no_primary_term: true });
    assert.equal(afterUpdate.body.hits.hits[0]._id, 'b');
    assert.deepEqual(afterUpdate.body.hits.hits[0].sort, [4]);
    assert.deepEqual(ids((await search({ query: { term: { _seq_no: 4 } } })).body), ['b']);
  });
});
