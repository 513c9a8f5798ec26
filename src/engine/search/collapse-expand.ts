import { isObject, type Json, type JsonObject } from '../json.ts';
import { Collapser, type CollapseKey, type Group } from './collapse.ts';
import { renderHit, type HitContext } from './hits.ts';
import { orderHits } from './order-hits.ts';
import type { HighlightTerms } from './query/types.ts';
import { DEFAULT_TRACK_TOTAL_HITS, type SearchRequest } from './request.ts';
import { asJavaFloat } from './scoring/float.ts';
import { SortPlan, sortUsesScore, type Ranked } from './sort.ts';
import type { SearchableIndex } from './types.ts';

/**
 * The page of a collapsing search and its `inner_hits`. OpenSearch expands groups (ExpandSearchPhase)
 * with one more search per group and inner hit definition: the request's query and post_filter plus
 * a filter on the group's value (or, for the null group, on the field missing); min_score and
 * aggregations do not carry over, and the definition brings its own from/size/sort/_source/... .
 */

/** What the group searches of inner_hits run over. */
export interface ExpandContext {
  indices: SearchableIndex[];
  /** The documents a group search can find, scored as the group query scores them (see groupCandidates). */
  candidates: Ranked[];
  highlightTerms?: HighlightTerms;
}

/**
 * The documents group searches start from: those matching the query, the alias filters and
 * post_filter. Without a query the group query is a bare filter, so they score 0.
 */
export function groupCandidates(matches: Ranked[], hasQuery: boolean): Ranked[] {
  return hasQuery ? matches : matches.map((r) => ({ ...r, score: 0 }));
}

/** The rendered heads of groups from .. from + size, the collapse value in `fields`, expanded by inner_hits. */
export function collapsedPage(hits: Ranked[], req: SearchRequest, collapser: Collapser, render: HitContext, expand: ExpandContext): JsonObject[] {
  const groups = collapser.top(hits, render.sortPlan, req.from + req.size).slice(req.from);
  const rendered = groups.map((g) => renderHit(g.head, { ...render, extraFields: collapser.fieldsOf(g) }));
  if (collapser.spec.innerHits.length > 0 && groups.length > 0) addInnerHits(rendered, groups, collapser, expand);
  return rendered;
}

/** Sets each rendered head's `inner_hits`: one group search per definition, keyed by its name. */
function addInnerHits(rendered: JsonObject[], groups: Group[], collapser: Collapser, ctx: ExpandContext): void {
  const members = groupMembers(ctx.candidates, collapser, new Set(groups.map((g) => g.key)));
  groups.forEach((group, i) => {
    const docs = members.get(group.key) ?? [];
    const innerHits: JsonObject = {};
    for (const spec of collapser.spec.innerHits) innerHits[spec.name] = groupSearch(docs, spec.req, ctx);
    rendered[i].inner_hits = innerHits;
  });
}

/**
 * The candidates of each wanted group. Membership is what the group query matches: any of the
 * document's values equal to the group's (a match query), or no value at all for the null group.
 * Each member is a copy, so ordering one group search does not touch another's hits.
 */
function groupMembers(candidates: Ranked[], collapser: Collapser, wanted: Set<CollapseKey>): Map<CollapseKey, Ranked[]> {
  const out = new Map<CollapseKey, Ranked[]>();
  for (const r of candidates) {
    for (const key of collapser.valuesOf(r)) {
      if (!wanted.has(key)) continue;
      let list = out.get(key);
      if (list === undefined) out.set(key, (list = []));
      list.push({ ...r, sortValues: undefined });
    }
  }
  return out;
}

/** One group search: the group's documents ordered, paged and rendered as a search's `hits`. */
function groupSearch(docs: Ranked[], req: SearchRequest, ctx: ExpandContext): JsonObject {
  const plan = req.sort.length === 0 ? undefined : new SortPlan(req.sort, ctx.indices);
  const showScores = sortUsesScore(req.sort) || req.trackScores;
  const render: HitContext = { req, showScores, sortPlan: plan, highlightTerms: ctx.highlightTerms };
  let hits: JsonObject[];
  if (req.collapse === undefined) {
    hits = orderHits([...docs], req, plan, req.from + req.size).slice(req.from).map((r) => renderHit(r, render));
  } else {
    // An inner hit definition can collapse its group again; its own inner_hits expand that group.
    const collapser = new Collapser(req.collapse, ctx.indices, { scroll: false });
    hits = collapsedPage(docs, req, collapser, render, { ...ctx, candidates: docs });
  }
  const maxScore = !showScores || req.size === 0 || docs.length === 0 ? null : asJavaFloat(maxScoreOf(docs));
  return { hits: { total: totalOf(docs.length), max_score: maxScore, hits } };
}

/** A group search tracks totals as any search does by default: exactly up to 10,000. */
function totalOf(count: number): JsonObject {
  return count <= DEFAULT_TRACK_TOTAL_HITS ? { value: count, relation: 'eq' } : { value: DEFAULT_TRACK_TOTAL_HITS, relation: 'gte' };
}

function maxScoreOf(docs: Ranked[]): number {
  let max = -Infinity;
  for (const r of docs) if (r.score > max) max = r.score;
  return max;
}

/** `rest_total_hits_as_int` applies to inner hits too: their totals become plain numbers (in place). */
export function innerHitsTotalsAsInt(hits: Json[]): void {
  for (const hit of hits) {
    if (!isObject(hit) || !isObject(hit.inner_hits)) continue;
    for (const section of Object.values(hit.inner_hits)) {
      if (!isObject(section) || !isObject(section.hits)) continue;
      const inner = section.hits;
      if (isObject(inner.total) && typeof inner.total.value === 'number') inner.total = inner.total.value;
      if (Array.isArray(inner.hits)) innerHitsTotalsAsInt(inner.hits);
    }
  }
}
