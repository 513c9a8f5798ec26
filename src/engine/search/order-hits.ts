import type { SearchRequest } from './request.ts';
import { compareDocOrder, type Ranked, type SortPlan, type SortValue } from './sort.ts';
import { firstK } from './top-k.ts';

/**
 * The first `k` hits in order — by score (desc) or the sort plan, ties in doc order — after
 * search_after; exactly the head of a full stable sort. Sort values are set on those hits.
 */
export function orderHits(hits: Ranked[], req: SearchRequest, plan: SortPlan | undefined, k: number): Ranked[] {
  if (plan === undefined) {
    const byScore = (a: Ranked, b: Ranked): number => b.score - a.score || compareDocOrder(a, b);
    return hits.some((r) => Number.isNaN(r.score)) ? hits.sort(byScore).slice(0, k) : firstK(hits, k, byScore);
  }
  const columns = plan.valueColumns(hits);
  let pool = hits.map((_, i) => i);
  if (req.searchAfter !== undefined) {
    const after = plan.parseAfter(req.searchAfter);
    pool = pool.filter((i) => plan.compareValues(columns.map((c) => c[i]), after) > 0);
  }
  const bySort = (i: number, j: number): number => plan.compareAt(columns, i, j) || compareDocOrder(hits[i], hits[j]);
  const top = totallyOrdered(columns) ? firstK(pool, k, bySort) : pool.sort(bySort).slice(0, k);
  return top.map((i) => {
    hits[i].sortValues = columns.map((c) => c[i]);
    return hits[i];
  });
}

/**
 * Whether each key's values are of one type and never NaN: then comparing is a consistent
 * total preorder, and a partial top-k selection gives the same head as a full sort.
 */
function totallyOrdered(columns: SortValue[][]): boolean {
  for (const column of columns) {
    let type: string | undefined;
    for (const v of column) {
      if (v === null) continue;
      if (typeof v === 'number' && Number.isNaN(v)) return false;
      if (type === undefined) type = typeof v;
      else if (type !== typeof v) return false;
    }
  }
  return true;
}
