/**
 * knn / neural (SPEC §4.4): approximate search picks its top k before an outer filter applies, so
 * the scope filter also goes inside the query's own `filter` — results are scoped, not trimmed.
 */
import type { JsonObject } from '../core/json.ts';
import { malformed } from './errors.ts';
import { valueFieldName } from './field-checks.ts';
import { assertKnownKeys, expectObject, isFlat, single } from './json-shape.ts';
import type { QueryHandler } from './query-leaves.ts';
import { andFilter, type RewriteContext } from './scope.ts';

const COMMON = ['k', 'filter', 'min_score', 'max_distance', 'method_parameters', 'rescore', 'expand_nested_docs', 'boost', '_name'];
const KEYS: Record<string, ReadonlySet<string>> = {
  knn: new Set(['vector', ...COMMON]),
  neural: new Set(['query_text', 'query_image', 'model_id', ...COMMON]),
};
/** Parameters that are small objects of numbers. */
const NUMERIC_OBJECTS = new Set(['method_parameters', 'rescore']);

function vectorQuery(type: string): QueryHandler {
  return (body, ctx, path) => {
    const b = expectObject(body, path);
    const fields = Object.keys(b);
    if (fields.length !== 1) malformed('malformed_query', `[${path}] must name exactly one field`);
    const field = fields[0];
    const at = `${path}.${field}`;
    const name = valueFieldName(field, ctx, at);
    return single(type, single(name, rewriteVectorParams(type, expectObject(b[field], at), ctx, at)));
  };
}

function rewriteVectorParams(type: string, params: JsonObject, ctx: RewriteContext, path: string): JsonObject {
  assertKnownKeys(params, KEYS[type], path);
  for (const [key, value] of Object.entries(params)) {
    const flat = NUMERIC_OBJECTS.has(key) ? Object.values(expectObject(value, `${path}.${key}`)).every(isFlat) : key === 'filter' || isFlat(value);
    if (!flat) malformed('unsupported_parameter', `[${path}.${key}] is not supported by osproxy`);
  }
  const own = params.filter === undefined ? undefined : ctx.rewriteQuery(params.filter, `${path}.filter`);
  const filter = andFilter(own, ctx.filter);
  return filter === undefined ? params : { ...params, filter };
}

export function vectorHandlers(): Map<string, QueryHandler> {
  return new Map([
    ['knn', vectorQuery('knn')],
    ['neural', vectorQuery('neural')],
  ]);
}
