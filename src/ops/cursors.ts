/**
 * Cursor ids (scroll and PIT) as a tenant sees them: sealed on the way out, unsealed and checked
 * against the caller on the way in (SPEC §4.3). A forged, tampered or foreign id gets the same 404
 * as an expired one, so an id never reveals that it belongs to someone else.
 */
import { illegalArgument, notFound, OsproxyError } from '../http/errors.ts';
import { sealCursor, unsealCursor, type CursorKeys, type CursorKind, type CursorPayload } from '../tenancy/cursor-seal.ts';
import type { Target } from '../tenancy/index.ts';
import type { UpstreamCluster } from '../upstream/cluster.ts';
import type { OpContext } from './context.ts';
import { MIN_CURSOR_KEY_BYTES } from '../config/schema.ts';
import { cursorHorizon } from './cursor-horizon.ts';
import { cursorRegistry, keepAliveMs } from './cursor-registry.ts';

/** The cursor keys; without one every cursor request is refused (400 `cursor_key_missing`). */
export function cursorKey(ctx: OpContext): CursorKeys {
  const key = ctx.scope.settings.cursorKeys;
  if (key === undefined) {
    throw illegalArgument('cursor_key_missing',
      `scroll and point-in-time requests need a cursor sealing key: the operator must set tenancy.cursor_key_b64 (base64 of at least ${MIN_CURSOR_KEY_BYTES} random bytes, the same on every instance)`);
  }
  return key;
}

export function cursorMissing(): OsproxyError {
  return notFound('search_context_missing_exception', 'search_context_missing', 'No search context found for the given id');
}

/** An unsealed cursor of the caller, with its targets rebuilt from its logical indexes. */
export interface OpenCursor {
  sealed: string;
  payload: CursorPayload;
  targets: Target[];
  cluster: UpstreamCluster;
  /** Sealed with a previous key (rotation): its continuation gets an id sealed with the current key. */
  previousKey: boolean;
}

/** The caller's cursor of the given kind, or undefined (bad MAC, other tenant, stale placement). */
export function tryOpenCursor(ctx: OpContext, keys: CursorKeys, kind: CursorKind, sealed: string): OpenCursor | undefined {
  const unsealed = unsealCursor(keys, sealed);
  const payload = unsealed?.payload;
  if (unsealed === undefined || payload === undefined || payload.k !== kind || payload.t !== ctx.scope.tenant) return undefined;
  const cluster = ctx.services.clusters.get(payload.c);
  if (cluster === undefined || payload.l.length === 0) return undefined;
  let targets: Target[];
  try {
    targets = payload.l.map((l) => ctx.scope.target(l));
  } catch {
    return undefined;
  }
  // A cursor opened before a migration moved its index reads the source until the source is removed.
  if (!openedOn(targets, payload)) targets = payload.l.map((l) => ctx.services.control.snapshot()?.previousTarget(ctx.scope.tenant, l) ?? ctx.scope.target(l));
  // A placement that moved otherwise makes its hits unmappable: the context is gone.
  if (!openedOn(targets, payload)) return undefined;
  return { sealed, payload, targets, cluster, previousKey: unsealed.previousKey };
}

function openedOn(targets: readonly Target[], payload: CursorPayload): boolean {
  const physical = new Set(targets.map((t) => t.physicalIndex));
  return physical.size === payload.p.length && payload.p.every((p) => physical.has(p)) && targets.every((t) => t.cluster === payload.c);
}

/** Like tryOpenCursor, but a missing context is the 404 OpenSearch gives. */
export function openCursor(ctx: OpContext, kind: CursorKind, sealed: string): OpenCursor {
  const cursor = tryOpenCursor(ctx, cursorKey(ctx), kind, sealed);
  if (cursor === undefined) throw cursorMissing();
  return cursor;
}

/**
 * Seals an upstream id for the caller and remembers it for `_all`. When the upstream answers with
 * the id of the cursor the client presented (`reused`), the client's own sealed id is given back
 * (sealing is randomized, and a client may compare ids like it would with OpenSearch) — unless it
 * was sealed with a previous key, which must not outlive its grace period in a long scroll.
 */
export function issueCursor(ctx: OpContext, kind: CursorKind, targets: Target[], upstreamId: string, keepAlive: string | undefined, reused?: OpenCursor): string {
  if (reused !== undefined && reused.payload.id === upstreamId && !reused.previousKey) {
    cursorRegistry(ctx.services).remember(ctx.scope.tenant, kind, reused.sealed, keepAliveMs(keepAlive));
    return reused.sealed;
  }
  const payload: CursorPayload = {
    v: 1,
    k: kind,
    c: targets[0].cluster,
    t: ctx.scope.tenant,
    l: targets.map((t) => t.lindex),
    p: [...new Set(targets.map((t) => t.physicalIndex))],
    id: upstreamId,
  };
  const sealed = sealCursor(cursorKey(ctx).current, payload);
  const ttl = keepAliveMs(keepAlive);
  cursorRegistry(ctx.services).remember(ctx.scope.tenant, kind, sealed, ttl);
  cursorHorizon(ctx.services).extend(ctx.scope.tenant, payload.c, upstreamId, targets, ttl);
  return sealed;
}

/** Ids from a path segment, a string (comma-separated) or an array of strings. */
export function idList(value: unknown): string[] {
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (Array.isArray(value)) return value.flatMap((v) => idList(v));
  return [];
}

/** The caller's cursors named by `ids` (`_all` ⇒ every one this instance issued to the caller). */
export function namedCursors(ctx: OpContext, kind: CursorKind, ids: string[]): { all: boolean; open: OpenCursor[]; unknown: string[] } {
  const key = cursorKey(ctx);
  const all = ids.includes('_all');
  const registry = cursorRegistry(ctx.services);
  const named = all ? registry.list(ctx.scope.tenant, kind) : ids;
  const open: OpenCursor[] = [];
  const unknown: string[] = [];
  for (const id of named) {
    const cursor = tryOpenCursor(ctx, key, kind, id);
    if (cursor === undefined) unknown.push(id);
    else open.push(cursor);
  }
  return { all, open, unknown };
}

/** Groups cursors by cluster (one upstream call per cluster), upstream ids deduplicated. */
export function byCluster(cursors: OpenCursor[]): Map<UpstreamCluster, Map<string, OpenCursor[]>> {
  const out = new Map<UpstreamCluster, Map<string, OpenCursor[]>>();
  for (const c of cursors) {
    let ids = out.get(c.cluster);
    if (ids === undefined) out.set(c.cluster, (ids = new Map()));
    ids.set(c.payload.id, [...(ids.get(c.payload.id) ?? []), c]);
  }
  return out;
}
