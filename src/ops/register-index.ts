/**
 * Implicit and explicit creation (SPEC §5.2): a first write to a logical index, or `PUT /{i}`,
 * registers it in the fleet store, like OpenSearch's auto-create, with the placement it keeps
 * until a migration moves it. In shared placement it also gets its shared index (a home of the
 * pool with room for its field quota), its fields mapped there under the tenant's physical names.
 */
import { randomBytes } from 'node:crypto';
import type { IndexDoc } from '../control/documents.ts';
import { asJson } from '../control/snapshot-builder.ts';
import { OsproxyError } from '../http/errors.ts';
import { resolveTarget, type Target } from '../tenancy/index.ts';
import { emptyMapping, mappingJson, type LogicalMapping } from '../tenancy/mapping/logical-mapping.ts';
import { namerFor } from '../tenancy/mapping/physical-names.ts';
import type { OpContext } from './context.ts';
import { chooseHome, requestHomeEnv } from './shared-homes.ts';
import { storeCall } from './store-call.ts';
import { putPhysicalFields } from './tenant-fields.ts';

/** The document of a new logical index; in shared placement its home and fields are prepared first. */
async function newIndexDoc(ctx: OpContext, lindex: string, placement: IndexDoc['placement'], mapping: LogicalMapping): Promise<IndexDoc> {
  const doc: IndexDoc = { tenant: ctx.scope.tenant, name: lindex, placement, epoch: 0, created_at: Date.now(), layout: 0 };
  if (placement.kind !== 'shared') return doc;
  const home = await chooseHome(requestHomeEnv(ctx), resolveTarget(ctx.scope.tenant, lindex, placement));
  const incarnation = randomBytes(9).toString('base64url');
  const base = resolveTarget(ctx.scope.tenant, lindex, placement);
  const target: Target = { ...base, physicalIndex: home, fields: { mapping: emptyMapping(), namer: namerFor(ctx.scope.tenant) } };
  if (Object.keys(mapping.properties).length > 0) await putPhysicalFields(ctx, target, mapping);
  return { ...doc, layout: 1, home, incarnation, mapping: asJson(mappingJson(mapping)) };
}

export interface Registered {
  target: Target;
  /** False when the index existed already (another request or instance created it first). */
  created: boolean;
}

/** The index's registered target when it is registered already (registering it would change nothing); else undefined. */
export function registeredTarget(ctx: OpContext, target: Target): Target | undefined {
  const snapshot = ctx.services.control.snapshot();
  if (!ctx.scope.has(target.lindex) && snapshot?.hasIndex(ctx.scope.tenant, target.lindex) !== true) return undefined;
  return snapshot?.target(ctx.scope.tenant, target.lindex) ?? target;
}

/** The logical index of `target`, registered if this instance does not know it yet; its current target. */
export async function registerIndex(ctx: OpContext, target: Target, mapping: LogicalMapping = emptyMapping()): Promise<Registered> {
  const control = ctx.services.control;
  const known = registeredTarget(ctx, target);
  if (known !== undefined) return { target: known, created: false };
  const { created } = await storeCall(() => control.registerIndex(ctx.scope.tenant, target.lindex, (placement) => newIndexDoc(ctx, target.lindex, placement, mapping)));
  const registered = control.snapshot()?.target(ctx.scope.tenant, target.lindex);
  // Another instance may have created it first under a placement this request did not resolve.
  if (registered === undefined || registered.cluster !== target.cluster || (registered.fields === undefined && registered.physicalIndex !== target.physicalIndex)) {
    throw new OsproxyError({ status: 409, type: 'version_conflict_engine_exception', code: 'placement_changed', reason: `index [${target.lindex}] was just created with another placement; retry the request`, retryable: true });
  }
  return { target: registered, created };
}

/** Removes a logical index from the fleet store (its data is the caller's to delete first). */
export async function unregisterIndex(ctx: OpContext, lindex: string): Promise<void> {
  await storeCall(() => ctx.services.control.unregisterIndex(ctx.scope.tenant, lindex));
}
