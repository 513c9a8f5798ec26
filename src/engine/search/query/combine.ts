import type { DocScorer } from './types.ts';

/** dis_max: the best clause score plus tie_breaker times the others. */
export function disMax(scorers: DocScorer[], tieBreaker: number, boost = 1): DocScorer {
  if (scorers.length === 1 && tieBreaker === 0 && boost === 1) return scorers[0];
  return (doc) => {
    let max: number | undefined;
    let sum = 0;
    for (const s of scorers) {
      const v = s(doc);
      if (v === undefined) continue;
      sum += v;
      max = max === undefined ? v : Math.max(max, v);
    }
    return max === undefined ? undefined : boost * (max + tieBreaker * (sum - max));
  };
}

/** Sum of matching clause scores; matches when at least one clause does. */
export function sumOfMatching(scorers: DocScorer[], boost = 1): DocScorer {
  return (doc) => {
    let score: number | undefined;
    for (const s of scorers) {
      const v = s(doc);
      if (v !== undefined) score = (score ?? 0) + v;
    }
    return score === undefined ? undefined : boost * score;
  };
}
