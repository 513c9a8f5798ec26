import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineError } from '../../../src/engine/errors.ts';
import type { JsonObject } from '../../../src/engine/json.ts';
import { executeSearch } from '../../../src/engine/search/index.ts';
import type { SearchableIndex } from '../../../src/engine/search/types.ts';
import { makeIndex, movies } from './fixtures.ts';

const idx = movies();
const aggs = (spec: JsonObject, query?: JsonObject, index: SearchableIndex = idx): JsonObject =>
  executeSearch([index], { size: 0, aggs: spec, ...(query === undefined ? {} : { query }) }, {}).aggregations ?? {};

function assertError(fn: () => unknown, status: number, type: string, reason?: RegExp): void {
  assert.throws(fn, (e: EngineError) => e.status === status && e.type === type && (reason === undefined || reason.test(e.message)));
}

describe('metric aggregations (compat stories avg/sum/min/max.yaml)', () => {
  const durations = makeIndex('movies', { duration: { type: 'long' } }, [{ duration: 126 }, { duration: 100 }]);
  it('avg, sum, min, max', () => {
    const out = aggs({ a: { avg: { field: 'duration' } }, s: { sum: { field: 'duration' } }, lo: { min: { field: 'duration' } }, hi: { max: { field: 'duration' } } }, undefined, durations);
    assert.deepEqual(out, { a: { value: 113 }, s: { value: 226 }, lo: { value: 100 }, hi: { value: 126 } });
  });

  it('no values: avg/min/max null, sum 0', () => {
    const out = aggs({ a: { avg: { field: 'year' } }, s: { sum: { field: 'year' } }, lo: { min: { field: 'nope' } } }, { match_none: {} });
    assert.deepEqual(out, { a: { value: null }, s: { value: 0 }, lo: { value: null } });
  });

  it('dates get value_as_string; value_count, cardinality, stats, extended_stats', () => {
    assert.deepEqual(aggs({ m: { min: { field: 'released' } } }).m, { value: Date.UTC(1994, 5, 24), value_as_string: '1994-06-24T00:00:00.000Z' });
    assert.deepEqual(aggs({ c: { value_count: { field: 'available' } } }).c, { value: 4 });
    assert.deepEqual(aggs({ c: { cardinality: { field: 'year' } } }).c, { value: 4 });
    assert.deepEqual(aggs({ s: { stats: { field: 'year' } } }).s, { count: 5, min: 1994, max: 2019, avg: 2009.6, sum: 10048 });
    const ext = aggs({ e: { extended_stats: { field: 'year' } } }).e as JsonObject;
    assert.equal(ext.count, 5);
    assert.ok(typeof ext.std_deviation === 'number' && ext.std_deviation > 0);
  });

  it('metrics on keyword fields are a 400', () => {
    assertError(() => aggs({ a: { avg: { field: 'genre' } } }), 400, 'illegal_argument_exception', /not supported for aggregation \[avg\]/);
  });
});

