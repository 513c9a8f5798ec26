import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type GcFunction = (opts?: { type?: 'minor' | 'major'; execution?: 'sync' | 'async' }) => void;

/**
 * Explicit garbage collection where measurement showed V8's own timing keeps memory resident.
 *
 * Streamed bodies arrive in fresh socket buffers whose memory lives outside the V8 heap, and V8
 * collects them only after tens of MiB of such allocations: a 64 MiB upload can leave that much
 * garbage resident. A minor GC (a scavenge, ~1 ms) after every few MiB streamed frees them early.
 * Measured on a 64 MiB passthrough upload: ~50 MiB peak RSS growth without, ~30 MiB with.
 */
function loadGc(): GcFunction | undefined {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as GcFunction;
  } catch {
    return undefined;
  }
}

const gc = loadGc();
const STEP_BYTES = 4 * 1024 * 1024;
let sinceLast = 0;

/** Counts streamed bytes process-wide and runs a minor GC every STEP_BYTES. */
export function noteStreamedBytes(n: number): void {
  if (gc === undefined) return;
  sinceLast += n;
  if (sinceLast < STEP_BYTES) return;
  sinceLast = 0;
  gc({ type: 'minor' });
}

/**
 * A full (compacting) collection after building a large structure from a burst of garbage (the
 * fleet store read at start): V8 then gives the emptied pages back instead of keeping the peak.
 */
export function collectNow(): void {
  // Without arguments: measured, `{ type: 'major' }` does not collect the old generation here.
  gc?.();
}

/** A scavenge now (core/idle-trim.ts: as an idle time begins). */
export function scavengeNow(): void {
  gc?.({ type: 'minor' });
}

/** Young generation (both semi-spaces) at or under this counts as given back. */
const YOUNG_BACK_BYTES = 8 * 1024 * 1024;

function youngBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

/** The young generation is over YOUNG_BACK_BYTES (core/idle-trim.ts: start-up is trimmed only then). */
export function youngGenerationGrown(): boolean {
  return youngBytes() > YOUNG_BACK_BYTES;
}

/**
 * The young generation back after a burst (core/idle-trim.ts): a scavenge at a time V8 measures
 * a low allocation rate shrinks the semi-spaces, and the full collection after it frees the old
 * generation's garbage and returns the pages. Whether the young generation is small again: V8
 * measures the rate since its previous collection, so one that ran during the idle time (a
 * store poll) can make this scavenge see the burst and keep the size; the caller tries later.
 */
export function trimNow(): boolean {
  if (gc === undefined) return true;
  gc({ type: 'minor' });
  gc();
  return !youngGenerationGrown();
}
