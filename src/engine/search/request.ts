import { EngineError } from '../errors.ts';
import { isObject, type Json, type JsonObject } from '../json.ts';
import { parseCollapse, type CollapseSpec } from './collapse.ts';
import { parseFieldRequests } from './hit-fields.ts';
import { parseSort, type SortKey } from './sort.ts';
import type { SearchOptions } from './types.ts';

export const DEFAULT_TRACK_TOTAL_HITS = 10_000;
export const DEFAULT_MAX_RESULT_WINDOW = 10_000;

export interface SourceSpec {
  fetch: boolean;
  includes?: string[];
  excludes?: string[];
}

/** A validated search request. */
export interface SearchRequest {
  query?: Json;
  postFilter?: Json;
  from: number;
  size: number;
  sort: SortKey[];
  searchAfter?: Json;
  source: SourceSpec;
  /** `stored_fields: _none_` drops _id and _source; other stored_fields drop _source unless asked. */
  storedFields?: string[];
  /** true = exact, false = not tracked, number = counted exactly up to it. */
  trackTotalHits: boolean | number;
  trackScores: boolean;
  aggs?: JsonObject;
  highlight?: JsonObject;
  fields: ReturnType<typeof parseFieldRequests>;
  docvalueFields: ReturnType<typeof parseFieldRequests>;
  minScore?: number;
  version: boolean;
  seqNoPrimaryTerm: boolean;
  collapse?: CollapseSpec;
}

/** Body keys that are accepted; the ones not acted upon are harmless to ignore for a dev engine. */
const KNOWN_KEYS = new Set([
  'query', 'from', 'size', 'sort', 'search_after', '_source', 'track_total_hits', 'aggs', 'aggregations', 'highlight',
  'docvalue_fields', 'fields', 'stored_fields', 'min_score', 'post_filter', 'version', 'seq_no_primary_term', 'explain',
  'timeout', 'terminate_after', 'track_scores', 'profile', 'stats', 'indices_boost', 'ext', 'slice', 'script_fields',
  'suggest', 'rescore', 'pit', 'include_named_queries_score', 'search_pipeline', 'verbose_pipeline', 'collapse',
]);

/** The XContent token a JSON value starts with, as parser messages name it. */
export function tokenName(v: Json): string {
  if (Array.isArray(v)) return 'START_ARRAY';
  if (isObject(v)) return 'START_OBJECT';
  if (typeof v === 'string') return 'VALUE_STRING';
  if (typeof v === 'number') return 'VALUE_NUMBER';
  if (typeof v === 'boolean') return 'VALUE_BOOLEAN';
  return 'VALUE_NULL';
}

function nonNegativeInt(v: Json | undefined, name: string, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n)) throw new EngineError(400, 'parsing_exception', `[${name}] failed to parse field [${name}]`);
  if (n < 0) throw new EngineError(400, 'illegal_argument_exception', `[${name}] parameter cannot be negative, found [${n}]`);
  return n;
}

const stringList = (v: Json | undefined): string[] | undefined =>
  v === undefined || v === null ? undefined : Array.isArray(v) ? v.map(String) : [String(v)];

function bodySource(v: Json | undefined): SourceSpec {
  if (v === undefined || v === null || v === true) return { fetch: true };
  if (v === false) return { fetch: false };
  if (typeof v === 'string' || Array.isArray(v)) return { fetch: true, includes: stringList(v) };
  if (isObject(v)) return { fetch: true, includes: stringList(v.includes ?? v.include), excludes: stringList(v.excludes ?? v.exclude) };
  throw new EngineError(400, 'parsing_exception', '[_source] must be a boolean, string, array or object');
}

/** URL `_source*` parameters replace the body's `_source` when present (as in OpenSearch). */
function sourceSpec(body: JsonObject, opts: SearchOptions): SourceSpec {
  const urlGiven = opts.sourceParam !== undefined || opts.sourceIncludes !== undefined || opts.sourceExcludes !== undefined;
  if (!urlGiven) return bodySource(body._source);
  const spec: SourceSpec = { fetch: opts.sourceParam !== false, excludes: opts.sourceExcludes };
  spec.includes = Array.isArray(opts.sourceParam) ? opts.sourceParam : opts.sourceIncludes;
  if (opts.sourceParam === false && (opts.sourceIncludes !== undefined || opts.sourceExcludes !== undefined)) spec.fetch = true;
  return spec;
}

function trackTotalHits(v: Json | undefined): boolean | number {
  if (v === undefined || v === null) return DEFAULT_TRACK_TOTAL_HITS;
  if (typeof v === 'boolean') return v;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new EngineError(400, 'illegal_argument_exception', `[track_total_hits] must be a boolean or an integer, got [${String(v)}]`);
  if (n === -1) return false;
  if (n < -1) throw new EngineError(400, 'illegal_argument_exception', `[track_total_hits] parameter must be positive or equals to -1, got ${n}`);
  return n;
}

function optionalObject(v: Json | undefined, name: string): JsonObject | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw new EngineError(400, 'parsing_exception', `[${name}] must be an object`);
  return v;
}

/** `collapse` must be an object; its inner hit definitions are search requests of their own. */
function collapseOf(v: Json | undefined): CollapseSpec | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw new EngineError(400, 'parsing_exception', `Unknown key for a ${tokenName(v)} in [collapse].`, { line: 1, col: 1 });
  return parseCollapse(v, (inner) => parseSearchRequest(inner, {}));
}

/** Validates the body (unknown keys are a 400 parsing_exception) and folds in URL options. */
export function parseSearchRequest(body: JsonObject, opts: SearchOptions): SearchRequest {
  for (const [key, value] of Object.entries(body)) {
    if (!KNOWN_KEYS.has(key)) throw new EngineError(400, 'parsing_exception', `Unknown key for a ${tokenName(value)} in [${key}].`, { line: 1, col: 1 });
  }
  if (body.aggs !== undefined && body.aggregations !== undefined) {
    throw new EngineError(400, 'parsing_exception', 'Found two aggregation type definitions in [aggregations]: [aggs] and [aggregations]');
  }
  const stored = stringList(body.stored_fields);
  return {
    query: body.query,
    postFilter: body.post_filter,
    from: nonNegativeInt(opts.from ?? body.from, 'from', 0),
    size: nonNegativeInt(opts.size ?? body.size, 'size', 10),
    sort: parseSort(body.sort),
    searchAfter: body.search_after ?? undefined,
    source: stored !== undefined && body._source === undefined && !stored.includes('_source') ? { fetch: false } : sourceSpec(body, opts),
    storedFields: stored,
    trackTotalHits: opts.trackTotalHits !== undefined ? trackTotalHits(opts.trackTotalHits) : trackTotalHits(body.track_total_hits),
    trackScores: body.track_scores === true,
    aggs: optionalObject(body.aggs ?? body.aggregations, 'aggregations'),
    highlight: optionalObject(body.highlight, 'highlight'),
    fields: parseFieldRequests(body.fields, 'fields'),
    docvalueFields: parseFieldRequests(body.docvalue_fields, 'docvalue_fields'),
    minScore: typeof body.min_score === 'number' ? body.min_score : undefined,
    version: opts.version ?? body.version === true,
    seqNoPrimaryTerm: opts.seqNoPrimaryTerm ?? body.seq_no_primary_term === true,
    collapse: collapseOf(body.collapse),
  };
}
