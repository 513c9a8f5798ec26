/**
 * Leaf queries. Field-keyed ones (`{"term":{"<field>":...}}`) have their field checked, `_index`
 * and `_id` mapped; parameter-style ones (`exists`, `multi_match`, `query_string`…) have their
 * `field`/`fields`/`default_field` checked. Parameter values must be flat (scalars or lists of
 * scalars) unless known: anything else could hide a field name, so it is refused.
 */
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { malformed, refuse } from './errors.ts';
import { queryFieldList, queryFieldNames, rewriteQueryText, valueFieldName } from './field-checks.ts';
import { rewriteTermsLookup } from './doc-refs.ts';
import { assertKnownKeys, expectObject, isFlat, perName, single } from './json-shape.ts';
import { ID_QUERY_TYPES, INDEX_QUERY_TYPES, rewriteIdTermQuery, rewriteIndexQuery } from './meta-queries.ts';
import type { RewriteContext } from './scope.ts';
import { checkScript } from './scripts.ts';

export type QueryHandler = (body: Json, ctx: RewriteContext, path: string) => JsonObject;

const OUTER_PARAMS = ['boost', '_name'];

interface FieldKeyedSpec {
  /** Outer keys that are parameters, not the field. */
  outer?: string[];
  /** The field's value is geometry data, not parameters. */
  geo?: boolean;
}

const FIELD_KEYED: Record<string, FieldKeyedSpec> = {
  term: {},
  terms: {},
  match: {},
  match_phrase: {},
  match_phrase_prefix: {},
  match_bool_prefix: {},
  prefix: {},
  wildcard: {},
  regexp: {},
  fuzzy: {},
  range: {},
  common: {},
  span_term: {},
  terms_set: {},
  intervals: {},
  geo_distance: { outer: ['distance', 'distance_type', 'validation_method', 'ignore_unmapped'], geo: true },
  geo_bounding_box: { outer: ['type', 'validation_method', 'ignore_unmapped'], geo: true },
  geo_polygon: { outer: ['validation_method', 'ignore_unmapped'], geo: true },
  geo_shape: { outer: ['ignore_unmapped'], geo: true },
};

function fieldKeyed(type: string, spec: FieldKeyedSpec): QueryHandler {
  const outer = new Set([...OUTER_PARAMS, ...(spec.outer ?? [])]);
  return (body, ctx, path) => {
    const b = expectObject(body, path);
    const fields = Object.keys(b).filter((k) => !outer.has(k));
    if (fields.length !== 1) malformed('malformed_query', `[${path}] must name exactly one field`);
    const field = fields[0];
    const at = `${path}.${field}`;
    for (const key of outer) if (b[key] !== undefined && !isFlat(b[key])) malformed('malformed_query', `[${path}.${key}] must be a value`);
    const mapped = rewriteMetaField(type, field, b, ctx, at);
    if (mapped !== undefined) return mapped;
    const names = queryFieldNames(field, ctx, at);
    const value = spec.geo ? checkGeoValue(b[field], at) : checkFieldValue(type, b[field], ctx, at);
    const rest = Object.fromEntries(Object.entries(b).filter(([k]) => k !== field));
    return perName(names, (name) => single(type, { ...rest, ...single(name, value) }));
  };
}

/** `_index` queries are evaluated and mapped; `_id` terms become physical ids (shared). */
function rewriteMetaField(type: string, field: string, body: JsonObject, ctx: RewriteContext, at: string): JsonObject | undefined {
  const value = body[field];
  const lookup = type === 'terms' && isObject(value);
  if (field === '_index' && INDEX_QUERY_TYPES.has(type) && !lookup) return rewriteIndexQuery(type, value, body, ctx, at);
  if (field === '_id' && ctx.shared && ID_QUERY_TYPES.has(type) && !lookup) return rewriteIdTermQuery(type, value, body, ctx, at);
  return undefined;
}

function checkFieldValue(type: string, value: Json, ctx: RewriteContext, at: string): Json {
  if (type === 'terms' && isObject(value)) return rewriteTermsLookup(value, ctx, at);
  if (type === 'intervals') {
    scanIntervals(value, ctx, at);
    return value;
  }
  if (isObject(value)) checkLeafParams(value, ctx, at);
  else if (!isFlat(value)) malformed('malformed_query', `[${at}] must be a value, a list of values or an object of parameters`);
  return value;
}

