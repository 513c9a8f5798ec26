/** Update bodies (single `_update` and bulk `update` items): the script rule and reserved-field tags. */
import { isObject, type JsonObject } from '../core/json.ts';
import { illegalArgument } from '../http/errors.ts';
import { assertNoReservedFields, injectReservedFields, type ReservedFields, type Target } from '../tenancy/index.ts';
import type { OpContext } from './context.ts';
import { physicalDocument, physicalPartial } from './tenant-fields.ts';

/**
 * Shared placement: only stored scripts on the operator allowlist may run, since an inline script
 * could read or write the reserved fields (SPEC §4.3). Dedicated placements forward scripts.
 */
export function checkSharedScript(script: unknown, allowlist: ReadonlySet<string>, reserved: ReservedFields): void {
  if (script === undefined) return;
  const id = isObject(script) && typeof script.id === 'string' ? script.id : undefined;
  if (id === undefined) {
    throw illegalArgument('inline_script_refused', 'inline scripts are not allowed on indexes in shared placement; use a stored script on the operator allowlist');
  }
  if (!allowlist.has(id)) throw illegalArgument('stored_script_not_allowed', `stored script [${id}] is not on the operator allowlist`);
  if (isObject(script) && script.params !== undefined) assertNoReservedFields(script.params, reserved, 'script.params');
}

/**
 * Checks and tags an update body for shared placement: `doc` and `upsert` get the tenant's field
 * names (new fields added first), a document that may be created gets the reserved fields.
 */
export async function sharedUpdateBody(ctx: OpContext, body: JsonObject, target: Target, id: string): Promise<{ body: JsonObject; target: Target }> {
  const scope = ctx.scope;
  const reserved = scope.reserved;
  const out: JsonObject = { ...body };
  checkSharedUpdate(ctx, body);
  if (target.fields === undefined) {
    if (isObject(body.upsert)) out.upsert = injectReservedFields(body.upsert, scope.tenant, target.lindex, reserved, target.epoch ?? 0);
    if (isObject(body.doc)) out.doc = body.doc_as_upsert === true ? injectReservedFields(body.doc, scope.tenant, target.lindex, reserved, target.epoch ?? 0) : { ...body.doc, [reserved.epoch]: target.epoch ?? 0 };
    return { body: out, target };
  }
  let current = target;
  if (isObject(body.doc)) {
    const doc = body.doc_as_upsert === true ? await physicalDocument(ctx, current, body.doc, id, 'doc') : await physicalPartial(ctx, current, body.doc, 'doc');
    out.doc = doc.body;
    current = doc.target;
  }
  if (isObject(body.upsert)) {
    const upsert = await physicalDocument(ctx, current, body.upsert, id, 'upsert');
    out.upsert = upsert.body;
    current = upsert.target;
  }
  return { body: out, target: current };
}

/** The checks of a shared-placement update that need nothing but the body (made before anything is created). */
export function checkSharedUpdate(ctx: OpContext, body: JsonObject): void {
  const reserved = ctx.scope.reserved;
  checkSharedScript(body.script, ctx.scope.settings.storedScriptAllowlist, reserved);
  if (body.doc !== undefined) assertNoReservedFields(body.doc, reserved, 'doc');
  if (body.upsert !== undefined) assertNoReservedFields(body.upsert, reserved, 'upsert');
}

/** A dedicated index whose writes are stamped: `doc` and `upsert` carry the epoch (scripted updates are not stamped). */
export function stampDedicatedUpdate(body: JsonObject, target: Target, reserved: Required<ReservedFields>): JsonObject {
  if (target.stampEpoch !== true) return body;
  const epoch = target.epoch ?? 0;
  const out: JsonObject = { ...body };
  if (isObject(body.doc)) out.doc = { ...body.doc, [reserved.epoch]: epoch };
  if (isObject(body.upsert)) out.upsert = { ...body.upsert, [reserved.epoch]: epoch };
  return out;
}

/** Dedicated placements forward scripts but still refuse reserved names in `doc` and `upsert`. */
export function checkDedicatedUpdate(body: JsonObject, reserved: ReservedFields): void {
  if (body.doc !== undefined) assertNoReservedFields(body.doc, reserved, 'doc');
  if (body.upsert !== undefined) assertNoReservedFields(body.upsert, reserved, 'upsert');
}
