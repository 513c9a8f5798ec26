import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Json, JsonObject } from '../../../src/engine/json.ts';
import { countMatches, executeSearch, matchingDocs } from '../../../src/engine/search/index.ts';
import type { EngineError } from '../../../src/engine/errors.ts';
import { makeIndex, movies, TEXT_WITH_KEYWORD } from './fixtures.ts';

const idx = movies();
const ids = (query: Json, extra: JsonObject = {}): string[] => executeSearch([idx], { query, ...extra }, {}).hits.map((h) => String(h._id));
const sortedIds = (query: Json): string[] => ids(query).sort();

function assertError(fn: () => unknown, status: number, type: string, reason?: RegExp): void {
  assert.throws(fn, (e: EngineError) => e.status === status && e.type === type && (reason === undefined || reason.test(e.message)));
}

describe('leaf queries match like OpenSearch', () => {
  it('match_all scores every document 1.0 in doc order', () => {
    const res = executeSearch([idx], { query: { match_all: {} } }, {});
    assert.deepEqual(res.hits.map((h) => h._id), ['1', '2', '3', '4', '5']);
    assert.ok(res.hits.every((h) => h._score === 1));
  });

  it('match_none matches nothing', () => assert.deepEqual(ids({ match_none: {} }), []));

  it('match analyzes the text and ORs terms by default; operator and requires all', () => {
    assert.deepEqual(sortedIds({ match: { director: 'bennett allers' } }), ['1', '4']);
    assert.deepEqual(ids({ match: { director: { query: 'bennett allers', operator: 'and' } } }), []);
    assert.deepEqual(ids({ match: { director: { query: 'nicolas winding x', minimum_should_match: 2 } } }), ['5']);
  });

  it('match on a keyword field is an exact term', () => {
    assert.deepEqual(ids({ match: { 'title.keyword': 'Frozen' } }), ['3']);
    assert.deepEqual(ids({ match: { 'title.keyword': 'frozen' } }), []);
  });

  it('match on a numeric field with text is a 400 unless lenient', () => {
    assertError(() => ids({ match: { year: 'abc' } }), 400, 'query_shard_exception');
    assert.deepEqual(ids({ match: { year: { query: 'abc', lenient: true } } }), []);
    assert.deepEqual(sortedIds({ match: { year: '2011' } }), ['4', '5']);
  });

  it('match_phrase needs the terms adjacent and in order; slop loosens it', () => {
    assert.deepEqual(ids({ match_phrase: { director: 'winding refn' } }), ['5']);
    assert.deepEqual(ids({ match_phrase: { director: 'refn winding' } }), []);
    assert.deepEqual(ids({ match_phrase: { director: { query: 'nicolas refn', slop: 1 } } }), ['5']);
  });

  it('match_phrase_prefix treats the last term as a prefix', () => {
    assert.deepEqual(ids({ match_phrase_prefix: { director: 'nicolas wind' } }), ['5']);
  });

  it('multi_match searches several fields with boosts', () => {
    assert.deepEqual(sortedIds({ multi_match: { query: 'frozen miller', fields: ['title', 'director^2'] } }), ['3', '4']);
    const res = executeSearch([idx], { query: { multi_match: { query: 'frozen miller', fields: ['title', 'director^10'] } } }, {});
    assert.equal(res.hits[0]._id, '4');
    assert.deepEqual(sortedIds({ multi_match: { query: 'lion', type: 'most_fields' } }), ['1', '2']);
  });

  it('term uses the raw value: exact on keyword, against tokens on text', () => {
    assert.deepEqual(sortedIds({ term: { genre: 'animation' } }), ['1', '2', '3']);
    assert.deepEqual(ids({ term: { title: 'Frozen' } }), []);
    assert.deepEqual(ids({ term: { title: 'frozen' } }), ['3']);
    assert.deepEqual(ids({ term: { genre: { value: 'DRAMA', case_insensitive: true } } }), ['4']);
    assert.deepEqual(sortedIds({ term: { available: 'true' } }), ['1', '3', '5']);
  });

  it('terms matches any value with a constant score', () => {
    const res = executeSearch([idx], { query: { terms: { genre: ['drama', 'crime'] } } }, {});
    assert.deepEqual(res.hits.map((h) => h._id), ['4', '5']);
    assert.ok(res.hits.every((h) => h._score === 1));
  });

  it('range compares numbers, dates (with date math rounding) and strings', () => {
    assert.deepEqual(sortedIds({ range: { year: { gte: 2011, lt: 2019 } } }), ['3', '4', '5']);
    assert.deepEqual(sortedIds({ range: { released: { gt: '2011-09-16', lte: '2013' } } }), ['4']);
    assert.deepEqual(sortedIds({ range: { released: { gte: '2011-09-16||/M', lte: '2011-09-16||/M' } } }), ['4', '5']);
    assert.deepEqual(sortedIds({ range: { released: { lt: 'now-1000y' } } }), []);
    assert.deepEqual(sortedIds({ range: { genre: { gte: 'crime', lte: 'drama' } } }), ['4', '5']);
  });

  it('exists, ids, prefix, wildcard, regexp and fuzzy', () => {
    assert.deepEqual(sortedIds({ exists: { field: 'available' } }), ['1', '2', '3', '5']);
    assert.deepEqual(ids({ ids: { values: ['3', '5', 'nope'] } }), ['3', '5']);
    assert.deepEqual(ids({ prefix: { genre: 'dra' } }), ['4']);
    assert.deepEqual(sortedIds({ wildcard: { 'title.keyword': 'The*King' } }), ['1', '2']);
    assert.deepEqual(ids({ wildcard: { director: { value: 'BENN?TT', case_insensitive: true } } }), ['4']);
    assert.deepEqual(ids({ regexp: { genre: 'cr.m?e' } }), ['5']);
    assert.deepEqual(ids({ fuzzy: { title: 'forzen' } }), ['3']);
  });

  it('a field not in the mapping matches nothing', () => {
    assert.deepEqual(ids({ term: { nope: 'x' } }), []);
    assert.deepEqual(ids({ match: { nope: 'x' } }), []);
  });

  it('unknown query types are a 400 parsing_exception naming them', () => {
    assertError(() => ids({ frobnicate: {} }), 400, 'parsing_exception', /unknown query \[frobnicate\]/);
    assertError(() => countMatches([], { frobnicate: {} }), 400, 'parsing_exception');
    assertError(() => ids({ match_all: {}, term: { a: 1 } }), 400, 'parsing_exception');
  });
});

