import { isObject, type JsonObject } from '../core/json.ts';
import { ProxyError } from '../http/errors.ts';
import { assertNoReservedFields, encodeId, injectReservedFields, type ReservedFields } from '../tenancy/index.ts';
import { sendJson } from '../server/respond.ts';
import type { OpContext } from './context.ts';
import { mapDocResponse, upstreamQuery } from './doc.ts';
import { objectBody } from './json-body.ts';
import { clusterFor, explainTarget, singleIndex, targetFor } from './targets.ts';
import { callUpstream, readUpstreamJson, relayedUpstreamError } from './upstream-call.ts';
import { ensureSharedHome } from './index-admin.ts';

/**
 * Shared placement: only stored scripts on the operator allowlist may run, since an inline script
 * could read or write the reserved fields (SPEC §4.3). Dedicated placements forward scripts.
 */
export function checkSharedScript(script: unknown, allowlist: readonly string[], reserved: ReservedFields): void {
  if (script === undefined) return;
  const id = isObject(script) && typeof script.id === 'string' ? script.id : undefined;
  if (id === undefined) {
    throw new ProxyError(400, 'illegal_argument_exception', 'inline_script_refused', 'inline scripts are not allowed on indexes in shared placement; use a stored script on the operator allowlist');
  }
  if (!allowlist.includes(id)) {
    throw new ProxyError(400, 'illegal_argument_exception', 'stored_script_not_allowed', `stored script [${id}] is not on the operator allowlist`);
  }
  if (isObject(script) && script.params !== undefined) assertNoReservedFields(script.params, reserved, 'script.params');
}

/** Checks and tags an update body for shared placement. */
export function sharedUpdateBody(body: JsonObject, ctx: OpContext, lindex: string): JsonObject {
  const { reserved_fields: reserved, stored_script_allowlist: allowlist } = ctx.services.config.tenancy;
  const out: JsonObject = { ...body };
  checkSharedScript(body.script, allowlist, reserved);
  if (body.doc !== undefined) assertNoReservedFields(body.doc, reserved, 'doc');
  if (body.upsert !== undefined) assertNoReservedFields(body.upsert, reserved, 'upsert');
  if (isObject(body.upsert)) out.upsert = injectReservedFields(body.upsert, ctx.binding.tenant, lindex, reserved);
  if (body.doc_as_upsert === true && isObject(body.doc)) out.doc = injectReservedFields(body.doc, ctx.binding.tenant, lindex, reserved);
  return out;
}

/** Dedicated placements forward scripts but still refuse reserved names in `doc` and `upsert`. */
export function checkDedicatedUpdate(body: JsonObject, reserved: ReservedFields): void {
  if (body.doc !== undefined) assertNoReservedFields(body.doc, reserved, 'doc');
  if (body.upsert !== undefined) assertNoReservedFields(body.upsert, reserved, 'upsert');
}

/** `POST /{i}/_update/{id}`. */
export async function updateDoc(ctx: OpContext): Promise<void> {
  const lindex = singleIndex(ctx);
  const target = targetFor(ctx, lindex);
  const id = ctx.endpoint.id as string;
  const pid = encodeId(target, ctx.binding.tenant, id);
  let body = (await objectBody(ctx, 'the update request', true)) as JsonObject;
  if (target.placement === 'shared') body = sharedUpdateBody(body, ctx, lindex);
  else checkDedicatedUpdate(body, ctx.services.config.tenancy.reserved_fields);
  await ensureSharedHome(ctx, target);
  await ctx.services.registry.register(ctx.binding.tenant, lindex);
  explainTarget(ctx, target);
  const res = await callUpstream(ctx, clusterFor(ctx, target), {
    method: 'POST',
    path: `/${encodeURIComponent(target.physicalIndex)}/_update/${encodeURIComponent(pid)}`,
    query: upstreamQuery(ctx, target),
    body: JSON.stringify(body),
    idempotent: false,
  });
  const answer = await readUpstreamJson(ctx, res);
  if (res.status >= 400 || !isObject(answer)) {
    ctx.addBytesOut(sendJson(ctx.res, res.status, relayedUpstreamError(ctx, res.status, answer, [target], new Map([[pid, id]]))));
    return;
  }
  ctx.addBytesOut(sendJson(ctx.res, res.status, mapDocResponse(answer, target, id, ctx)));
}
