import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineError } from '../../../src/engine/errors.ts';
import type { JsonObject } from '../../../src/engine/json.ts';
import { executeSearch, queryStringToQuery } from '../../../src/engine/search/index.ts';
import { movies } from './fixtures.ts';

const idx = movies();
const qs = (query: string, extra: JsonObject = {}): string[] =>
  executeSearch([idx], { query: { query_string: { query, ...extra } } }, {}).hits.map((h) => String(h._id)).sort();
const sqs = (query: string, extra: JsonObject = {}): string[] =>
  executeSearch([idx], { query: { simple_query_string: { query, ...extra } } }, {}).hits.map((h) => String(h._id)).sort();

describe('query_string', () => {
  it('searches all fields by default and field:value explicitly', () => {
    assert.deepEqual(qs('frozen'), ['3']);
    assert.deepEqual(qs('genre:drama'), ['4']);
    assert.deepEqual(qs('director:(bennett OR chris)'), ['3', '4']);
  });

  it('AND / OR / NOT, + and -, with the default operator', () => {
    assert.deepEqual(qs('lion AND year:1994'), ['1']);
    assert.deepEqual(qs('lion OR frozen'), ['1', '2', '3']);
    assert.deepEqual(qs('lion NOT year:1994'), ['2']);
    assert.deepEqual(qs('+lion -year:2019'), ['1']);
    assert.deepEqual(qs('-genre:animation'), ['4', '5']);
    assert.deepEqual(qs('lion king', { default_operator: 'AND', default_field: 'title' }), ['1', '2']);
    assert.deepEqual(qs('lion frozen', { default_operator: 'AND' }), []);
  });

  it('phrases, wildcards, ranges, _exists_ and boosts', () => {
    assert.deepEqual(qs('"winding refn"'), ['5']);
    assert.deepEqual(qs('"refn winding"'), []);
    assert.deepEqual(qs('title:fro*'), ['3']);
    assert.deepEqual(qs('director:Ben?ett'), ['4']);
    assert.deepEqual(qs('year:[2011 TO 2013}'), ['4', '5']);
    assert.deepEqual(qs('year:>2013'), ['2']);
    assert.deepEqual(qs('_exists_:available AND genre:animation'), ['1', '2', '3']);
    assert.deepEqual(qs('title:frozen^3 OR title:drive'), ['3', '5']);
    assert.deepEqual(qs('*'), ['1', '2', '3', '4', '5']);
  });

  it('fields list and malformed input', () => {
    assert.deepEqual(qs('miller', { fields: ['title', 'director'] }), ['4']);
    assert.throws(() => qs('title:(frozen'), (e: EngineError) => e.status === 400);
  });

  it('queryStringToQuery turns URL q= parameters into a query_string query', () => {
    assert.deepEqual(queryStringToQuery('title:frozen', { df: 'title', default_operator: 'AND' }), { query_string: { query: 'title:frozen', default_field: 'title', default_operator: 'AND' } });
    assert.deepEqual(queryStringToQuery('x', {}), { query_string: { query: 'x' } });
  });
});

describe('simple_query_string', () => {
  it('supports + | - phrases and prefixes, and never fails', () => {
    assert.deepEqual(sqs('lion + king', { fields: ['title'] }), ['1', '2']);
    assert.deepEqual(sqs('frozen | drive'), ['3', '5']);
    assert.deepEqual(sqs('lion -roger', { default_operator: 'and' }), ['2']);
    assert.deepEqual(sqs('"lion king"'), ['1', '2']);
    assert.deepEqual(sqs('mone*'), ['4']);
    assert.deepEqual(sqs('((('), []);
  });
});