describe('terms aggregation', () => {
  it('counts keyword values, most frequent first then key (compat story terms.yaml)', () => {
    const directors = makeIndex('movies', { director: { type: 'text', fielddata: true, fields: { raw: { type: 'keyword' } } } }, [
      { director: 'Bennett Miller' }, { director: 'Bennett Miller' }, { director: 'Nicolas Winding Refn' },
    ]);
    const out = aggs({ directors: { terms: { field: 'director.raw' } } }, undefined, directors);
    assert.deepEqual(out.directors, {
      doc_count_error_upper_bound: 0,
      sum_other_doc_count: 0,
      buckets: [{ key: 'Bennett Miller', doc_count: 2 }, { key: 'Nicolas Winding Refn', doc_count: 1 }],
    });
    const tokens = aggs({ d: { terms: { field: 'director', size: 2 } } }, undefined, directors).d as JsonObject;
    assert.deepEqual(tokens.buckets, [{ key: 'bennett', doc_count: 2 }, { key: 'miller', doc_count: 2 }]);
    assert.equal(tokens.sum_other_doc_count, 3);
  });

  it('size, order, min_doc_count, missing, include/exclude', () => {
    const g = (body: JsonObject) => ((aggs({ g: { terms: { field: 'genre', ...body } } }).g as JsonObject).buckets as JsonObject[]).map((b) => b.key);
    assert.deepEqual(g({ size: 1 }), ['animation']);
    assert.deepEqual(g({ order: { _key: 'desc' } }), ['drama', 'crime', 'animation']);
    assert.deepEqual(g({ min_doc_count: 2 }), ['animation']);
    assert.deepEqual(g({ include: ['crime', 'drama'] }), ['crime', 'drama']);
    assert.deepEqual(g({ exclude: 'a.*' }), ['crime', 'drama']);
    const avail = (aggs({ a: { terms: { field: 'available', missing: false } } }).a as JsonObject).buckets;
    assert.deepEqual(avail, [{ key: 1, key_as_string: 'true', doc_count: 3 }, { key: 0, key_as_string: 'false', doc_count: 2 }]);
  });

  it('numeric and date keys; ordering by a sub-aggregation', () => {
    const years = (aggs({ y: { terms: { field: 'year' } } }).y as JsonObject).buckets as JsonObject[];
    assert.deepEqual(years[0], { key: 2011, doc_count: 2 });
    const dates = (aggs({ d: { terms: { field: 'released', size: 1, order: { _key: 'asc' } } } }).d as JsonObject).buckets;
    assert.deepEqual(dates, [{ key: Date.UTC(1994, 5, 24), key_as_string: '1994-06-24T00:00:00.000Z', doc_count: 1 }]);
    const byRating = (aggs({ g: { terms: { field: 'genre', order: { top: 'desc' } }, aggs: { top: { max: { field: 'rating' } } } } }).g as JsonObject).buckets as JsonObject[];
    assert.deepEqual(byRating.map((b) => b.key), ['animation', 'crime', 'drama']);
  });

  it('sub-aggregations run per bucket', () => {
    const buckets = (aggs({ g: { terms: { field: 'genre' }, aggs: { y: { min: { field: 'year' } } } } }).g as JsonObject).buckets;
    assert.deepEqual(buckets, [
      { key: 'animation', doc_count: 3, y: { value: 1994 } },
      { key: 'crime', doc_count: 1, y: { value: 2011 } },
      { key: 'drama', doc_count: 1, y: { value: 2011 } },
    ]);
  });

  it('terms on a text field without fielddata is a 400', () => {
    assertError(() => aggs({ t: { terms: { field: 'title' } } }), 400, 'illegal_argument_exception', /set fielddata=true on \[title\]/);
  });
});

