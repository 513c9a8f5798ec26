import type { SearchableDoc, SearchableIndex } from '../types.ts';

/**
 * How a snapshot's documents relate to an earlier snapshot of the same index. A refresh builds
 * a new docs array but keeps unchanged documents' source objects, in the same (shard, order)
 * sequence, so per-snapshot data (columns, postings) can be carried over instead of rebuilt.
 */
export interface Alignment {
  /** For each ordinal of the new snapshot, the ordinal of the same document version before, or -1. */
  nextToPrev: Int32Array;
  /** For each ordinal of the earlier snapshot, its ordinal now, or -1 (deleted or replaced). */
  prevToNext: Int32Array;
  /** Ordinals of the new snapshot with nothing to carry over (ascending). */
  fresh: Int32Array;
}

/* The snapshot each (index, field data) was last built for. Strong references, bounded. */
const lastBuilt = new Map<string, readonly SearchableDoc[]>();
const MAX_TRACKED = 512;

const alignments = new WeakMap<readonly SearchableDoc[], WeakMap<readonly SearchableDoc[], Alignment>>();

/**
 * Records that `dataKey` is being built for the index's current snapshot and returns the
 * snapshot it was built for before (undefined the first time).
 */
export function previousSnapshot(index: SearchableIndex, dataKey: string): readonly SearchableDoc[] | undefined {
  const key = `${index.name}\u0000${dataKey}`;
  const prev = lastBuilt.get(key);
  lastBuilt.delete(key);
  lastBuilt.set(key, index.docs);
  if (lastBuilt.size > MAX_TRACKED) lastBuilt.delete(lastBuilt.keys().next().value as string);
  return prev === index.docs ? undefined : prev;
}

const sameVersion = (a: SearchableDoc, b: SearchableDoc): boolean => a.source === b.source && a.id === b.id && a.index === b.index;

/** True when `a` sorts before `b` in snapshot order (shard, then order in the shard). */
const before = (a: SearchableDoc, b: SearchableDoc): boolean => a.shard < b.shard || (a.shard === b.shard && a.order < b.order);

/** Aligns two snapshots with one merge walk (cached per pair). Out-of-order docs just count as fresh. */
export function alignment(prev: readonly SearchableDoc[], next: readonly SearchableDoc[]): Alignment {
  let perNext = alignments.get(next);
  if (perNext === undefined) alignments.set(next, (perNext = new WeakMap()));
  let found = perNext.get(prev);
  if (found === undefined) perNext.set(prev, (found = align(prev, next)));
  return found;
}

function align(prev: readonly SearchableDoc[], next: readonly SearchableDoc[]): Alignment {
  const nextToPrev = new Int32Array(next.length).fill(-1);
  const prevToNext = new Int32Array(prev.length).fill(-1);
  const fresh: number[] = [];
  let i = 0;
  for (let j = 0; j < next.length; j++) {
    const doc = next[j];
    while (i < prev.length && before(prev[i], doc)) i++;
    if (i < prev.length && sameVersion(prev[i], doc)) {
      nextToPrev[j] = i;
      prevToNext[i] = j;
      i++;
    } else fresh.push(j);
  }
  return { nextToPrev, prevToNext, fresh: Int32Array.from(fresh) };
}

/** A per-ordinal column for `next`, copying values of carried-over documents and reading the rest. */
export function carryOver<T>(prevValues: readonly T[], align: Alignment, docs: readonly SearchableDoc[], read: (doc: SearchableDoc) => T): T[] {
  const out = new Array<T>(docs.length);
  const { nextToPrev } = align;
  for (let o = 0; o < docs.length; o++) {
    const p = nextToPrev[o];
    out[o] = p >= 0 ? prevValues[p] : read(docs[o]);
  }
  return out;
}
