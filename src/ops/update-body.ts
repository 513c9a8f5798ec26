/** Update bodies (single `_update` and bulk `update` items): the script rule and reserved-field tags. */
import { isObject, type JsonObject } from '../core/json.ts';
import { illegalArgument } from '../http/errors.ts';
import type { RequestScope } from '../resolve/request-scope.ts';
import { assertNoReservedFields, injectReservedFields, type ReservedFields } from '../tenancy/index.ts';

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

/** Checks and tags an update body for shared placement. */
export function sharedUpdateBody(body: JsonObject, scope: RequestScope, lindex: string): JsonObject {
  const reserved = scope.reserved;
  const out: JsonObject = { ...body };
  checkSharedScript(body.script, scope.settings.storedScriptAllowlist, reserved);
  if (body.doc !== undefined) assertNoReservedFields(body.doc, reserved, 'doc');
  if (body.upsert !== undefined) assertNoReservedFields(body.upsert, reserved, 'upsert');
  if (isObject(body.upsert)) out.upsert = injectReservedFields(body.upsert, scope.tenant, lindex, reserved);
  if (body.doc_as_upsert === true && isObject(body.doc)) out.doc = injectReservedFields(body.doc, scope.tenant, lindex, reserved);
  return out;
}

/** Dedicated placements forward scripts but still refuse reserved names in `doc` and `upsert`. */
export function checkDedicatedUpdate(body: JsonObject, reserved: ReservedFields): void {
  if (body.doc !== undefined) assertNoReservedFields(body.doc, reserved, 'doc');
  if (body.upsert !== undefined) assertNoReservedFields(body.upsert, reserved, 'upsert');
}
