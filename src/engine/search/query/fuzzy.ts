import type { Json } from '../../json.ts';

/** Max edits for a term: `AUTO` (0 for 1-2 chars, 1 for 3-5, 2 beyond), `AUTO:3,6`, or a number (capped at 2). */
export function maxEdits(fuzziness: Json | undefined, term: string): number {
  if (fuzziness === undefined || fuzziness === null) return 0;
  const spec = String(fuzziness).toUpperCase();
  if (spec.startsWith('AUTO')) {
    const [low, high] = spec.includes(':') ? spec.slice(5).split(',').map(Number) : [3, 6];
    const len = [...term].length;
    return len < low ? 0 : len < high ? 1 : 2;
  }
  const n = Number(spec);
  return Number.isFinite(n) ? Math.min(2, Math.max(0, Math.trunc(n))) : 0;
}

/** Optimal-string-alignment distance (adjacent transpositions count 1), or max+1 once it exceeds max. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2] + 1);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prevPrev = prev;
    prev = cur;
  }
  return prev[b.length];
}

/** A test for terms within `edits` of `term`, sharing its first `prefixLength` characters. */
export function fuzzyTest(term: string, edits: number, prefixLength = 0): (t: string) => boolean {
  const prefix = term.slice(0, prefixLength);
  return (t) => t.startsWith(prefix) && editDistance(term, t, edits) <= edits;
}
