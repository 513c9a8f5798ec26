import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../src/core/json.ts';
import { rewriteSearchBody } from '../../src/tenancy/index.ts';
import { DEDICATED, SHARED, assertRefused, wrapped } from './support.ts';

const search = (query: JsonObject, scope = SHARED) => rewriteSearchBody({ query }, scope);
const refusedQuery = (query: JsonObject, code: string, type?: string) => assertRefused(() => search(query), code, type);

describe('query field isolation', () => {
  it('refuses reserved fields in field-keyed queries', () => {
    for (const type of ['term', 'terms', 'match', 'match_phrase', 'prefix', 'wildcard', 'regexp', 'fuzzy', 'range', 'span_term']) {
      const value = type === 'terms' ? ['globex'] : type === 'range' ? { gte: 'a' } : 'globex';
      refusedQuery({ [type]: { _tenant: value } }, 'reserved_field_refused');
      refusedQuery({ [type]: { '_lindex.keyword': value } }, 'reserved_field_refused');
    }
  });

  it('refuses reserved fields nested inside compound queries', () => {
    refusedQuery({ bool: { must_not: [{ term: { _tenant: 'acme' } }] } }, 'reserved_field_refused');
    refusedQuery({ dis_max: { queries: [{ match_all: {} }, { term: { _lindex: 'x' } }] } }, 'reserved_field_refused');
    refusedQuery({ constant_score: { filter: { exists: { field: '_tenant' } } } }, 'reserved_field_refused');
    refusedQuery({ boosting: { positive: { match_all: {} }, negative: { term: { _tenant: 'a' } }, negative_boost: 0.5 } }, 'reserved_field_refused');
    refusedQuery({ nested: { path: 'n', query: { term: { _tenant: 'a' } } } }, 'reserved_field_refused');
    refusedQuery({ span_near: { clauses: [{ span_term: { _tenant: 'a' } }], slop: 1 } }, 'reserved_field_refused');
    refusedQuery({ span_multi: { match: { prefix: { _lindex: 'o' } } } }, 'reserved_field_refused');
    refusedQuery({ function_score: { query: { match_all: {} }, functions: [{ filter: { term: { _tenant: 'x' } }, weight: 2 }] } }, 'reserved_field_refused');
    refusedQuery({ function_score: { field_value_factor: { field: '_tenant' } } }, 'reserved_field_refused');
    refusedQuery({ function_score: { gauss: { _lindex: { origin: 0, scale: 1 } } } }, 'reserved_field_refused');
  });

  it('refuses exists on a reserved field, or on a pattern that could expand to one', () => {
    refusedQuery({ exists: { field: '_tenant' } }, 'reserved_field_refused');
    refusedQuery({ exists: { field: '_t*' } }, 'reserved_field_refused');
    refusedQuery({ exists: { field: '_lindex.*' } }, 'reserved_field_refused');
    assert.deepEqual(search({ exists: { field: 'title' } }).query, wrapped({ exists: { field: 'title' } }));
  });

  it('multi_match / query_string / simple_query_string fields: reserved names and patterns refused, catch-all allowed', () => {
    refusedQuery({ multi_match: { query: 'x', fields: ['title', '_tenant^2'] } }, 'reserved_field_refused');
    refusedQuery({ multi_match: { query: 'x', fields: ['_*'] } }, 'reserved_field_refused');
    refusedQuery({ multi_match: { query: 'x', fields: ['*ant'] } }, 'reserved_field_refused');
    refusedQuery({ query_string: { query: 'x', default_field: '_lindex' } }, 'reserved_field_refused');
    refusedQuery({ simple_query_string: { query: 'x', fields: ['_ten*'] } }, 'reserved_field_refused');
    refusedQuery({ combined_fields: { query: 'x', fields: ['_tenant'] } }, 'reserved_field_refused');
    const ok = { multi_match: { query: 'x', fields: ['*', 'title^3', 'body.*'] } };
    assert.deepEqual(search(ok).query, wrapped(ok));
  });

  it('query_string / simple_query_string text naming reserved fields, _index or (shared) _id is refused', () => {
    for (const text of ['_tenant:globex', 'title:x OR \\_tenant:globex', '_ten\\ant:x', '_exists_:_lindex', '_t*:x', '_index:orders', '_id:1', '(a AND _routing:x)']) {
      refusedQuery({ query_string: { query: text } }, 'query_text_refused');
    }
    refusedQuery({ simple_query_string: { query: 'about _tenant' } }, 'query_text_refused');
    const ok = { query_string: { query: 'title:(a OR b) AND user_id:5 AND order_index:3' } };
    assert.deepEqual(search(ok).query, wrapped(ok));
    const dedicatedId = { query_string: { query: '_id:1' } };
    assert.deepEqual(search(dedicatedId, DEDICATED).query, { bool: { must: [dedicatedId] } });
  });

  it('terms_set and intervals: field references inside parameters are checked', () => {
    refusedQuery({ terms_set: { tags: { terms: ['a'], minimum_should_match_field: '_tenant' } } }, 'reserved_field_refused');
    refusedQuery({ terms_set: { tags: { terms: ['a'], minimum_should_match_script: { source: '1' } } } }, 'inline_script_refused');
    refusedQuery({ intervals: { body: { match: { query: 'a', use_field: '_lindex' } } } }, 'reserved_field_refused');
    refusedQuery({ intervals: { body: { all_of: { intervals: [{ match: { query: 'a' } }], filter: { script: { source: '1' } } } } } }, 'inline_script_refused');
  });

  it('has_child, has_parent and parent_id are refused in shared placement only', () => {
    refusedQuery({ has_child: { type: 'answer', query: { match_all: {} } } }, 'join_query_refused');
    refusedQuery({ has_parent: { parent_type: 'question', query: { match_all: {} } } }, 'join_query_refused');
    refusedQuery({ parent_id: { type: 'answer', id: '1' } }, 'join_query_refused');
    const q = { has_child: { type: 'answer', query: { term: { a: 1 } }, inner_hits: { size: 2 } } };
    assert.deepEqual(search(q, DEDICATED).query, { bool: { must: [q] } });
  });

  it('inline scripts in script, script_score and function_score are refused in shared placement', () => {
    refusedQuery({ script: { script: { source: "doc['_tenant'].value == 'globex'" } } }, 'inline_script_refused');
    refusedQuery({ script_score: { query: { match_all: {} }, script: { source: '1' } } }, 'inline_script_refused');
    refusedQuery({ function_score: { functions: [{ script_score: { script: 'x' } }] } }, 'inline_script_refused');
    refusedQuery({ function_score: { script_score: { script: { id: 'not-approved' } } } }, 'stored_script_not_allowed');
    const stored = { script_score: { query: { match_all: {} }, script: { id: 'approved-score', params: { w: 2 } } } };
    assert.deepEqual(search(stored).query, wrapped(stored));
  });

  it('unknown query types, opaque wrapper queries and unexpected structure are refused', () => {
    const unknown = assertRefused(() => search({ mystery: { field: 'x' } }), 'unknown_query', 'parsing_exception');
    assert.equal(unknown.reason, 'unknown query [mystery]');
    refusedQuery({ xy_shape: { field: { shape: {} } } }, 'unsupported_query');
    refusedQuery({ wrapper: { query: 'eyJ0ZXJtIjp7Il90ZW5hbnQiOiJnbG9iZXgifX0=' } }, 'unsupported_query');
    refusedQuery({ term: { a: 1 }, match: { b: 2 } }, 'malformed_query', 'parsing_exception');
    refusedQuery({ bool: { must: [], sneaky: { term: { _tenant: 'x' } } } }, 'unsupported_parameter', 'parsing_exception');
    refusedQuery({ match: { title: { query: 'x', extra: { term: { _tenant: 'x' } } } } }, 'unsupported_parameter', 'parsing_exception');
    refusedQuery({ geo_shape: { loc: { indexed_shape: { index: 'shapes', id: '1' } } } }, 'lookup_refused');
  });

  it('leaves ordinary queries untouched inside the wrap', () => {
    const q: JsonObject = {
      bool: {
        must: [{ match: { title: { query: 'x', operator: 'and' } } }],
        should: { range: { n: { gte: 1 } } },
        filter: [{ geo_distance: { distance: '10km', loc: { lat: 1, lon: 2 } } }, { nested: { path: 'n', query: { term: { 'n.a': 1 } }, inner_hits: {} } }],
        minimum_should_match: 1,
      },
    };
    assert.deepEqual(search(q).query, wrapped(q));
  });
});
