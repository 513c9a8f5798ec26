import cluster, { type Worker } from 'node:cluster';
import type { IndexRegistry } from '../control/index-registry.ts';
import type { RegistryEntry } from '../control/registry-store.ts';

/*
 * The logical-index registry across the workers of one `serve --workers N`. Each worker polls
 * the store (1 s), which is how a fleet converges; but here one client's consecutive requests
 * land on different workers, so an index created through one worker would be unknown (404) to
 * its siblings until their next poll. Each change is therefore relayed through the primary.
 */

const CHANGE = 'osproxy:registry-change';

interface ChangeMessage {
  type: typeof CHANGE;
  entry: RegistryEntry;
  added: boolean;
}

function isChange(m: unknown): m is ChangeMessage {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Partial<ChangeMessage>;
  const e = r.entry;
  return r.type === CHANGE && typeof r.added === 'boolean' && typeof e === 'object' && e !== null && typeof e.tenant === 'string' && typeof e.lindex === 'string' && typeof e.createdAt === 'number';
}

/** Primary side: forwards each worker's registry change to every other worker. */
export function relayRegistryChanges(): void {
  cluster.on('message', (from: Worker, m: unknown) => {
    if (!isChange(m)) return;
    for (const w of Object.values(cluster.workers ?? {})) {
      // A worker that is gone or going needs nothing; its replacement loads the store.
      if (w !== undefined && w !== from && w.isConnected()) w.send(m, () => {});
    }
  });
}

/** Worker side: announces this worker's changes and applies its siblings'. */
export function shareRegistryChanges(registry: IndexRegistry): void {
  registry.onChange((entry, added) => {
    const m: ChangeMessage = { type: CHANGE, entry, added };
    process.send?.(m, () => {});
  });
  process.on('message', (m: unknown) => {
    if (isChange(m)) registry.applyPeerChange(m.entry, m.added);
  });
}
