import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { illegalArgument } from '../http/errors.ts';
import { jsonReply, type Reply } from '../http/reply.ts';
import { checkSearchParams, decodeId, rewriteByQueryBody, splitSharedId, type Target } from '../tenancy/index.ts';
import type { OpContext } from './context.ts';
import { objectBody } from './json-body.ts';
import { explainRewrite, explainTargets, oneCluster } from './targets.ts';
import { callUpstream, mapUpstreamError, readUpstreamJson, relayedUpstreamError } from './upstream-call.ts';
import { assertWritable } from './write-fence.ts';
import { foldQueryString, physicalPath, QUERY_STRING_PARAMS, searchTargets, tenantRouted } from './search-request.ts';

/** Not forwarded upstream: `routing` is osproxy's (tenant) and `filter_path` could hide the shape we map. */
const NOT_FORWARDED = new Set(['routing', 'filter_path']);

function upstreamParams(ctx: OpContext, targets: Target[]): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, v] of ctx.query) {
    if (QUERY_STRING_PARAMS.includes(k) || NOT_FORWARDED.has(k)) continue;
    q.append(k, v);
  }
  if (tenantRouted(targets)) q.set('routing', ctx.scope.tenant);
  return q;
}

function emptyAnswer(kind: 'delete' | 'update'): JsonObject {
  return {
    took: 0,
    timed_out: false,
    total: 0,
    ...(kind === 'delete' ? { deleted: 0 } : { updated: 0 }),
    batches: 0,
    version_conflicts: 0,
    noops: 0,
    retries: { bulk: 0, search: 0 },
    throttled_millis: 0,
    requests_per_second: -1,
    throttled_until_millis: 0,
    failures: [],
  };
}

/** The logical index and id a failure names (physical names in, the tenant's names out). */
export function mapByQueryFailure(tenant: string, failure: Json, targets: Target[]): Json {
  if (!isObject(failure)) return mapUpstreamError(failure, targets);
  const pindex = typeof failure.index === 'string' ? failure.index : undefined;
  const pid = typeof failure.id === 'string' ? failure.id : undefined;
  const candidates = targets.filter((t) => t.physicalIndex === pindex);
  let target = candidates[0];
  if (pid !== undefined && candidates.length > 1) {
    const lindex = splitSharedId(pid)?.lindex;
    target = candidates.find((t) => t.lindex === lindex) ?? target;
  }
  const id = pid !== undefined && target !== undefined ? decodeId(target, tenant, pid) : undefined;
  const ids = pid !== undefined && id !== undefined ? new Map([[pid, id]]) : new Map<string, string>();
  const mapped = mapUpstreamError(failure, target !== undefined ? [target, ...targets] : targets, ids);
  if (!isObject(mapped)) return mapped;
  const out: JsonObject = { ...mapped };
  if (pindex !== undefined) out.index = target?.lindex ?? '[hidden]';
  if (pid !== undefined) {
    if (id !== undefined) out.id = id;
    else delete out.id;
  }
  return out;
}

function handler(kind: 'delete' | 'update') {
  const what = kind === 'delete' ? 'the delete_by_query request' : 'the update_by_query request';
  return async (ctx: OpContext): Promise<Reply> => {
    if (ctx.query.get('wait_for_completion') !== null && ctx.query.get('wait_for_completion') !== 'true') {
      throw illegalArgument('async_by_query_refused', 'osproxy runs by-query requests synchronously: only wait_for_completion=true is supported (tasks are not served to tenants)');
    }
    const targets = searchTargets(ctx);
    const body = foldQueryString(ctx, (await objectBody(ctx, what, false)) ?? {});
    if (targets.length === 0) return jsonReply(200, emptyAnswer(kind));
    const scope = ctx.scope.searchScope(targets);
    checkSearchParams(ctx.query, scope);
    const cluster = oneCluster(ctx, targets);
    const rewritten = rewriteByQueryBody(body, scope);
    explainTargets(ctx, targets);
    ctx.explain.rewrites.push('by_query_wrap');
    explainRewrite(ctx, body, rewritten);
    for (const t of targets) assertWritable(ctx, t);
    const res = await callUpstream(ctx, cluster, {
      method: 'POST',
      path: physicalPath(targets, kind === 'delete' ? '_delete_by_query' : '_update_by_query'),
      query: upstreamParams(ctx, targets),
      body: JSON.stringify(rewritten),
      idempotent: false,
    });
    const answer = await readUpstreamJson(ctx, res);
    if (!isObject(answer) || answer.error !== undefined) return jsonReply(res.status, relayedUpstreamError(ctx, res.status, answer, targets));
    const out: JsonObject = { ...answer };
    if (Array.isArray(answer.failures)) out.failures = answer.failures.map((f) => mapByQueryFailure(ctx.scope.tenant, f, targets));
    if (typeof out.task === 'string') delete out.task;
    return jsonReply(res.status, out);
  };
}

/** `POST /{i}/_delete_by_query`: wrapped query, upstream shape with failures mapped. */
export const deleteByQuery = handler('delete');
/** `POST /{i}/_update_by_query`: wrapped query plus the script rule (SPEC §4.3). */
export const updateByQuery = handler('update');
