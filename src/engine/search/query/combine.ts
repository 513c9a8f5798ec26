import type { SearchableDoc } from '../types.ts';
import { DenseScores, type MatchList } from './match-list.ts';
import { withAll, type DocScorer } from './types.ts';

/** The clauses' set-at-a-time evaluations, when every clause has one. */
function allLists(scorers: DocScorer[]): (() => MatchList[]) | undefined {
  const alls = scorers.map((s) => s.all);
  if (!alls.every((all) => all !== undefined)) return undefined;
  return () => alls.map((all) => (all as () => MatchList)());
}

/** Set-at-a-time form of a disjunction: dense accumulation of every clause, then `finish`. */
function denseAll(scorers: DocScorer[], finish: (dense: DenseScores) => MatchList, trackBest = false): (() => MatchList) | undefined {
  const lists = allLists(scorers);
  return lists === undefined ? undefined : () => finish(DenseScores.of(lists(), trackBest));
}

/** dis_max: the best clause score plus tie_breaker times the others. */
export function disMax(scorers: DocScorer[], tieBreaker: number, boost = 1): DocScorer {
  if (scorers.length === 1 && tieBreaker === 0 && boost === 1) return scorers[0];
  const score = (doc: SearchableDoc): number | undefined => {
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
  const finish = (dense: DenseScores): MatchList => {
    const best = dense.best as Float64Array;
    return dense.collect(1, (sum, o) => boost * (best[o] + tieBreaker * (sum - best[o])));
  };
  return withAll(score, denseAll(scorers, finish, true));
}

/** Sum of matching clause scores; matches when at least one clause does. */
export function sumOfMatching(scorers: DocScorer[], boost = 1): DocScorer {
  const score = (doc: SearchableDoc): number | undefined => {
    let score: number | undefined;
    for (const s of scorers) {
      const v = s(doc);
      if (v !== undefined) score = (score ?? 0) + v;
    }
    return score === undefined ? undefined : boost * score;
  };
  return withAll(score, denseAll(scorers, (dense) => dense.collect(1, (sum) => boost * sum)));
}

/** Sum of matching clause scores; matches when at least `min` (≥ 1) clauses do. */
export function sumOfAtLeast(scorers: DocScorer[], min: number): DocScorer {
  const score = (doc: SearchableDoc): number | undefined => {
    let score = 0;
    let matched = 0;
    for (const s of scorers) {
      const v = s(doc);
      if (v === undefined) continue;
      matched++;
      score += v;
    }
    return matched >= min ? score : undefined;
  };
  return withAll(score, min >= 1 ? denseAll(scorers, (dense) => dense.collect(min)) : undefined);
}
