import type { SearchableDoc } from '../types.ts';
import { intersectOrds, unionOrds, spanOf, type MatchList } from './match-list.ts';
import { withAll, type DocScorer } from './types.ts';

/** A compiled bool query's parts, as its per-document scorer uses them. */
export interface BoolParts {
  must: DocScorer[];
  filter: DocScorer[];
  should: DocScorer[];
  mustNot: DocScorer[];
  /** Score before clauses add to it (1 for an empty bool). */
  base: number;
  boost: number;
  /** How many should clauses must match. */
  required: number;
}

/**
 * Set-at-a-time bool, candidate driven: the candidates are the intersection of the must/filter
 * clauses that have postings (or, for a should-only bool, the union of the should clauses);
 * every other clause is then applied to the candidates only — from its match list when it has
 * one, else document by document. Scores are added clause by clause in the per-document order.
 * Undefined when no clause bounds the candidates (a full scan is needed).
 */
export function boolAll(parts: BoolParts, docs: readonly SearchableDoc[]): (() => MatchList) | undefined {
  const bounding = [...parts.must, ...parts.filter].filter((s) => s.all !== undefined);
  const shouldOnly = parts.must.length === 0 && parts.filter.length === 0 && parts.required >= 1;
  if (bounding.length === 0 && !(shouldOnly && parts.should.length > 0 && parts.should.every((s) => s.all !== undefined))) return undefined;
  return () => {
    const lists = new Map<DocScorer, MatchList>();
    const listOf = (s: DocScorer): MatchList | undefined => {
      if (s.all === undefined) return undefined;
      let list = lists.get(s);
      if (list === undefined) lists.set(s, (list = s.all()));
      return list;
    };
    const candidates =
      bounding.length > 0
        ? intersectOrds(bounding.map((s) => (listOf(s) as MatchList).ords))
        : unionOrds(parts.should.map((s) => (listOf(s) as MatchList).ords), spanOf([...lists.values()]));
    return new BoolRun(candidates, docs, parts).run(listOf);
  };
}

/** The candidates of one evaluation with their running scores, liveness and should counts. */
class BoolRun {
  private readonly scores: Float64Array;
  private readonly alive: Uint8Array;
  private readonly matched: Uint32Array;

  constructor(
    private readonly candidates: Int32Array,
    private readonly docs: readonly SearchableDoc[],
    private readonly parts: BoolParts,
  ) {
    this.scores = new Float64Array(candidates.length).fill(parts.base);
    this.alive = new Uint8Array(candidates.length).fill(1);
    this.matched = new Uint32Array(candidates.length);
  }

  run(listOf: (s: DocScorer) => MatchList | undefined): MatchList {
    const { parts, scores, alive, matched } = this;
    const kill = (i: number): void => {
      alive[i] = 0;
    };
    const keep = (): void => undefined;
    for (const m of parts.must) {
      this.apply(m, listOf(m), (i, v) => {
        scores[i] += v;
      }, kill);
    }
    for (const f of parts.filter) this.apply(f, listOf(f), keep, kill);
    for (const n of parts.mustNot) this.apply(n, listOf(n), kill, keep);
    for (const s of parts.should) {
      this.apply(s, listOf(s), (i, v) => {
        scores[i] += v;
        matched[i]++;
      }, keep);
    }
    return this.result();
  }

  /** Calls `hit` or `miss` for every live candidate, by the clause's match list or per document. */
  private apply(clause: DocScorer, list: MatchList | undefined, hit: (i: number, v: number) => void, miss: (i: number) => void): void {
    const { candidates, alive } = this;
    if (list === undefined) {
      for (let i = 0; i < candidates.length; i++) {
        if (alive[i] === 0) continue;
        const v = clause(this.docs[candidates[i]]);
        if (v === undefined) miss(i);
        else hit(i, v);
      }
      return;
    }
    const { ords, scores } = list;
    let j = 0;
    for (let i = 0; i < candidates.length; i++) {
      if (alive[i] === 0) continue;
      const o = candidates[i];
      while (j < ords.length && ords[j] < o) j++;
      if (j < ords.length && ords[j] === o) hit(i, scores[j]);
      else miss(i);
    }
  }

  private result(): MatchList {
    const { candidates, alive, matched, scores } = this;
    const { required, boost } = this.parts;
    let n = 0;
    for (let i = 0; i < candidates.length; i++) if (alive[i] === 1 && matched[i] >= required) n++;
    const out: MatchList = { ords: new Int32Array(n), scores: new Float64Array(n) };
    let k = 0;
    for (let i = 0; i < candidates.length; i++) {
      if (alive[i] === 0 || matched[i] < required) continue;
      out.ords[k] = candidates[i];
      out.scores[k++] = scores[i] * boost;
    }
    return out;
  }
}

/** The per-document bool score: every must (summed), no filter miss, no must_not hit, `required` shoulds. */
function boolDocScore(p: BoolParts): (doc: SearchableDoc) => number | undefined {
  return (doc) => {
    let score = p.base;
    for (const m of p.must) {
      const v = m(doc);
      if (v === undefined) return undefined;
      score += v;
    }
    for (const f of p.filter) if (f(doc) === undefined) return undefined;
    for (const n of p.mustNot) if (n(doc) !== undefined) return undefined;
    let matched = 0;
    for (const s of p.should) {
      const v = s(doc);
      if (v === undefined) continue;
      matched++;
      score += v;
    }
    return matched < p.required ? undefined : score * p.boost;
  };
}

/** A bool query's scorer: document by document, with the set-at-a-time path when one exists. */
export function boolScorer(parts: BoolParts, docs: readonly SearchableDoc[]): DocScorer {
  return withAll(boolDocScore(parts), boolAll(parts, docs));
}
