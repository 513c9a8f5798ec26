import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { ProxyError } from '../http/errors.ts';
import { createSearchResponseTransform, type CutRule } from '../stream/index.ts';
import { checkSearchParams, mapHit, rewriteCountBody, rewriteSearchBody, type HitContext, type SearchScope, type Target } from '../tenancy/index.ts';
import { sendJson } from '../server/respond.ts';
import type { OpContext } from './context.ts';
import { cursorKey, issueCursor, openCursor, type OpenCursor } from './cursors.ts';
import { objectBody } from './json-body.ts';
import { streamTransformed } from './stream-out.ts';
import { indexNotFound, oneCluster, resolveIndices } from './targets.ts';
import { callUpstream, mapUpstreamError, readUpstreamJson, relayedUpstreamError } from './upstream-call.ts';

const QUERY_STRING_PARAMS = ['q', 'df', 'default_operator', 'analyzer', 'lenient'];

export function searchScope(ctx: OpContext, targets: Target[]): SearchScope {
  const { reserved_fields, stored_script_allowlist } = ctx.services.config.tenancy;
  return { tenant: ctx.binding.tenant, targets, reserved: reserved_fields, storedScriptAllowlist: new Set(stored_script_allowlist) };
}

/** Resolves the targets of a search-like request; 404 for a missing concrete name (unless ignore_unavailable). */
export function searchTargets(ctx: OpContext): Target[] {
  const { targets, missing } = resolveIndices(ctx, ctx.endpoint.index);
  if (missing.length > 0 && ctx.query.get('ignore_unavailable') !== 'true') throw indexNotFound(missing[0]);
  return targets;
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
 * drops them would make every hit unmappable and the response cut, so they are always kept.
 */
const HIT_IDENTITY = 'hits.hits._index,hits.hits._id,**.hits.hits._index,**.hits.hits._id';

/** Upstream parameters: the query-string ones are folded into the body; routing pins shared-only searches to the tenant's shard. */
export function searchQuery(ctx: OpContext, targets: Target[]): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, v] of ctx.query) {
    if (QUERY_STRING_PARAMS.includes(k) || k === 'routing') continue;
    q.append(k, k === 'filter_path' ? `${v},${HIT_IDENTITY}` : v);
  }
  if (targets.every((t) => t.placement === 'shared' && t.routing === 'tenant')) q.set('routing', ctx.binding.tenant);
  else if (ctx.query.get('routing') !== null && targets.every((t) => t.placement !== 'shared')) q.set('routing', ctx.query.get('routing') as string);
  return q;
}

export function physicalPath(targets: Target[], suffix: string): string {
  const names = [...new Set(targets.map((t) => t.physicalIndex))];
  return `/${names.map(encodeURIComponent).join(',')}/${suffix}`;
}

