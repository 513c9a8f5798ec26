/**
 * The write fence of live migration (SPEC §5.3). A write is checked against the instance's current
 * snapshot right before it is sent: refused with a retryable 409 `stale_epoch` while a cutover
 * fences its index, or when the index's epoch moved since the request resolved it (the placement
 * may have flipped); refused with a retryable 503 when this instance has not read the fleet store
 * for `control.write_fence_ms` (a cutover then counts it as fenced without its acknowledgement).
 * So only the time a write spends upstream can overlap a cutover, which its drain barrier covers.
 */
import { OsproxyError, unavailable } from '../http/errors.ts';
import type { Target } from '../tenancy/index.ts';
import type { OpContext } from './context.ts';

export function staleEpoch(lindex: string): OsproxyError {
  return new OsproxyError({
    status: 409, type: 'stale_epoch_exception', code: 'stale_epoch', retryable: true, headers: { 'retry-after': '1' },
    reason: `index [${lindex}] is moving to another placement; retry the write in a moment`,
  });
}

function staleSnapshot(ageMs: number): OsproxyError {
  return unavailable('control_store_stale', `this instance has not read the fleet store for ${Math.round(ageMs / 1000)} s; writes wait until it can (reads are served)`, 1);
}

/** Why a write to `target` must not be sent now; undefined when it may. */
export function writeRefusal(ctx: OpContext, target: Target): OsproxyError | undefined {
  const control = ctx.services.control;
  const age = control.snapshotAgeMs;
  if (age > ctx.services.config.control.write_fence_ms) return staleSnapshot(age);
  const entry = control.snapshot()?.index(ctx.scope.tenant, target.lindex);
  if (entry === undefined) return undefined;
  if (entry.fenced === true || (target.epoch !== undefined && entry.epoch !== target.epoch)) return staleEpoch(target.lindex);
  return undefined;
}

export function assertWritable(ctx: OpContext, target: Target): void {
  const refusal = writeRefusal(ctx, target);
  if (refusal !== undefined) throw refusal;
}