/** Flat parameters; `*_field` names a field (renamed in place), `*_script` is a script (terms_set). */
function checkLeafParams(params: JsonObject, ctx: RewriteContext, at: string): void {
  for (const [key, value] of Object.entries(params)) {
    const path = `${at}.${key}`;
    if (key.endsWith('_script')) checkScript(value, ctx, path);
    else if (!isFlat(value)) malformed('unsupported_parameter', `[${path}] is not supported by osproxy`);
    else if (key.endsWith('_field')) params[key] = valueFieldName(value, ctx, path);
  }
}

/** Interval rules nest arbitrarily; they name fields only via `use_field` and run `script` filters. */
function scanIntervals(value: Json, ctx: RewriteContext, at: string): void {
  if (Array.isArray(value)) value.forEach((v, i) => scanIntervals(v, ctx, `${at}[${i}]`));
  if (!isObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const path = `${at}.${key}`;
    if (key === 'script') checkScript(child, ctx, path);
    else if (key === 'use_field') value[key] = valueFieldName(child, ctx, path);
    else scanIntervals(child, ctx, path);
  }
}

/** Geometry is data; only a pre-indexed shape (read from another index) is refused. */
function checkGeoValue(value: Json, at: string): Json {
  if (isObject(value) && value.indexed_shape !== undefined) {
    refuse('lookup_refused', `[${at}.indexed_shape] reads a shape from a stored document, which osproxy does not support`);
  }
  return value;
}

interface ParamLeafSpec {
  /** Parameters whose value is an object of numbers (rank_feature functions). */
  objects?: string[];
  /** `query` is Lucene query syntax that may name fields. */
  text?: boolean;
}

const PARAM_LEAVES: Record<string, ParamLeafSpec> = {
  exists: {},
  multi_match: {},
  combined_fields: {},
  query_string: { text: true },
  simple_query_string: { text: true },
  rank_feature: { objects: ['saturation', 'log', 'sigmoid', 'linear'] },
  distance_feature: {},
};

const FIELD_PARAMS = new Set(['field', 'fields', 'default_field']);

function paramLeaf(type: string, spec: ParamLeafSpec): QueryHandler {
  const objects = new Set(spec.objects ?? []);
  return (body, ctx, path) => {
    const b: JsonObject = { ...expectObject(body, path) };
    for (const [key, value] of Object.entries(b)) {
      const at = `${path}.${key}`;
      if (FIELD_PARAMS.has(key)) b[key] = queryFieldList(value, ctx, at);
      else if (objects.has(key) ? !Object.values(expectObject(value, at)).every(isFlat) : !isFlat(value)) {
        malformed('unsupported_parameter', `[${at}] is not supported by osproxy`);
      }
    }
    if (type === 'exists' && b.field === undefined) malformed('malformed_query', `[${path}] must have [field]`);
    if (spec.text) b.query = rewriteQueryText(b.query, ctx, `${path}.query`);
    // A single-name parameter that now has several names: one query per name (exists, distance_feature)…
    if (Array.isArray(b.field)) return perName(b.field as string[], (name) => single(type, { ...b, field: name }));
    // …or, for a default field, the list form OpenSearch also takes.
    if (Array.isArray(b.default_field)) {
      b.fields = [...(Array.isArray(b.fields) ? b.fields : []), ...b.default_field];
      delete b.default_field;
    }
    return single(type, b);
  };
}

const SIMPLE_KEYS: ReadonlySet<string> = new Set(OUTER_PARAMS);
const SCRIPT_QUERY_KEYS: ReadonlySet<string> = new Set(['script', ...OUTER_PARAMS]);

function simple(type: string): QueryHandler {
  return (body, _ctx, path) => {
    const b = expectObject(body, path);
    assertKnownKeys(b, SIMPLE_KEYS, path);
    return single(type, b);
  };
}

function scriptQuery(body: Json, ctx: RewriteContext, path: string): JsonObject {
  const b = expectObject(body, path);
  assertKnownKeys(b, SCRIPT_QUERY_KEYS, path);
  checkScript(b.script, ctx, `${path}.script`);
  return { script: b };
}

export function leafHandlers(): Map<string, QueryHandler> {
  const handlers = new Map<string, QueryHandler>();
  for (const [type, spec] of Object.entries(FIELD_KEYED)) handlers.set(type, fieldKeyed(type, spec));
  for (const [type, spec] of Object.entries(PARAM_LEAVES)) handlers.set(type, paramLeaf(type, spec));
  handlers.set('match_all', simple('match_all'));
  handlers.set('match_none', simple('match_none'));
  handlers.set('script', scriptQuery);
  return handlers;
}
