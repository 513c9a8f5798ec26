/**
 * Aggregations (SPEC §4.4). `global` escapes the query, so it is refused at any depth;
 * significant_terms/text get the scope filter as `background_filter`; terms-like aggregations with
 * `min_doc_count: 0` would list other tenants' terms and are refused; fields that are reserved or
 * whose values are physical names are refused; sub-aggregations are walked.
 */
import type { Json, JsonObject } from '../core/json.ts';
import { malformed, refuse } from './errors.ts';
import { valueFieldName } from './field-checks.ts';
import { isObject } from '../core/json.ts';
import { rewriteHitOptions } from './hit-sections.ts';
import { expectObject } from './json-shape.ts';
import { andFilter, type RewriteContext } from './scope.ts';
import { checkScript } from './scripts.ts';
import { rewriteSort } from './sort-checks.ts';

type AggHandler = (body: Json, ctx: RewriteContext, path: string) => Json;

const MAX_AGG_DEPTH = 32;

export function rewriteAggs(aggs: Json, ctx: RewriteContext, path: string, depth = 0): JsonObject {
  if (depth > MAX_AGG_DEPTH) refuse('aggregation_too_deep', `[${path}] nests aggregations deeper than ${MAX_AGG_DEPTH} levels`);
  const entries = Object.entries(expectObject(aggs, path)).map(([name, def]): [string, Json] => [name, rewriteAgg(def, ctx, `${path}.${name}`, depth)]);
  return Object.fromEntries(entries);
}

function rewriteAgg(def: Json, ctx: RewriteContext, path: string, depth: number): JsonObject {
  const entries = Object.entries(expectObject(def, path));
  const types = entries.filter(([key]) => key !== 'aggs' && key !== 'aggregations' && key !== 'meta');
  if (types.length !== 1) malformed('malformed_aggregation', `[${path}] must hold exactly one aggregation type`);
  const mapped = entries.map(([key, value]): [string, Json] => {
    const at = `${path}.${key}`;
    if (key === 'aggs' || key === 'aggregations') return [key, rewriteAggs(value, ctx, at, depth + 1)];
    if (key === 'meta') return [key, value]; // opaque client data echoed back
    const handler = AGG_HANDLERS.get(key);
    if (handler === undefined) refuse('unsupported_aggregation', `[${path}] uses the aggregation type [${key}], which osproxy does not support`);
    return [key, handler(value, ctx, at)];
  });
  return Object.fromEntries(mapped);
}

const QUERY_KEYS = new Set(['filter', 'filters', 'query', 'background_filter']);

/**
 * Parameters of a value-source aggregation: `field`/`path`/`*_field` and `fields`/`*_fields` are
 * field names, `script`/`*_script` scripts; a query where none is expected is refused.
 */
function scanAggParams(value: Json, ctx: RewriteContext, path: string, termsLike: boolean): void {
  if (Array.isArray(value)) value.forEach((v, i) => scanAggParams(v, ctx, `${path}[${i}]`, termsLike));
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const at = `${path}.${key}`;
    if (key === 'script' || key.endsWith('_script')) checkScript(child, ctx, at);
    else if (key === 'field' || key === 'path' || key.endsWith('_field')) value[key] = valueFieldName(child, ctx, at);
    else if (key === 'fields' || key.endsWith('_fields')) value[key] = renameFieldList(child, ctx, at);
    else if (QUERY_KEYS.has(key)) malformed('unsupported_parameter', `[${at}] is not supported by osproxy`);
    else if (termsLike && key === 'min_doc_count' && Number(child) === 0) refuseMinDocCountZero(at);
    else scanAggParams(child, ctx, at, termsLike);
  }
}

/** multi_terms / matrix_stats field lists: names or `{field}` objects. */
function renameFieldList(list: Json, ctx: RewriteContext, at: string): Json {
  const rename = (f: Json, i: number): Json => {
    if (isObject(f)) return { ...f, field: valueFieldName(f.field, ctx, `${at}[${i}].field`) };
    return valueFieldName(f, ctx, `${at}[${i}]`);
  };
  return Array.isArray(list) ? list.map(rename) : rename(list, 0);
}

function refuseMinDocCountZero(path: string): never {
  refuse('min_doc_count_zero_refused', `[${path}] is 0, which would list terms from documents outside the tenant's indexes; use 1 or more`);
}

