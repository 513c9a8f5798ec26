/**
 * The script rule (SPEC §4.3): in shared placement only stored scripts on the operator's allowlist
 * run; inline scripts could read or rank on data outside the client's view (reserved fields,
 * runtime shadowing). Dedicated placements forward scripts untouched.
 */
import { isObject, type Json } from '../core/json.ts';
import { malformed, refuse } from './errors.ts';
import { assertNoReservedFields } from './reserved-fields.ts';
import type { ScriptPolicy } from './scope.ts';

export function checkScript(script: Json | undefined, policy: ScriptPolicy, path: string): void {
  if (!policy.shared) return;
  if (typeof script === 'string' || (isObject(script) && (script.source !== undefined || script.inline !== undefined))) {
    refuse('inline_script_refused', `[${path}] is an inline script; in shared placement only stored scripts on the operator's allowlist may run`);
  }
  if (!isObject(script) || typeof script.id !== 'string') malformed('malformed_request', `[${path}] must be a script with a stored script [id]`);
  if (!policy.storedScriptAllowlist.has(script.id)) {
    refuse('stored_script_not_allowed', `[${path}] names stored script [${script.id}], which is not on the operator's allowlist`);
  }
  if (script.params !== undefined) assertNoReservedFields(script.params, policy.reserved, 'script.params');
}
