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
    if (isObject(body.upsert)) out.upsert = injectReservedFields(body.upsert, scope.tenant, target.lindex, reserved);
    if (body.doc_as_upsert === true && isObject(body.doc)) out.doc = injectReservedFields(body.doc, scope.tenant, target.lindex, reserved);
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

/** Dedicated placements forward scripts but still refuse reserved names in `doc` and `upsert`. */
export function checkDedicatedUpdate(body: JsonObject, reserved: ReservedFields): void {
  if (body.doc !== undefined) assertNoReservedFields(body.doc, reserved, 'doc');
  if (body.upsert !== undefined) assertNoReservedFields(body.upsert, reserved, 'upsert');
}
