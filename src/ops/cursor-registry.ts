/**
 * The sealed cursor ids this instance issued, per tenant and kind, so that `_all` (clear scroll,
 * delete PIT) clears only the caller's own cursors and never anyone else's.
 *
 * Fleet limitation: the set is per instance and in memory. A `_all` sent to one instance does not
 * see cursors issued by another instance (or before a restart); those expire upstream by their
 * keep-alive. Explicitly named ids work on every instance (they are sealed, not stored).
 */
import type { CursorKind } from '../tenancy/cursor-seal.ts';

/** Bound per (tenant, kind): the oldest ids are forgotten first. */
const MAX_IDS_PER_TENANT = 10_000;
/** OpenSearch's search.max_keep_alive default; also the fallback when a keep-alive does not parse. */
const MAX_KEEP_ALIVE_MS = 24 * 3_600_000;

const UNITS: Record<string, number> = { nanos: 1e-6, micros: 1e-3, ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A keep-alive (`1m`, `30s`) in milliseconds, capped at 24 h; absent or unparsable ⇒ the cap. */
export function keepAliveMs(value: string | undefined): number {
  const m = /^(\d+)(nanos|micros|ms|s|m|h|d)$/.exec(value?.trim() ?? '');
  if (m === null) return MAX_KEEP_ALIVE_MS;
  return Math.min(Number(m[1]) * UNITS[m[2]], MAX_KEEP_ALIVE_MS);
}

export class CursorRegistry {
  private readonly byTenant = new Map<string, Map<string, number>>();

  private set(tenant: string, kind: CursorKind): Map<string, number> {
    const key = `${kind}\0${tenant}`;
    let ids = this.byTenant.get(key);
    if (ids === undefined) this.byTenant.set(key, (ids = new Map()));
    return ids;
  }

  remember(tenant: string, kind: CursorKind, sealed: string, ttlMs: number, now = Date.now()): void {
    const ids = this.set(tenant, kind);
    ids.delete(sealed);
    ids.set(sealed, now + ttlMs);
    // Cheap on the hot path: expired ids at the head go, then the bound; list() prunes fully.
    for (const [id, expires] of ids) {
      if (expires > now && ids.size <= MAX_IDS_PER_TENANT) break;
      ids.delete(id);
    }
  }

  forget(tenant: string, kind: CursorKind, sealed: string): void {
    this.set(tenant, kind).delete(sealed);
  }

  /** The tenant's live ids of one kind. */
  list(tenant: string, kind: CursorKind, now = Date.now()): string[] {
    const ids = this.set(tenant, kind);
    this.prune(ids, now);
    return [...ids.keys()];
  }

  private prune(ids: Map<string, number>, now: number): void {
    for (const [id, expires] of ids) if (expires <= now) ids.delete(id);
    for (const id of ids.keys()) {
      if (ids.size <= MAX_IDS_PER_TENANT) break;
      ids.delete(id);
    }
  }
}

const registries = new WeakMap<object, CursorRegistry>();

/** The registry of one proxy instance (keyed by its services object). */
export function cursorRegistry(owner: object): CursorRegistry {
  let r = registries.get(owner);
  if (r === undefined) registries.set(owner, (r = new CursorRegistry()));
  return r;
}