describe('bucket aggregations', () => {
  it('histogram fills empty buckets; extended_bounds widen it', () => {
    const out = aggs({ h: { histogram: { field: 'rating', interval: 1 } } }).h as JsonObject;
    assert.deepEqual(out.buckets, [{ key: 6, doc_count: 1 }, { key: 7, doc_count: 3 }, { key: 8, doc_count: 1 }]);
    const wide = aggs({ h: { histogram: { field: 'year', interval: 10, extended_bounds: { min: 1980, max: 2020 } } } }).h as JsonObject;
    assert.deepEqual((wide.buckets as JsonObject[]).map((b) => [b.key, b.doc_count]), [[1980, 0], [1990, 1], [2000, 0], [2010, 4], [2020, 0]]);
  });

  it('date_histogram by calendar and fixed intervals', () => {
    const month = aggs({ d: { date_histogram: { field: 'released', calendar_interval: 'month', min_doc_count: 1 } } }, { range: { year: { gte: 2011, lte: 2013 } } }).d as JsonObject;
    assert.deepEqual(month.buckets, [
      { key_as_string: '2011-09-01T00:00:00.000Z', key: Date.UTC(2011, 8, 1), doc_count: 2 },
      { key_as_string: '2013-11-01T00:00:00.000Z', key: Date.UTC(2013, 10, 1), doc_count: 1 },
    ]);
    const days = aggs({ d: { date_histogram: { field: 'released', fixed_interval: '7d', format: 'yyyy-MM-dd' } } }, { term: { year: 2011 } }).d as JsonObject;
    assert.deepEqual((days.buckets as JsonObject[]).map((b) => [b.key_as_string, b.doc_count]), [['2011-09-15', 1], ['2011-09-22', 1]]);
    assertError(() => aggs({ d: { date_histogram: { field: 'released', calendar_interval: '3d' } } }), 400, 'illegal_argument_exception');
  });

  it('range and date_range buckets with generated keys', () => {
    const r = aggs({ r: { range: { field: 'year', ranges: [{ to: 2000 }, { from: 2000, to: 2015 }, { from: 2015, key: 'recent' }] } } }).r as JsonObject;
    assert.deepEqual(r.buckets, [
      { key: '*-2000.0', to: 2000, doc_count: 1 },
      { key: '2000.0-2015.0', from: 2000, to: 2015, doc_count: 3 },
      { key: 'recent', from: 2015, doc_count: 1 },
    ]);
    const d = aggs({ d: { date_range: { field: 'released', format: 'yyyy', ranges: [{ from: '2010', to: '2015' }] } } }).d as JsonObject;
    assert.deepEqual(d.buckets, [{ key: '2010-2015', from: Date.UTC(2010, 0, 1), from_as_string: '2010', to: Date.UTC(2015, 0, 1), to_as_string: '2015', doc_count: 3 }]);
  });

  it('filter, filters (keyed and anonymous), missing, global', () => {
    const out = aggs({
      f: { filter: { term: { genre: 'animation' } }, aggs: { y: { max: { field: 'year' } } } },
      fs: { filters: { filters: { b: { term: { genre: 'drama' } }, a: { term: { genre: 'crime' } } }, other_bucket: true } },
      anon: { filters: { filters: [{ term: { genre: 'drama' } }] } },
      m: { missing: { field: 'available' } },
      all: { global: {}, aggs: { c: { value_count: { field: 'year' } } } },
    }, { term: { genre: 'animation' } });
    assert.deepEqual(out.f, { doc_count: 3, y: { value: 2019 } });
    assert.deepEqual(out.fs, { buckets: { a: { doc_count: 0 }, b: { doc_count: 0 }, _other_: { doc_count: 3 } } });
    assert.deepEqual(out.anon, { buckets: [{ doc_count: 0 }] });
    assert.deepEqual(out.m, { doc_count: 0 });
    assert.deepEqual(out.all, { doc_count: 5, c: { value: 5 } });
  });

  it('top_hits returns the best documents of each bucket', () => {
    const out = aggs({ g: { terms: { field: 'genre', size: 1 }, aggs: { best: { top_hits: { size: 1, sort: [{ rating: 'desc' }], _source: ['title'] } } } } });
    const bucket = ((out.g as JsonObject).buckets as JsonObject[])[0];
    const hits = (bucket.best as JsonObject).hits as JsonObject;
    assert.deepEqual(hits.total, { value: 3, relation: 'eq' });
    assert.deepEqual((hits.hits as JsonObject[]).map((h) => [h._id, h._source, h.sort]), [['1', { title: 'The Lion King' }, [8.5]]]);
  });

  it('meta is echoed; aggregations and aggs are both accepted', () => {
    const res = executeSearch([idx], { size: 0, aggregations: { s: { sum: { field: 'year' }, meta: { x: 1 } } } }, {});
    assert.deepEqual(res.aggregations, { s: { meta: { x: 1 }, value: 10048 } });
  });

  it('unknown aggregation types are a 400 parsing_exception', () => {
    assertError(() => aggs({ x: { frobnicate: { field: 'year' } } }), 400, 'parsing_exception', /Unknown aggregation type \[frobnicate\]/);
    assertError(() => aggs({ x: { terms: { field: 'genre' }, aggs: { y: { nope: {} } } } }, { match_none: {} }), 400, 'parsing_exception');
  });
});
