/** Pieces of a search-like request shared by search, count, by-query, msearch and PIT. */
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { illegalArgument } from '../http/errors.ts';
import { rewriteSearchParams, type Target } from '../tenancy/index.ts';
import type { OpContext } from './context.ts';

export const QUERY_STRING_PARAMS: readonly string[] = ['q', 'df', 'default_operator', 'analyzer', 'lenient'];

/** The path's targets of a search-like request: a missing concrete name is a 404 unless ignore_unavailable. */
export function searchTargets(ctx: OpContext): Target[] {
  return ctx.scope.existingTargets(ctx.query.get('ignore_unavailable') === 'true');
}

/** `q=` becomes a query_string query inside the tenant wrap (SPEC §4.3). */
export function foldQueryString(ctx: OpContext, body: JsonObject): JsonObject {
  const q = ctx.query.get('q');
  if (q === null) return body;
  const qs: JsonObject = { query: q };
  const df = ctx.query.get('df');
  if (df !== null) qs.default_field = df;
  const op = ctx.query.get('default_operator');
  if (op !== null) qs.default_operator = op;
  const analyzer = ctx.query.get('analyzer');
  if (analyzer !== null) qs.analyzer = analyzer;
  if (ctx.query.get('lenient') === 'true') qs.lenient = true;
  return { ...body, query: { query_string: qs } };
}

/**
 * Hits are mapped (and proven the tenant's) by `_index` and `_id`: a client `filter_path` that
 * drops them would make every hit unmappable and the response cut, so they are always kept. The
 * client's own filter is applied by osproxy to what it returns (server/format-reply.ts).
 */
const HIT_IDENTITY = 'hits.hits._index,hits.hits._id,**.hits.hits._index,**.hits.hits._id';

/** Sections whose keys are field names: physical ones (`n__osx_…`) upstream when a target has per-tenant fields. */
const FIELD_KEYED = new Set(['_source', 'fields', 'highlight']);

/**
 * An inclusion that cannot name a physical field: cut after a field-keyed section and before a
 * wildcard (which could match one). Cutting only widens what is kept, and the client's own filter
 * is applied afterwards to the mapped answer. Undefined when nothing is left to narrow by.
 */
function beforeFieldNames(pattern: string): string | undefined {
  const kept: string[] = [];
  for (const segment of pattern.split('.')) {
    if (segment.includes('*')) break;
    kept.push(segment);
    if (FIELD_KEYED.has(segment)) break;
  }
  return kept.length === 0 ? undefined : kept.join('.');
}

/**
 * What the upstream is asked to keep: the client's inclusions plus the hit identity (exclusions
 * are applied by osproxy). With per-tenant field names the inclusions stop where field names
 * begin, since the upstream only knows the physical names.
 */
function upstreamFilterPath(client: string, physicalFields: boolean): string | undefined {
  const includes = client.split(',').map((f) => f.trim()).filter((f) => f !== '' && !f.startsWith('-'));
  if (includes.length === 0) return undefined;
  const upstream = physicalFields ? includes.map(beforeFieldNames) : includes;
  // An inclusion that keeps everything (a leading wildcard) leaves nothing to filter upstream.
  if (upstream.includes(undefined)) return undefined;
  return `${[...new Set(upstream)].join(',')},${HIT_IDENTITY}`;
}

/** Whether every target is shared and tenant-routed: then the search is pinned to the tenant's shard. */
export function tenantRouted(targets: readonly Target[]): boolean {
  return targets.every((t) => t.placement === 'shared' && t.routing === 'tenant');
}

/** Upstream parameters: the query-string ones are folded into the body; routing pins shared-only searches to the tenant's shard. */
export function searchQuery(ctx: OpContext, targets: Target[]): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, v] of rewriteSearchParams(ctx.query, ctx.scope.searchScope(targets))) {
    if (QUERY_STRING_PARAMS.includes(k) || k === 'routing') continue;
    if (k !== 'filter_path') q.append(k, v);
    else {
      const upstream = upstreamFilterPath(v, targets.some((t) => t.fields !== undefined));
      if (upstream !== undefined) q.append(k, upstream);
    }
  }
  if (tenantRouted(targets)) q.set('routing', ctx.scope.tenant);
  else if (ctx.query.get('routing') !== null && targets.every((t) => t.placement !== 'shared')) q.set('routing', ctx.query.get('routing') as string);
  return q;
}

export function physicalPath(targets: Target[], suffix: string): string {
  const names = [...new Set(targets.map((t) => t.physicalIndex))];
  return `/${names.map(encodeURIComponent).join(',')}/${suffix}`;
}

/** The answer to a search that targets no index (a pattern matching nothing). */
export function emptySearch(): JsonObject {
  return {
    took: 0,
    timed_out: false,
    _shards: { total: 0, successful: 0, skipped: 0, failed: 0 },
    hits: { total: { value: 0, relation: 'eq' }, max_score: null, hits: [] },
  };
}

const MAX_TOP_HITS_LEVEL = 8;

/** Refuses `top_hits` nested deeper than the response mapper looks (it would pass unmapped). */
export function checkTopHitsDepth(aggs: Json | undefined, level = 1): void {
  if (!isObject(aggs)) return;
  for (const agg of Object.values(aggs)) {
    if (!isObject(agg)) continue;
    if (agg.top_hits !== undefined && level > MAX_TOP_HITS_LEVEL) {
      throw illegalArgument('top_hits_too_deep', `top_hits may be nested at most ${MAX_TOP_HITS_LEVEL} aggregation levels deep`);
    }
    checkTopHitsDepth(agg.aggs ?? agg.aggregations, level + 1);
  }
}
