/** `_search` and `_count` (SPEC §4.3, §4.4): wrapped in the tenant filter; search hits streamed back mapped. */
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { parsingFailed, validationFailed } from '../http/errors.ts';
import { jsonReply, type Reply } from '../http/reply.ts';
import { checkSearchParams, rewriteCountBody, rewriteSearchBody } from '../tenancy/index.ts';
import type { OpContext } from './context.ts';
import { cursorKey, issueCursor, openCursor, type OpenCursor } from './cursors.ts';
import { streamHits, wholeAnswerLimit } from './hit-stream.ts';
import { objectBody } from './json-body.ts';
import { checkTopHitsDepth, emptySearch, foldQueryString, physicalPath, searchQuery, searchTargets } from './search-request.ts';
import { explainRewrite, explainTargets, oneCluster } from './targets.ts';
import { callUpstream, callUpstreamSized, readUpstreamJson, relayedUpstreamError } from './upstream-call.ts';

/** `GET/POST /{i}/_search`, lists, patterns and `/_search`: wrapped, then streamed through the hit transform. */
export async function search(ctx: OpContext): Promise<Reply> {
  const indexTargets = searchTargets(ctx);
  const body = foldQueryString(ctx, (await objectBody(ctx, 'the search request', false)) ?? {});
  const scroll = ctx.query.get('scroll') ?? undefined;
  if (scroll !== undefined) cursorKey(ctx);
  const pit = body.pit === undefined ? undefined : pitCursor(ctx, body.pit);
  const targets = pit?.targets ?? indexTargets;
  if (targets.length === 0) return jsonReply(200, emptySearch());
  const scope = ctx.scope.searchScope(targets);
  checkSearchParams(ctx.query, scope);
  checkTopHitsDepth(body.aggs ?? body.aggregations);
  const rewritten = rewriteSearchBody(pit === undefined ? body : { ...body, pit: { ...(body.pit as JsonObject), id: pit.payload.id } }, scope);
  const cluster = pit?.cluster ?? oneCluster(ctx, targets);
  explainTargets(ctx, targets);
  ctx.explain.rewrites.push('search_wrap');
  explainRewrite(ctx, body, rewritten);
  const res = await callUpstreamSized(ctx, cluster, {
    method: 'POST',
    // A PIT names its indexes itself: like OpenSearch, the search goes to `/_search`.
    path: pit === undefined ? physicalPath(targets, '_search') : '/_search',
    query: searchQuery(ctx, targets),
    filterPath: true,
    body: JSON.stringify(rewritten),
    idempotent: true,
  }, wholeAnswerLimit(ctx));
  if (res.status !== 200) return jsonReply(res.status, relayedUpstreamError(ctx, res.status, await readUpstreamJson(ctx, res), targets));
  return streamHits(ctx, res, ctx.scope.hitContext(targets), {
    aggregations: body.aggs !== undefined || body.aggregations !== undefined,
    onScrollId: scroll === undefined ? undefined : (id) => issueCursor(ctx, 'scroll', targets, id, scroll),
    onPitId: pit === undefined ? undefined : (id) => issueCursor(ctx, 'pit', targets, id, pitKeepAlive(body.pit), pit),
  });
}

/** `pit: {id, keep_alive}` in a search body: the caller's sealed PIT, never with an index in the path. */
function pitCursor(ctx: OpContext, spec: Json): OpenCursor {
  if (ctx.endpoint.index !== undefined) {
    throw validationFailed('pit_with_indices', 'Validation Failed: 1: [indices] cannot be used with point in time;');
  }
  if (ctx.query.get('scroll') !== null) {
    throw validationFailed('pit_with_scroll', 'Validation Failed: 1: using [point in time] is not allowed in a scroll context;');
  }
  if (!isObject(spec) || typeof spec.id !== 'string') throw parsingFailed('pit_id_missing', '[pit] requires an [id]');
  return openCursor(ctx, 'pit', spec.id);
}

function pitKeepAlive(spec: Json | undefined): string | undefined {
  return isObject(spec) && typeof spec.keep_alive === 'string' ? spec.keep_alive : undefined;
}

/** `GET/POST /{i}/_count`: wrapped, upstream shape returned as is. */
export async function count(ctx: OpContext): Promise<Reply> {
  const targets = searchTargets(ctx);
  const body = foldQueryString(ctx, (await objectBody(ctx, 'the count request', false)) ?? {});
  if (targets.length === 0) return jsonReply(200, { count: 0, _shards: { total: 0, successful: 0, skipped: 0, failed: 0 } });
  const rewritten = rewriteCountBody(body, ctx.scope.searchScope(targets));
  const res = await callUpstream(ctx, oneCluster(ctx, targets), {
    method: 'POST',
    path: physicalPath(targets, '_count'),
    query: searchQuery(ctx, targets),
    body: JSON.stringify(rewritten),
    idempotent: true,
  });
  const answer = await readUpstreamJson(ctx, res);
  return jsonReply(res.status, res.status === 200 && isObject(answer) ? answer : relayedUpstreamError(ctx, res.status, answer, targets));
}
