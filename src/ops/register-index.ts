/**
 * Implicit creation (SPEC §5.2): a first write to a logical index registers it in the fleet store,
 * like OpenSearch's auto-create, with the placement it keeps until a migration moves it.
 */
import { StoreConflict, StoreUnavailable } from '../control/fleet-store.ts';
import { OsproxyError, unavailable } from '../http/errors.ts';
import type { Target } from '../tenancy/index.ts';
import type { OpContext } from './context.ts';

export function storeUnavailable(): OsproxyError {
  return unavailable('control_store_unavailable', 'the fleet store cannot be reached to record a new index; retry later', 1);
}

/** Registers the target's logical index if this instance's snapshot does not know it yet. */
export async function registerIndex(ctx: OpContext, target: Target): Promise<void> {
  if (ctx.scope.has(target.lindex)) return;
  try {
    await ctx.services.control.registerIndex(ctx.scope.tenant, target.lindex);
  } catch (e) {
    if (e instanceof StoreUnavailable || e instanceof StoreConflict) throw storeUnavailable();
    throw e;
  }
  // Another instance may have created it first under a placement this request did not resolve.
  const registered = ctx.services.control.snapshot()?.target(ctx.scope.tenant, target.lindex);
  if (registered === undefined || registered.physicalIndex !== target.physicalIndex || registered.cluster !== target.cluster) {
    throw new OsproxyError({ status: 409, type: 'version_conflict_engine_exception', code: 'placement_changed', reason: `index [${target.lindex}] was just created with another placement; retry the request`, retryable: true });
  }
}

/** Removes a logical index from the fleet store (its data is the caller's to delete first). */
export async function unregisterIndex(ctx: OpContext, lindex: string): Promise<void> {
  try {
    await ctx.services.control.unregisterIndex(ctx.scope.tenant, lindex);
  } catch (e) {
    if (e instanceof StoreUnavailable || e instanceof StoreConflict) throw storeUnavailable();
    throw e;
  }
}
