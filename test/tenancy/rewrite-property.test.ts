/**
 * Property-style check over representative bodies: the rewritten query always carries the scope
 * filter, and no field named anywhere in the output is reserved, except inside the scope filter
 * itself and in the `_lindex` clauses that `_index` queries are mapped to.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { isObject, type Json, type JsonObject } from '../../src/core/json.ts';
import { isReservedField, rewriteSearchBody } from '../../src/tenancy/index.ts';
import { ITEMS, LOGS, ORDERS, RESERVED, scopeOf } from './support.ts';

const BODIES: JsonObject[] = [
  {},
  { query: { match_all: {} } },
  { query: { match: { title: 'shoes' } }, size: 10 },
  { query: { term: { status: 'paid' } }, sort: [{ at: 'desc' }] },
  { query: { terms: { tags: ['a', 'b'] } }, from: 20 },
  { query: { range: { total: { gte: 10, lt: 100 } } } },
  { query: { bool: { must: [{ match: { title: 'x' } }], filter: [{ term: { kind: 'a' } }], must_not: { exists: { field: 'deleted' } } } } },
  { query: { multi_match: { query: 'x', fields: ['title^2', 'body', '*'] } } },
  { query: { query_string: { query: 'title:x AND body:y' } } },
  { query: { simple_query_string: { query: 'x +y', fields: ['title'] } } },
  { query: { ids: { values: ['1', '2'] } } },
  { query: { term: { _id: '1' } } },
  { query: { terms: { _index: ['orders', 'items'] } } },
  { query: { prefix: { _index: 'it' } } },
  { query: { nested: { path: 'lines', query: { term: { 'lines.sku': 'a' } }, inner_hits: {} } } },
  { query: { function_score: { query: { match: { title: 'x' } }, field_value_factor: { field: 'pop' }, functions: [{ filter: { term: { a: 1 } }, weight: 2 }] } } },
  { query: { dis_max: { queries: [{ match: { a: 'x' } }, { match: { b: 'x' } }], tie_breaker: 0.3 } } },
  { query: { knn: { vec: { vector: [0.1, 0.2], k: 10 } } } },
  { query: { knn: { vec: { vector: [0.1], k: 3, filter: { term: { kind: 'a' } } } } } },
  { query: { terms: { user: { index: 'orders', id: '7', path: 'friends' } } } },
  { query: { more_like_this: { fields: ['title'], like: [{ _index: 'items', _id: '1' }, 'text'] } } },
  { aggs: { by_tag: { terms: { field: 'tag', size: 5 }, aggs: { avg_total: { avg: { field: 'total' } } } } } },
  { aggs: { sig: { significant_terms: { field: 'tag' } } } },
  { aggs: { sig: { significant_text: { field: 'body', background_filter: { term: { kind: 'a' } } } } } },
  { aggs: { c: { composite: { sources: [{ t: { terms: { field: 'tag' } } }, { d: { date_histogram: { field: 'at', calendar_interval: 'day' } } }] } } } },
  { aggs: { f: { filter: { term: { _index: 'orders' } }, aggs: { top: { top_hits: { size: 1, sort: [{ at: 'desc' }] } } } } } },
  { aggs: { h: { histogram: { field: 'n', interval: 5, min_doc_count: 0 } } } },
  { post_filter: { term: { kind: 'a' } }, highlight: { fields: { '*': {} } }, fields: ['*'] },
  { rescore: { window_size: 5, query: { rescore_query: { match_phrase: { title: 'a b' } } } } },
  { collapse: { field: 'user', inner_hits: { name: 'last', size: 1, sort: [{ at: 'desc' }] } }, _source: { excludes: ['big'] } },
  { query: { bool: { should: [{ ids: { values: ['x'] } }, { wildcard: { _index: 'ord*' } }] } }, indices_boost: [{ orders: 2 }] },
];

const lookupTargets = [ITEMS];
const SCOPES = [scopeOf([ORDERS], { lookupTargets }), scopeOf([ORDERS, ITEMS]), scopeOf([ORDERS, ITEMS, LOGS])];

/** Field names mentioned anywhere: object keys and the values of field-naming parameters. */
function namedFields(value: Json, skip: (v: JsonObject) => boolean, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => namedFields(v, skip, out));
  if (!isObject(value) || skip(value)) return out;
  for (const [key, child] of Object.entries(value)) {
    out.push(key);
    if (['field', 'fields', 'default_field', 'path'].includes(key)) [child].flat().forEach((f) => typeof f === 'string' && out.push(f));
    namedFields(child, skip, out);
  }
  return out;
}

describe('rewrite property: every output is scoped and names no reserved field', () => {
  for (const scope of SCOPES) {
    const names = scope.targets.map((t) => t.lindex).join('+');
    it(`holds for ${BODIES.length} representative bodies over ${names}`, () => {
      for (const body of BODIES) {
        const out = rewriteSearchBody(body, scope);
        const filter = (out.query as { bool: { filter: Json[] } }).bool.filter;
        const scopeFilter = filter[0] as JsonObject;
        assert.equal(filter.length, 1, JSON.stringify(body));
        assert.ok(JSON.stringify(scopeFilter).includes('"_tenant":"acme"'), JSON.stringify(body));
        const lindexes = scope.targets.map((t) => t.lindex);
        // Allowed: the scope filter, and `_lindex` terms produced from `_index` queries (subset of the targets).
        const skip = (v: JsonObject) =>
          isDeepStrictEqual(v, scopeFilter) ||
          (isObject(v.terms) && Object.keys(v.terms).length === 1 && Array.isArray(v.terms._lindex) && v.terms._lindex.every((l) => typeof l === 'string' && lindexes.includes(l)));
        const reserved = namedFields(out, skip).filter((f) => isReservedField(f, RESERVED));
        assert.deepEqual(reserved, [], `${JSON.stringify(body)} → ${JSON.stringify(out)}`);
      }
    });
  }
});