export function hitContext(ctx: OpContext, targets: Target[]): HitContext {
  const byPhysical = new Map<string, Target[]>();
  for (const t of targets) byPhysical.set(t.physicalIndex, [...(byPhysical.get(t.physicalIndex) ?? []), t]);
  return { tenant: ctx.binding.tenant, reserved: ctx.services.config.tenancy.reserved_fields, byPhysical };
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

/** `GET/POST /{i}/_search`, lists, patterns and `/_search`: wrapped, then streamed through the hit transform. */
export async function search(ctx: OpContext): Promise<void> {
  const indexTargets = searchTargets(ctx);
  const body = foldQueryString(ctx, (await objectBody(ctx, 'the search request', false)) ?? {});
  const scroll = ctx.query.get('scroll') ?? undefined;
  if (scroll !== undefined) cursorKey(ctx);
  const pit = body.pit === undefined ? undefined : pitCursor(ctx, body.pit);
  const targets = pit?.targets ?? indexTargets;
  if (targets.length === 0) {
    ctx.addBytesOut(sendJson(ctx.res, 200, emptySearch()));
    return;
  }
  const scope = searchScope(ctx, targets);
  checkSearchParams(ctx.query, scope);
  checkTopHitsDepth(body.aggs ?? body.aggregations);
  const rewritten = rewriteSearchBody(pit === undefined ? body : { ...body, pit: { ...(body.pit as JsonObject), id: pit.payload.id } }, scope);
  const cluster = pit?.cluster ?? oneCluster(ctx, targets);
  ctx.explain.physical = [...new Set(targets.map((t) => t.physicalIndex))];
  ctx.explain.rewrites.push('search_wrap');
  const res = await callUpstream(ctx, cluster, {
    method: 'POST',
    // A PIT names its indexes itself: like OpenSearch, the search goes to `/_search`.
    path: pit === undefined ? physicalPath(targets, '_search') : '/_search',
    query: searchQuery(ctx, targets),
    body: JSON.stringify(rewritten),
    idempotent: true,
  });
  if (res.status !== 200) {
    ctx.addBytesOut(sendJson(ctx.res, res.status, relayedUpstreamError(ctx, res.status, await readUpstreamJson(ctx, res), targets)));
    return;
  }
  await streamHits(ctx, res.body, hitContext(ctx, targets), {
    onScrollId: scroll === undefined ? undefined : (id) => issueCursor(ctx, 'scroll', targets, id, scroll),
    onPitId: pit === undefined ? undefined : (id) => issueCursor(ctx, 'pit', targets, id, pitKeepAlive(body.pit)),
  });
}

/** `pit: {id, keep_alive}` in a search body: the caller's sealed PIT, never with an index in the path. */
function pitCursor(ctx: OpContext, spec: Json): OpenCursor {
  if (ctx.endpoint.index !== undefined) {
    throw new ProxyError(400, 'action_request_validation_exception', 'pit_with_indices', 'Validation Failed: 1: [indices] cannot be used with point in time;');
  }
  if (ctx.query.get('scroll') !== null) {
    throw new ProxyError(400, 'action_request_validation_exception', 'pit_with_scroll', 'Validation Failed: 1: using [point in time] is not allowed in a scroll context;');
  }
  if (!isObject(spec) || typeof spec.id !== 'string') throw new ProxyError(400, 'parsing_exception', 'pit_id_missing', '[pit] requires an [id]');
  return openCursor(ctx, 'pit', spec.id);
}

function pitKeepAlive(spec: Json | undefined): string | undefined {
  return isObject(spec) && typeof spec.keep_alive === 'string' ? spec.keep_alive : undefined;
}

/**
 * How many path segments between `aggregations` and a `top_hits` result are searched: each bucket
 * aggregation level adds up to three (`name.buckets.<i>`), so 24 covers 8 aggregation levels.
 */
const TOP_HITS_DEPTH = 24;
const MAX_TOP_HITS_LEVEL = 8;

/** Refuses `top_hits` nested deeper than the response mapper looks (it would pass unmapped). */
export function checkTopHitsDepth(aggs: Json | undefined, level = 1): void {
  if (!isObject(aggs)) return;
  for (const agg of Object.values(aggs)) {
    if (!isObject(agg)) continue;
    if (agg.top_hits !== undefined && level > MAX_TOP_HITS_LEVEL) {
      throw new ProxyError(400, 'illegal_argument_exception', 'top_hits_too_deep', `top_hits may be nested at most ${MAX_TOP_HITS_LEVEL} aggregation levels deep`);
    }
    checkTopHitsDepth(agg.aggs ?? agg.aggregations, level + 1);
  }
}

function mappedHit(hit: JsonObject, hits: HitContext): JsonObject {
  const mapped = mapHit(hit, hits);
  // The filter makes this unreachable; if it ever happens the response is cut, never leaked.
  if (mapped === undefined) throw new ProxyError(502, 'bad_gateway_exception', 'foreign_hit', 'a hit outside the tenant scope was refused');
  return mapped;
}

/**
 * `top_hits` aggregations carry hits inside `aggregations` (under any bucket nesting): each of
 * `aggregations.*…*.hits.hits.*` is mapped like a top-level hit.
 */
function topHitsRules(hits: HitContext): CutRule[] {
  const rules: CutRule[] = [];
  for (let depth = 1; depth <= TOP_HITS_DEPTH; depth++) {
    rules.push({
      path: ['aggregations', ...Array<string>(depth).fill('*'), 'hits', 'hits', '*'],
      onValue(raw) {
        const hit = JSON.parse(raw.toString('utf8')) as unknown;
        if (!isObject(hit)) throw new ProxyError(502, 'bad_gateway_exception', 'unexpected_hit', 'an aggregation hit had an unexpected shape');
        return JSON.stringify(mappedHit(hit, hits));
      },
    });
  }
  return rules;
}

/** Partial shard failures name physical indexes (and nodes): mapped like any upstream error. */
function shardFailuresRule(hits: HitContext): CutRule {
  const targets = [...hits.byPhysical.values()].flat();
  return {
    path: ['_shards', 'failures'],
    onValue: (raw) => JSON.stringify(mapUpstreamError(JSON.parse(raw.toString('utf8')) as Json, targets)),
  };
}

/** Seal the `_scroll_id` / `pit_id` of a response (SPEC §4.3); absent ⇒ copied through. */
export interface CursorIdRewriters {
  onScrollId?: (id: string) => string;
  onPitId?: (id: string) => string;
}

/** Pipes an upstream search response to the client, rewriting each hit; memory ≈ the largest hit. */
export async function streamHits(ctx: OpContext, body: NodeJS.ReadableStream, hits: HitContext, ids: CursorIdRewriters = {}): Promise<void> {
  const transform = createSearchResponseTransform({
    ...ids,
    maxHitBytes: ctx.services.config.limits.max_hit_bytes,
    onHit: (hit) => mappedHit(hit, hits),
    extraRules: [...topHitsRules(hits), shardFailuresRule(hits)],
  });
  await streamTransformed(ctx, body, transform, 'search');
}

/** `GET/POST /{i}/_count`: wrapped, upstream shape returned as is. */
export async function count(ctx: OpContext): Promise<void> {
  const targets = searchTargets(ctx);
  const body = foldQueryString(ctx, (await objectBody(ctx, 'the count request', false)) ?? {});
  if (targets.length === 0) {
    ctx.addBytesOut(sendJson(ctx.res, 200, { count: 0, _shards: { total: 0, successful: 0, skipped: 0, failed: 0 } }));
    return;
  }
  const rewritten = rewriteCountBody(body, searchScope(ctx, targets));
  const res = await callUpstream(ctx, oneCluster(ctx, targets), {
    method: 'POST',
    path: physicalPath(targets, '_count'),
    query: searchQuery(ctx, targets),
    body: JSON.stringify(rewritten),
    idempotent: true,
  });
  const answer = await readUpstreamJson(ctx, res);
  const out = res.status === 200 && isObject(answer) ? answer : relayedUpstreamError(ctx, res.status, answer, targets);
  ctx.addBytesOut(sendJson(ctx.res, res.status, out));
}
