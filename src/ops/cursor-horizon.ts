/**
 * Until when the cursors (scroll, PIT) this instance issued may still read each place a tenant's
 * index lives in. A migration removes its source only after every instance reports that no
 * cursor on it can still be continued (SPEC §5.3: cleanup never fails a reader).
 *
 * One entry per upstream cursor: a continuation extends it by its keep-alive, a clear ends it.
 */
import type { InstanceCursor } from '../control/documents.ts';
import type { Target } from '../tenancy/names.ts';

/** Where a target reads: its cluster and physical index. */
export const cursorLocation = (cluster: string, physicalIndex: string): string => `${cluster}/${physicalIndex}`;

/** Bound on the cursors remembered; the oldest are forgotten first (they expire upstream anyway). */
const MAX_CURSORS = 50_000;

interface OpenOn {
  tenant: string;
  reads: { index: string; location: string }[];
  until: number;
}

export class CursorHorizon {
  private readonly cursors = new Map<string, OpenOn>();

  extend(tenant: string, cluster: string, upstreamId: string, targets: readonly Target[], ttlMs: number, now = Date.now()): void {
    const key = `${cluster}\0${upstreamId}`;
    this.cursors.delete(key);
    this.cursors.set(key, { tenant, reads: targets.map((t) => ({ index: t.lindex, location: cursorLocation(t.cluster, t.physicalIndex) })), until: now + ttlMs });
    if (this.cursors.size > MAX_CURSORS) this.cursors.delete(this.cursors.keys().next().value as string);
  }

  forget(cluster: string, upstreamId: string): void {
    this.cursors.delete(`${cluster}\0${upstreamId}`);
  }

  /** The latest expiry per (tenant, index, location) still open, of `wanted` indexes only (the heartbeat stays small). */
  report(wanted: (tenant: string, index: string) => boolean, now = Date.now()): InstanceCursor[] {
    const out = new Map<string, InstanceCursor>();
    for (const [key, c] of this.cursors) {
      if (c.until <= now) {
        this.cursors.delete(key);
        continue;
      }
      for (const r of c.reads) {
        if (!wanted(c.tenant, r.index)) continue;
        const k = `${c.tenant}\0${r.index}\0${r.location}`;
        if ((out.get(k)?.until ?? 0) < c.until) out.set(k, { tenant: c.tenant, index: r.index, location: r.location, until: c.until });
      }
    }
    return [...out.values()];
  }
}

const horizons = new WeakMap<object, CursorHorizon>();

/** The horizon of one proxy instance (keyed by its services object). */
export function cursorHorizon(owner: object): CursorHorizon {
  let h = horizons.get(owner);
  if (h === undefined) horizons.set(owner, (h = new CursorHorizon()));
  return h;
}
