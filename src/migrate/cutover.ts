/**
 * The cutover of a migration (SPEC §5.3 steps 4–5): writes to the index are fenced at a new
 * epoch; every live instance must acknowledge it (its heartbeat names a snapshot that has the
 * fence); in-flight writes drain; then the placement flips, at yet another epoch. An instance
 * that stopped heartbeating for `write_fence_ms` refuses writes on its own, so it counts as fenced.
 */
import type { IndexDoc, MigrationDoc } from '../control/documents.ts';
import type { Json } from '../core/json.ts';
import type { DriverEnv } from './driver-env.ts';
import { MigrationStepError } from './upstream-json.ts';

export interface Fence {
  epoch: number;
  seq_no: number;
  at: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Fences writes (once: a resumed driver finds its fence in the index document). */
export async function fenceWrites(env: DriverEnv, m: MigrationDoc): Promise<Fence> {
  const entry = await env.control.changeIndex(m.tenant, m.index, (doc) => {
    if (m.fence !== undefined && doc.fenced === true && doc.epoch === m.fence.epoch) return undefined;
    return { ...doc, epoch: doc.epoch + 1, fenced: true };
  });
  if (entry === undefined) throw new MigrationStepError(`index [${m.index}] of tenant [${m.tenant}] is gone`);
  return m.fence !== undefined && entry.epoch === m.fence.epoch ? m.fence : { epoch: entry.epoch, seq_no: entry.seqNo, at: Date.now() };
}

/** Instances that may still accept writes: seen within the write fence (plus two heartbeats). */
function liveInstances(env: DriverEnv, now: number): { id: string; snapshot: number; lastSeen: number }[] {
  const window = env.config.control.write_fence_ms + 2 * env.config.control.heartbeat_ms;
  const out: { id: string; snapshot: number; lastSeen: number }[] = [];
  for (const [id, e] of env.control.snapshot()?.instances ?? []) {
    if (now - e.doc.last_seen <= window) out.push({ id, snapshot: e.doc.snapshot, lastSeen: e.doc.last_seen });
  }
  return out;
}

/** The instances that have not acknowledged the fence yet (empty: all have, or stopped counting). */
export function unacknowledged(env: DriverEnv, fence: Fence, now = Date.now()): string[] {
  return liveInstances(env, now).filter((i) => i.snapshot < fence.seq_no).map((i) => i.id);
}

/** Waits for every live instance to acknowledge the fence; `check` runs between looks (a cancel stops it). */
export async function awaitAcknowledgements(env: DriverEnv, fence: Fence, check: () => Promise<void>): Promise<void> {
  for (;;) {
    await env.control.tick();
    if (unacknowledged(env, fence).length === 0) return;
    await check();
    await sleep(Math.min(env.config.control.poll_ms, 250));
  }
}

/** How long writes sent before the fence may still be in flight: the upstream request timeout, plus a margin. */
export function drainMs(env: DriverEnv, m: MigrationDoc): number {
  const cluster = m.from.placement.cluster ?? 'default';
  return (env.config.clusters[cluster]?.request_timeout_ms ?? 30_000) + 250;
}

/** Flips the placement to the target at a new epoch, writes unfenced there; the source is remembered. */
export async function flipPlacement(env: DriverEnv, m: MigrationDoc, mapping: Json | undefined): Promise<void> {
  const entry = await env.control.changeIndex(m.tenant, m.index, (doc): IndexDoc | undefined => {
    if (flipped(doc, m)) return undefined;
    const next: IndexDoc = {
      ...doc, placement: m.to.placement, layout: m.to.layout, home: m.to.home, incarnation: m.to.incarnation,
      epoch: doc.epoch + 1, fenced: false, stamp_epoch: true, previous: m.from,
    };
    if (mapping !== undefined) next.mapping = mapping as IndexDoc['mapping'];
    return next;
  });
  if (entry === undefined) throw new MigrationStepError(`index [${m.index}] of tenant [${m.tenant}] is gone`);
}

/** Whether the index document already names the migration's target (a resumed driver flipped it). */
export function flipped(doc: IndexDoc, m: MigrationDoc): boolean {
  return m.fence !== undefined && doc.epoch > m.fence.epoch && JSON.stringify(doc.placement) === JSON.stringify(m.to.placement) && doc.home === m.to.home;
}

/** Lifts the fence without moving (a cancelled cutover): a new epoch, writes to the source again. */
export async function liftFence(env: DriverEnv, m: MigrationDoc): Promise<void> {
  await env.control.changeIndex(m.tenant, m.index, (doc) => (doc.fenced === true ? { ...doc, epoch: doc.epoch + 1, fenced: false } : undefined));
}
