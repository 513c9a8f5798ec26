import cluster, { type Worker } from 'node:cluster';
import type { ControlPlane } from '../control/control-plane.ts';
import type { StoredDoc } from '../control/documents.ts';

/*
 * Control changes across the workers of one `serve --workers N`. Each worker polls the fleet
 * store (1 s), which is how a fleet converges; but here one client's consecutive requests land on
 * different workers, so an index created through one worker would be unknown (404) to its siblings
 * until their next poll. Each change a worker makes is therefore relayed through the primary.
 */

const CHANGE = 'osproxy:control-change';

interface ChangeMessage {
  type: typeof CHANGE;
  docs: StoredDoc[];
}

function isChange(m: unknown): m is ChangeMessage {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Partial<ChangeMessage>;
  return r.type === CHANGE && Array.isArray(r.docs) && r.docs.every((d) => typeof d === 'object' && d !== null && typeof d.key === 'string' && typeof d.seqNo === 'number');
}

/** Primary side: forwards each worker's control changes to every other worker. */
export function relayControlChanges(): void {
  cluster.on('message', (from: Worker, m: unknown) => {
    if (!isChange(m)) return;
    for (const w of Object.values(cluster.workers ?? {})) {
      // A worker that is gone or going needs nothing; its replacement reads the store.
      if (w !== undefined && w !== from && w.isConnected()) w.send(m, () => {});
    }
  });
}

/** Worker side: announces this worker's changes and applies its siblings'. */
export function shareControlChanges(control: ControlPlane): void {
  control.onLocalChange((docs) => {
    // Heartbeats are this worker's own business: siblings read them from the store.
    const shared = docs.filter((d) => d.kind !== 'instance');
    if (shared.length > 0) process.send?.({ type: CHANGE, docs: shared } satisfies ChangeMessage, () => {});
  });
  process.on('message', (m: unknown) => {
    if (isChange(m)) control.applyPeer(m.docs);
  });
}
