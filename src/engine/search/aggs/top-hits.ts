import type { JsonObject } from '../../json.ts';
import { renderHit } from '../hits.ts';
import { parseSearchRequest } from '../request.ts';
import { asJavaFloat } from '../scoring/float.ts';
import { compareDocOrder, SortPlan, sortUsesScore } from '../sort.ts';
import type { AggRunner } from './types.ts';

const TOP_HITS_KEYS = ['from', 'size', 'sort', '_source', 'version', 'seq_no_primary_term', 'docvalue_fields', 'fields', 'stored_fields', 'track_scores', 'explain', 'highlight'];

/** The best documents of a bucket, rendered like search hits. */
export const topHitsAgg: AggRunner = (body, docs, ctx) => {
  const spec: JsonObject = {};
  for (const k of TOP_HITS_KEYS) if (body[k] !== undefined && k !== 'highlight') spec[k] = body[k];
  const req = parseSearchRequest({ ...spec, size: body.size ?? 3 }, {});
  const plan = req.sort.length === 0 ? undefined : new SortPlan(req.sort, ctx.indices);
  const ranked = [...docs];
  if (plan === undefined) ranked.sort((a, b) => b.score - a.score || compareDocOrder(a, b));
  else {
    for (const r of ranked) r.sortValues = plan.values(r);
    ranked.sort((a, b) => plan.compareValues(a.sortValues ?? [], b.sortValues ?? []) || compareDocOrder(a, b));
  }
  const showScores = sortUsesScore(req.sort) || req.trackScores;
  const page = ranked.slice(req.from, req.from + req.size);
  const maxScore = !showScores || docs.length === 0 ? null : asJavaFloat(Math.max(...docs.map((r) => r.score)));
  const hits = page.map((r) => renderHit({ ...r }, { req, showScores, sortPlan: plan }));
  return { hits: { total: { value: docs.length, relation: 'eq' }, max_score: maxScore, hits } };
};
