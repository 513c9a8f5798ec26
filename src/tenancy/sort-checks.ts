/**
 * `sort` (top level, top_hits, inner_hits, top_metrics): sorting on reserved or physical metadata
 * fields would put their values into hits' `sort` arrays, so it is refused. Script sorts follow the
 * script rule; nested sort filters are walked as queries.
 */
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { malformed } from './errors.ts';
import { valueFieldName } from './field-checks.ts';
import { assertKnownKeys, expectObject, isFlat } from './json-shape.ts';
import type { RewriteContext } from './scope.ts';
import { checkScript } from './scripts.ts';

const BUILTIN_SORTS = new Set(['_score', '_doc', '_shard_doc']);
const GEO_SORT_PARAMS = new Set(['order', 'unit', 'mode', 'distance_type', 'ignore_unmapped', 'validation_method', 'nested', '_name']);
const SCRIPT_SORT_KEYS: ReadonlySet<string> = new Set(['script', 'type', 'order', 'mode', 'nested']);
const NESTED_SORT_KEYS: ReadonlySet<string> = new Set(['path', 'filter', 'max_children', 'nested']);

export function rewriteSort(sort: Json, ctx: RewriteContext, path: string): Json {
  if (Array.isArray(sort)) return sort.map((s, i) => rewriteSortEntry(s, ctx, `${path}[${i}]`));
  return rewriteSortEntry(sort, ctx, path);
}

function rewriteSortEntry(entry: Json, ctx: RewriteContext, path: string): Json {
  if (typeof entry === 'string') return BUILTIN_SORTS.has(entry) ? entry : valueFieldName(entry, ctx, path);
  const obj = expectObject(entry, path);
  return Object.fromEntries(Object.entries(obj).map(([key, value]) => {
    const at = `${path}.${key}`;
    const name = key === '_script' || key === '_geo_distance' || BUILTIN_SORTS.has(key) ? key : valueFieldName(key, ctx, at);
    return [name, rewriteSortKey(key, value, ctx, at)];
  }));
}

function rewriteSortKey(key: string, value: Json, ctx: RewriteContext, path: string): Json {
  if (key === '_script') return rewriteScriptSort(value, ctx, path);
  if (key === '_geo_distance') return rewriteGeoSort(value, ctx, path);
  if (!isObject(value)) return value;
  return rewriteSortOptions(value, ctx, path);
}

/** Field sort options: flat values plus an optional `nested` (whose filter is a query). */
function rewriteSortOptions(options: JsonObject, ctx: RewriteContext, path: string): JsonObject {
  const out: JsonObject = { ...options };
  for (const [key, value] of Object.entries(options)) {
    if (key === 'nested') out.nested = rewriteNestedSort(value, ctx, `${path}.nested`);
    else if (!isFlat(value)) malformed('unsupported_parameter', `[${path}.${key}] is not supported by osproxy`);
  }
  return out;
}

function rewriteNestedSort(nested: Json, ctx: RewriteContext, path: string): JsonObject {
  const obj = expectObject(nested, path);
  assertKnownKeys(obj, NESTED_SORT_KEYS, path);
  const out: JsonObject = { ...obj };
  if (obj.path !== undefined) out.path = valueFieldName(obj.path, ctx, `${path}.path`);
  if (obj.filter !== undefined) out.filter = ctx.rewriteQuery(obj.filter, `${path}.filter`);
  if (obj.nested !== undefined) out.nested = rewriteNestedSort(obj.nested, ctx, `${path}.nested`);
  return out;
}

function rewriteScriptSort(value: Json, ctx: RewriteContext, path: string): JsonObject {
  const obj = expectObject(value, path);
  assertKnownKeys(obj, SCRIPT_SORT_KEYS, path);
  checkScript(obj.script, ctx, `${path}.script`);
  return obj.nested === undefined ? obj : { ...obj, nested: rewriteNestedSort(obj.nested, ctx, `${path}.nested`) };
}

/** `_geo_distance`: every key that is not a parameter is a field. */
function rewriteGeoSort(value: Json, ctx: RewriteContext, path: string): JsonObject {
  const obj = expectObject(value, path);
  const out = Object.fromEntries(Object.entries(obj).map(([key, v]) => [GEO_SORT_PARAMS.has(key) ? key : valueFieldName(key, ctx, `${path}.${key}`), v]));
  return obj.nested === undefined ? out : { ...out, nested: rewriteNestedSort(obj.nested, ctx, `${path}.nested`) };
}