function valueSource(termsLike: boolean): AggHandler {
  return (body, ctx, path) => {
    scanAggParams(expectObject(body, path), ctx, path, termsLike);
    return body;
  };
}

/** background_filter defaults to the whole (shared) index: force it to the scope. */
const significant: AggHandler = (body, ctx, path) => {
  const b = expectObject(body, path);
  const { background_filter: bg, ...rest } = b;
  scanAggParams(rest, ctx, path, true);
  const own = bg === undefined ? undefined : ctx.rewriteQuery(bg, `${path}.background_filter`);
  const filter = andFilter(own, ctx.filter);
  return filter === undefined ? rest : { ...rest, background_filter: filter };
};

const globalAgg: AggHandler = (_body, _ctx, path) =>
  refuse('global_aggregation_refused', `[${path}] is a global aggregation, which ignores the query and would count documents outside the tenant's indexes`);

const joinAgg: AggHandler = (body, ctx, path) => {
  if (ctx.shared) refuse('join_aggregation_refused', `[${path}] joins parent and child documents, which is not supported in shared placement`);
  return valueSource(false)(body, ctx, path);
};

const filterAgg: AggHandler = (body, ctx, path) => ctx.rewriteQuery(body, path);

/** filters / adjacency_matrix: named or anonymous queries. */
const filtersAgg: AggHandler = (body, ctx, path) => {
  const b = expectObject(body, path);
  const at = `${path}.filters`;
  const filters = b.filters;
  const mapped = Array.isArray(filters)
    ? filters.map((q, i) => ctx.rewriteQuery(q, `${at}[${i}]`))
    : Object.fromEntries(Object.entries(expectObject(filters, at)).map(([name, q]): [string, Json] => [name, ctx.rewriteQuery(q, `${at}.${name}`)]));
  const { filters: _filters, ...rest } = b;
  scanAggParams(rest, ctx, path, false);
  return { ...rest, filters: mapped };
};

const topHits: AggHandler = (body, ctx, path) => rewriteHitOptions(body, ctx, path, false);

const topMetrics: AggHandler = (body, ctx, path) => {
  const { sort, ...rest } = expectObject(body, path);
  scanAggParams(rest, ctx, path, false);
  return sort === undefined ? rest : { ...rest, sort: rewriteSort(sort, ctx, `${path}.sort`) };
};

/** Pipeline aggregations read bucket values, never documents: nothing to scope. */
const pipeline: AggHandler = (body) => body;

const VALUE_SOURCE = [
  'avg', 'sum', 'min', 'max', 'value_count', 'cardinality', 'stats', 'extended_stats', 'percentiles', 'percentile_ranks',
  'median_absolute_deviation', 'boxplot', 'string_stats', 'geo_bounds', 'geo_centroid', 'weighted_avg', 'matrix_stats',
  'histogram', 'date_histogram', 'auto_date_histogram', 'variable_width_histogram', 'range', 'date_range', 'ip_range',
  'geo_distance', 'geohash_grid', 'geotile_grid', 'missing', 'rare_terms', 'sampler', 'diversified_sampler', 'nested',
  'reverse_nested', 'scripted_metric',
];
const TERMS_LIKE = ['terms', 'multi_terms', 'composite'];
const PIPELINE = [
  'avg_bucket', 'sum_bucket', 'min_bucket', 'max_bucket', 'stats_bucket', 'extended_stats_bucket', 'percentiles_bucket',
  'derivative', 'cumulative_sum', 'moving_avg', 'moving_fn', 'serial_diff', 'bucket_script', 'bucket_selector', 'bucket_sort',
];

const AGG_HANDLERS: ReadonlyMap<string, AggHandler> = new Map<string, AggHandler>([
  ...VALUE_SOURCE.map((t): [string, AggHandler] => [t, valueSource(false)]),
  ...TERMS_LIKE.map((t): [string, AggHandler] => [t, valueSource(true)]),
  ...PIPELINE.map((t): [string, AggHandler] => [t, pipeline]),
  ['significant_terms', significant],
  ['significant_text', significant],
  ['global', globalAgg],
  ['children', joinAgg],
  ['parent', joinAgg],
  ['filter', filterAgg],
  ['filters', filtersAgg],
  ['adjacency_matrix', filtersAgg],
  ['top_hits', topHits],
  ['top_metrics', topMetrics],
]);

