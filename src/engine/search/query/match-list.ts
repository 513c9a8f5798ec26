/**
 * Matching documents of one snapshot, set-at-a-time: ascending ordinals (positions in the
 * snapshot's docs array) and the score of each. Combinators here must add scores in the same
 * order as the per-document scorers do, so that floating-point results are identical. The arrays
 * may be shared with the postings cache: read-only.
 */
export interface MatchList {
  ords: Int32Array;
  scores: Float64Array;
}

export const emptyList = (): MatchList => ({ ords: new Int32Array(0), scores: new Float64Array(0) });

/** Every ordinal of `ords` with the same score. */
export const constantList = (ords: Int32Array, score: number): MatchList => ({ ords, scores: new Float64Array(ords.length).fill(score) });

/** One past the highest ordinal of the lists: how large dense accumulators over them must be. */
export function spanOf(lists: { ords: Int32Array }[]): number {
  let span = 0;
  for (const { ords } of lists) if (ords.length > 0) span = Math.max(span, ords[ords.length - 1] + 1);
  return span;
}

/** Per-ordinal accumulators for disjunctions: a running score and how many clauses matched. */
export class DenseScores {
  readonly scores: Float64Array;
  readonly counts: Uint32Array;

  /** The best clause score per ordinal (dis_max), when asked for. */
  readonly best: Float64Array | undefined;

  constructor(size: number, trackBest = false) {
    this.scores = new Float64Array(size);
    this.counts = new Uint32Array(size);
    this.best = trackBest ? new Float64Array(size) : undefined;
  }

  /** Accumulators sized for `lists`, with each list added in order. */
  static of(lists: MatchList[], trackBest = false): DenseScores {
    const dense = new DenseScores(spanOf(lists), trackBest);
    for (const list of lists) dense.add(list);
    return dense;
  }

  /** Adds a clause's matches (in clause order, like `score += v` per document). */
  add(list: MatchList): void {
    const { ords, scores } = list;
    const best = this.best;
    for (let i = 0; i < ords.length; i++) {
      const o = ords[i];
      const v = scores[i];
      this.scores[o] += v;
      if (best !== undefined) best[o] = this.counts[o] === 0 ? v : Math.max(best[o], v);
      this.counts[o]++;
    }
  }

  /** The ordinals matched by at least `min` clauses, each score passed through `finish`. */
  collect(min: number, finish?: (score: number, ordinal: number) => number): MatchList {
    const { counts } = this;
    let n = 0;
    for (let o = 0; o < counts.length; o++) if (counts[o] >= min) n++;
    const ords = new Int32Array(n);
    const scores = new Float64Array(n);
    let j = 0;
    for (let o = 0; o < counts.length; o++) {
      if (counts[o] < min) continue;
      ords[j] = o;
      scores[j++] = finish === undefined ? this.scores[o] : finish(this.scores[o], o);
    }
    return { ords, scores };
  }
}

/** The union of ascending ordinal lists (each ordinal once). */
export function unionOrds(lists: Int32Array[], size: number): Int32Array {
  if (lists.length === 1) return lists[0];
  const seen = new Uint8Array(size);
  let n = 0;
  for (const ords of lists) {
    for (let i = 0; i < ords.length; i++) {
      if (seen[ords[i]] === 0) n++;
      seen[ords[i]] = 1;
    }
  }
  const out = new Int32Array(n);
  let j = 0;
  for (let o = 0; o < size; o++) if (seen[o] === 1) out[j++] = o;
  return out;
}

/** The ordinals present in every list (ascending). */
export function intersectOrds(lists: Int32Array[]): Int32Array {
  let acc = lists[0];
  for (let k = 1; k < lists.length; k++) acc = intersectTwo(acc, lists[k]);
  return acc;
}

function intersectTwo(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    if (a[i] < b[j]) i++;
    else if (a[i] > b[j]) j++;
    else {
      out[n++] = a[i];
      i++;
      j++;
    }
  }
  return out.subarray(0, n);
}
