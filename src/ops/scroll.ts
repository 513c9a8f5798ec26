/**
 * Scroll continuation and clearing (SPEC §4.3): the client's sealed `_scroll_id` is unsealed and
 * checked against the caller, the real id goes upstream, each page is hit-mapped like a search and
 * its `_scroll_id` sealed again.
 */
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { validationFailed } from '../http/errors.ts';
import { jsonReply, type Reply } from '../http/reply.ts';
import type { OpContext } from './context.ts';
import { cursorRegistry } from './cursor-registry.ts';
import { cursorHorizon } from './cursor-horizon.ts';
import { byCluster, cursorKey, idList, issueCursor, namedCursors, openCursor } from './cursors.ts';
import { objectBody } from './json-body.ts';
import { streamHits, wholeAnswerLimit } from './hit-stream.ts';
import { callUpstream, callUpstreamSized, readUpstreamJson, relayedUpstreamError } from './upstream-call.ts';

/** `GET/POST /_search/scroll[/{id}]`, id and keep-alive from the path, the parameters or the body. */
export async function scroll(ctx: OpContext): Promise<Reply> {
  cursorKey(ctx);
  const body = (await objectBody(ctx, 'the scroll request', false)) ?? {};
  const sealed = ctx.endpoint.id ?? ctx.query.get('scroll_id') ?? body.scroll_id;
  if (typeof sealed !== 'string' || sealed === '') {
    throw validationFailed('scroll_id_missing', 'Validation Failed: 1: scrollId is missing;');
  }
  const keepAlive = ctx.query.get('scroll') ?? (typeof body.scroll === 'string' ? body.scroll : undefined);
  const cursor = openCursor(ctx, 'scroll', sealed);
  ctx.explain.physical = cursor.payload.p;
  const query = new URLSearchParams();
  const asInt = ctx.query.get('rest_total_hits_as_int');
  if (asInt !== null) query.set('rest_total_hits_as_int', asInt);
  const upstreamBody: JsonObject = { scroll_id: cursor.payload.id };
  if (keepAlive !== undefined) upstreamBody.scroll = keepAlive;
  const res = await callUpstreamSized(ctx, cursor.cluster, { method: 'POST', path: '/_search/scroll', query, body: JSON.stringify(upstreamBody), idempotent: false }, wholeAnswerLimit(ctx));
  if (res.status !== 200) return jsonReply(res.status, relayedUpstreamError(ctx, res.status, await readUpstreamJson(ctx, res), cursor.targets));
  return streamHits(ctx, res, ctx.scope.hitContext(cursor.targets), {
    onScrollId: (id) => issueCursor(ctx, 'scroll', cursor.targets, id, keepAlive ?? undefined, cursor),
  });
}

function freedCount(answer: Json | undefined): number {
  return isObject(answer) && typeof answer.num_freed === 'number' ? answer.num_freed : 0;
}

/**
 * `DELETE /_search/scroll[/{id}]` (ids in the path or as `scroll_id` in the body; `_all`). `_all`
 * clears only the caller's own cursors; ids that are not the caller's count as not found.
 */
export async function clearScroll(ctx: OpContext): Promise<Reply> {
  cursorKey(ctx);
  const body = ctx.endpoint.id === undefined ? await objectBody(ctx, 'the clear scroll request', false) : undefined;
  const ids = idList(ctx.endpoint.id ?? ctx.query.get('scroll_id') ?? body?.scroll_id);
  if (ids.length === 0) {
    throw validationFailed('scroll_id_missing', 'Validation Failed: 1: no scroll ids specified;');
  }
  const { all, open, unknown } = namedCursors(ctx, 'scroll', ids);
  const registry = cursorRegistry(ctx.services);
  for (const id of all ? unknown : []) registry.forget(ctx.scope.tenant, 'scroll', id);
  let freed = 0;
  for (const [cluster, byId] of byCluster(open)) {
    const res = await callUpstream(ctx, cluster, { method: 'DELETE', path: '/_search/scroll', body: JSON.stringify({ scroll_id: [...byId.keys()] }) });
    const answer = await readUpstreamJson(ctx, res);
    if (res.status !== 200 && res.status !== 404) {
      const targets = [...byId.values()].flat().flatMap((c) => c.targets);
      return jsonReply(res.status, relayedUpstreamError(ctx, res.status, answer, targets));
    }
    freed += freedCount(answer);
    for (const c of [...byId.values()].flat()) {
      registry.forget(ctx.scope.tenant, 'scroll', c.sealed);
      cursorHorizon(ctx.services).forget(c.payload.c, c.payload.id);
    }
  }
  const status = !all && freed === 0 ? 404 : 200;
  return jsonReply(status, { succeeded: true, num_freed: freed });
}