describe('compound queries combine clauses', () => {
  it('bool must/filter/should/must_not', () => {
    const q = { bool: { must: [{ term: { genre: 'animation' } }], filter: { range: { year: { gte: 2000 } } }, must_not: { term: { available: false } } } };
    assert.deepEqual(ids(q), ['3']);
  });

  it('should-only bool needs one match; minimum_should_match raises it', () => {
    assert.deepEqual(sortedIds({ bool: { should: [{ term: { genre: 'drama' } }, { term: { genre: 'crime' } }] } }), ['4', '5']);
    const two: Json = { bool: { should: [{ term: { genre: 'animation' } }, { term: { year: 1994 } }], minimum_should_match: 2 } };
    assert.deepEqual(ids(two), ['1']);
  });

  it('filter context scores 0; constant_score scores its boost', () => {
    const res = executeSearch([idx], { query: { bool: { filter: { term: { genre: 'drama' } } } } }, {});
    assert.equal(res.hits[0]._score, 0);
    const cs = executeSearch([idx], { query: { constant_score: { filter: { term: { genre: 'drama' } }, boost: 2.5 } } }, {});
    assert.equal(cs.hits[0]._score, 2.5);
  });

  it('boosting demotes negative matches; dis_max takes the best clause', () => {
    const res = executeSearch([idx], { query: { boosting: { positive: { match: { title: 'lion' } }, negative: { term: { year: 1994 } }, negative_boost: 0.1 } } }, {});
    assert.deepEqual(res.hits.map((h) => h._id), ['2', '1']);
    assert.deepEqual(sortedIds({ dis_max: { queries: [{ term: { genre: 'drama' } }, { term: { genre: 'crime' } }] } }), ['4', '5']);
  });

  it('nested runs its query on the document', () => {
    const nestedIdx = makeIndex('n', { user: { type: 'nested', properties: { name: { type: 'keyword' } } } }, [{ user: [{ name: 'a' }, { name: 'b' }] }, { user: { name: 'c' } }]);
    const res = executeSearch([nestedIdx], { query: { nested: { path: 'user', query: { term: { 'user.name': 'b' } } } } }, {});
    assert.deepEqual(res.hits.map((h) => h._id), ['1']);
  });

  it('boost multiplies a clause score', () => {
    const plain = executeSearch([idx], { query: { match: { title: 'frozen' } } }, {}).hits[0]._score as number;
    const boosted = executeSearch([idx], { query: { match: { title: { query: 'frozen', boost: 2 } } } }, {}).hits[0]._score as number;
    assert.ok(Math.abs(boosted - 2 * plain) < 1e-5);
  });

  it('countMatches and matchingDocs follow doc order', () => {
    assert.equal(countMatches([idx], { term: { genre: 'animation' } }), 3);
    assert.equal(countMatches([idx], undefined), 5);
    assert.deepEqual(matchingDocs([idx], { range: { year: { gte: 2011 } } }).map((d) => d.id), ['2', '3', '4', '5']);
  });
});

describe('BM25 ordering', () => {
  const docs = makeIndex('bm', { body: TEXT_WITH_KEYWORD }, [
    { body: 'common words here common' },
    { body: 'common rare' },
    { body: 'common' },
    { body: 'common words with many many more filler words in it' },
    { body: 'common alpha beta gamma' },
  ]);
  const order = (q: string): string[] => executeSearch([docs], { query: { match: { body: q } } }, {}).hits.map((h) => String(h._id));

  it('a rarer term ranks its document higher', () => assert.equal(order('common rare')[0], '2'));
  it('a shorter field ranks higher for the same term frequency', () => {
    const o = order('words');
    assert.ok(o.indexOf('1') < o.indexOf('4'));
  });
  it('higher term frequency ranks higher at equal length', () => {
    const o = order('common');
    assert.ok(o.indexOf('1') < o.indexOf('5'));
  });
});
