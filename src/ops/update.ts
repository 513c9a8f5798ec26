/** `POST /{i}/_update/{id}` (SPEC §4.3): doc, upsert, doc_as_upsert; scripts per the placement's rule. */
import { isObject, type JsonObject } from '../core/json.ts';
import { jsonReply, type Reply } from '../http/reply.ts';
import { encodeId } from '../tenancy/index.ts';
import type { OpContext } from './context.ts';
import { mapDocResponse, upstreamQuery } from './doc-response.ts';
import { objectBody } from './json-body.ts';
import { registerIndex } from './register-index.ts';
import { ensureSharedHome } from './shared-home.ts';
import { clusterFor, explainTargets } from './targets.ts';
import { checkDedicatedUpdate, checkSharedUpdate, sharedUpdateBody } from './update-body.ts';
import { callUpstream, readUpstreamJson, relayedUpstreamError } from './upstream-call.ts';

export async function updateDoc(ctx: OpContext): Promise<Reply> {
  const resolved = ctx.scope.one().target;
  const id = ctx.endpoint.id as string;
  encodeId(resolved, ctx.scope.tenant, id);
  let body = (await objectBody(ctx, 'the update request', true)) as JsonObject;
  if (resolved.placement !== 'shared') checkDedicatedUpdate(body, ctx.scope.reserved);
  else checkSharedUpdate(ctx, body);
  let { target } = await registerIndex(ctx, resolved);
  if (target.placement === 'shared') ({ body, target } = await sharedUpdateBody(ctx, body, target, id));
  const pid = encodeId(target, ctx.scope.tenant, id);
  await ensureSharedHome(ctx, target);
  explainTargets(ctx, [target]);
  const res = await callUpstream(ctx, clusterFor(ctx, target), {
    method: 'POST',
    path: `/${encodeURIComponent(target.physicalIndex)}/_update/${encodeURIComponent(pid)}`,
    query: upstreamQuery(ctx, target),
    body: JSON.stringify(body),
    idempotent: false,
  });
  const answer = await readUpstreamJson(ctx, res);
  if (res.status >= 400 || !isObject(answer)) return jsonReply(res.status, relayedUpstreamError(ctx, res.status, answer, [target], new Map([[pid, id]])));
  return jsonReply(res.status, mapDocResponse(answer, target, id, ctx));
}
