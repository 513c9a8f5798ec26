import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineError } from '../../../src/engine/errors.ts';
import type { JsonObject } from '../../../src/engine/json.ts';
import { executeSearch, filterSource } from '../../../src/engine/search/index.ts';
import type { SearchOptions } from '../../../src/engine/search/types.ts';
import { makeIndex, movies } from './fixtures.ts';

const idx = movies();
const search = (body: JsonObject, opts: SearchOptions = {}) => executeSearch([idx], body, opts);
const sources = (body: JsonObject): JsonObject[] => search(body).hits.map((h) => h._source as JsonObject);

function assertError(fn: () => unknown, status: number, type: string, reason?: RegExp): void {
  assert.throws(fn, (e: EngineError) => e.status === status && e.type === type && (reason === undefined || reason.test(e.message)));
}

describe('sort (compat story sort_by_field.yaml)', () => {
  const films = makeIndex('movies', { title: { type: 'keyword' }, year: { type: 'integer' } }, [
    { title: 'The Lion King', year: 1994 },
    { title: 'The Lion King', year: 2019 },
    { title: 'Frozen', year: 2013 },
  ]);
  const years = (sort: JsonObject['sort']): number[] => executeSearch([films], { sort }, {}).hits.map((h) => (h._source as JsonObject).year as number);

  it('sorts by field asc, desc, and several keys with doc-order ties', () => {
    assert.deepEqual(years('year'), [1994, 2013, 2019]);
    assert.deepEqual(years([{ title: 'desc' }]), [1994, 2019, 2013]);
    assert.deepEqual(years([{ title: 'desc' }, { year: 'desc' }]), [2019, 1994, 2013]);
    assert.deepEqual(years(['title', 'year']), [2013, 1994, 2019]);
    assert.deepEqual(years([{ title: { order: 'asc' } }, { year: { order: 'desc' } }]), [2013, 2019, 1994]);
  });

  it('hits carry sort values and a null score', () => {
    const res = executeSearch([films], { sort: [{ year: 'desc' }] }, {});
    assert.deepEqual(res.hits[0].sort, [2019]);
    assert.equal(res.hits[0]._score, null);
    assert.equal(res.maxScore, null);
    const tracked = executeSearch([films], { sort: ['year'], track_scores: true }, {});
    assert.equal(tracked.hits[0]._score, 1);
  });

  it('missing values sort last in both directions; dates sort as epoch millis; booleans as 1/0', () => {
    const asc = search({ sort: [{ available: 'asc' }] }).hits.map((h) => h._id);
    assert.equal(asc[asc.length - 1], '4');
    const desc = search({ sort: [{ available: 'desc' }] }).hits;
    assert.equal(desc[desc.length - 1]._id, '4');
    assert.deepEqual(desc[0].sort, [1]);
    assert.deepEqual(search({ sort: [{ released: 'asc' }], size: 1 }).hits[0].sort, [Date.UTC(1994, 5, 24)]);
  });

  it('sorting on a text field or an unmapped field is a 400', () => {
    assertError(() => search({ sort: 'title' }), 400, 'illegal_argument_exception', /Text fields are not optimised/);
    assertError(() => search({ sort: 'nope' }), 400, 'query_shard_exception', /No mapping found for \[nope\] in order to sort on/);
    assert.equal(search({ sort: [{ nope: { unmapped_type: 'long' } }] }).hits.length, 5);
  });

  it('_score and _doc sorts', () => {
    const res = search({ query: { match: { title: 'lion' } }, sort: ['_score'] });
    assert.equal(typeof res.hits[0]._score, 'number');
    assert.deepEqual(search({ sort: [{ _doc: 'desc' }] }).hits.map((h) => h._id), ['5', '4', '3', '2', '1']);
  });
});

describe('search_after and paging', () => {
  it('returns hits strictly after the given sort values (compat story search_after.yaml)', () => {
    const films = makeIndex('movies', { title: { type: 'keyword' }, year: { type: 'long' } }, [{ title: 'The Cruise', year: 1998 }, { title: 'Drive', year: 1960 }]);
    const res = executeSearch([films], { sort: [{ year: 'asc' }], search_after: [1960] }, {});
    assert.deepEqual(res.hits.map((h) => (h._source as JsonObject).title), ['The Cruise']);
  });

  it('pages through with multi-key search_after', () => {
    const first = search({ sort: [{ year: 'asc' }, { genre: 'asc' }], size: 2 });
    const next = search({ sort: [{ year: 'asc' }, { genre: 'asc' }], size: 2, search_after: first.hits[1].sort });
    assert.deepEqual([...first.hits, ...next.hits].map((h) => h._id), ['1', '5', '4', '3']);
  });

  it('rejects a search_after of the wrong length and from > 0', () => {
    assertError(() => search({ sort: ['year'], search_after: [1, 2] }), 400, 'illegal_argument_exception');
    assertError(() => search({ sort: ['year'], search_after: [1], from: 1 }), 400, 'illegal_argument_exception');
  });

  it('from/size slice the hits; size 0 gives none and a null max_score (size.yaml)', () => {
    assert.deepEqual(search({ from: 1, size: 2 }).hits.map((h) => h._id), ['2', '3']);
    const none = search({ size: 0 });
    assert.equal(none.hits.length, 0);
    assert.equal(none.total, 5);
    assert.equal(none.maxScore, null);
  });

  it('from + size over 10000 is a 400 except for scroll pages', () => {
    assertError(() => search({ from: 9999, size: 2 }), 400, 'illegal_argument_exception', /Result window is too large.*\[10001\]/);
    assert.equal(search({ from: 9999, size: 2 }, { scroll: true }).hits.length, 0);
    assertError(() => search({ size: -1 }), 400, 'illegal_argument_exception');
  });
});

describe('track_total_hits', () => {
  const many = makeIndex('many', { n: { type: 'long' } }, Array.from({ length: 10_050 }, (_, n) => ({ n })));
  const run = (body: JsonObject) => executeSearch([many], { size: 0, ...body }, {});

  it('counts exactly up to 10000 by default, then gte', () => {
    assert.deepEqual([run({}).total, run({}).totalRelation], [10_000, 'gte']);
    assert.deepEqual([search({}).total, search({}).totalRelation], [5, 'eq']);
  });
  it('true counts exactly, a number caps, false omits', () => {
    assert.deepEqual([run({ track_total_hits: true }).total, run({ track_total_hits: true }).totalRelation], [10_050, 'eq']);
    assert.deepEqual([run({ track_total_hits: 100 }).total, run({ track_total_hits: 100 }).totalRelation], [100, 'gte']);
    assert.equal(run({ track_total_hits: false }).totalOmitted, true);
    assert.equal(executeSearch([many], { size: 0 }, { trackTotalHits: true }).total, 10_050);
  });
});

describe('_source, fields, version and unknown keys', () => {
  it('_source true/false/list/includes+excludes (compat story _source.yaml)', () => {
    assert.deepEqual(sources({ _source: ['title', 'year'], size: 1 }), [{ title: 'The Lion King', year: 1994 }]);
    assert.equal(search({ _source: false, size: 1 }).hits[0]._source, undefined);
    assert.deepEqual(sources({ _source: { includes: 'title', excludes: 'year' }, size: 1 }), [{ title: 'The Lion King' }]);
    assert.deepEqual(Object.keys(sources({ _source: { includes: '*', excludes: ['year', 'r*'] }, size: 1 })[0]), ['title', 'director', 'genre', 'available']);
  });

  it('URL _source parameters override the body', () => {
    const res = search({ _source: false, size: 1 }, { sourceIncludes: ['genre'] });
    assert.deepEqual(res.hits[0]._source, { genre: 'animation' });
  });

  it('filterSource handles wildcards, dotted paths, nested objects and arrays', () => {
    const src: JsonObject = { a: { b: 1, c: { d: 2 } }, arr: [{ x: 1, y: 2 }, { y: 3 }], 'dot.ted': 4, z: 5 };
    assert.deepEqual(filterSource(src, ['a.c'], undefined), { a: { c: { d: 2 } } });
    assert.deepEqual(filterSource(src, ['arr.x'], undefined), { arr: [{ x: 1 }] });
    assert.deepEqual(filterSource(src, ['*.d'], undefined), { a: { c: { d: 2 } } });
    assert.deepEqual(filterSource(src, ['dot.*'], undefined), { 'dot.ted': 4 });
    assert.deepEqual(filterSource(src, undefined, ['a', 'arr.y']), { arr: [{ x: 1 }], 'dot.ted': 4, z: 5 });
  });

  it('stored_fields _none_ drops _id and _source', () => {
    const hit = search({ stored_fields: '_none_', size: 1 }).hits[0];
    assert.deepEqual(Object.keys(hit), ['_index', '_score']);
  });

  it('version and seq_no_primary_term add their metadata', () => {
    const hit = search({ version: true, seq_no_primary_term: true, size: 1 }).hits[0];
    assert.deepEqual(Object.keys(hit), ['_index', '_id', '_version', '_seq_no', '_primary_term', '_score', '_source']);
  });

  it('fields and docvalue_fields return typed, formatted values', () => {
    const hit = search({ fields: ['year', 'released', 'title*'], docvalue_fields: [{ field: 'released', format: 'yyyy' }], size: 1, _source: false }).hits[0];
    assert.deepEqual(hit.fields, { released: ['1994-06-24T00:00:00.000Z'], year: [1994], title: ['The Lion King'], 'title.keyword': ['The Lion King'] });
  });

  it('min_score and post_filter narrow the hits (post_filter not the aggregations)', () => {
    assert.equal(search({ query: { match: { title: 'lion frozen' } }, min_score: 0.5 }).hits.length, 1);
    const res = search({ post_filter: { term: { genre: 'drama' } }, aggs: { g: { terms: { field: 'genre' } } } });
    assert.equal(res.total, 1);
    assert.equal(((res.aggregations?.g as JsonObject).buckets as JsonObject[]).length, 3);
  });

  it('unknown body keys are a 400 parsing_exception', () => {
    assertError(() => search({ foo: {} }), 400, 'parsing_exception', /Unknown key for a START_OBJECT in \[foo\]/);
    assertError(() => search({ bar: 1 }), 400, 'parsing_exception', /VALUE_NUMBER in \[bar\]/);
  });

  it('searches several indexes, ties in index order', () => {
    const other = makeIndex('other', { genre: { type: 'keyword' } }, [{ genre: 'drama' }]);
    const res = executeSearch([other, idx], { query: { constant_score: { filter: { term: { genre: 'drama' } } } } }, {});
    assert.deepEqual(res.hits.map((h) => h._index), ['other', 'movies']);
  });
});
