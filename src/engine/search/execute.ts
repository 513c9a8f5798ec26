import { EngineError } from '../errors.ts';
import type { Json, JsonObject } from '../json.ts';
import { runAggregations } from './aggs/run.ts';
import { renderHit, type HitContext } from './hits.ts';
import { collectMatches } from './collect.ts';
import { Collapser, innerHitsHighlight } from './collapse.ts';
import { collapsedPage, groupCandidates } from './collapse-expand.ts';
import { compileQuery } from './query/compile.ts';
import type { HighlightTerms } from './query/types.ts';
import { DEFAULT_MAX_RESULT_WINDOW, parseSearchRequest, type SearchRequest } from './request.ts';
import { asJavaFloat } from './scoring/float.ts';
import { orderHits } from './order-hits.ts';
import { sortUsesScore, SortPlan, type Ranked } from './sort.ts';
import type { SearchableDoc, SearchableIndex, SearchOptions, SearchResult } from './types.ts';

/** A pass/fail filter over already-collected matches (post_filter). */
function applyFilter(indices: SearchableIndex[], matches: Ranked[], filter: Json, now: number): Ranked[] {
  const compiled = new Map(indices.map((index) => [index, compileQuery(filter, index, now)]));
  return matches.filter((r) => compiled.get(r.index)?.(r.doc) !== undefined);
}

function checkWindow(indices: SearchableIndex[], req: SearchRequest, opts: SearchOptions): void {
  if (opts.scroll === true) return;
  const limit = indices.length === 0 ? DEFAULT_MAX_RESULT_WINDOW : Math.min(...indices.map((i) => i.maxResultWindow ?? DEFAULT_MAX_RESULT_WINDOW));
  if (req.from + req.size > limit) {
    throw new EngineError(
      400,
      'illegal_argument_exception',
      `Result window is too large, from + size must be less than or equal to: [${limit}] but was [${req.from + req.size}]. ` +
        'See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.',
    );
  }
}

function totals(count: number, track: boolean | number): Pick<SearchResult, 'total' | 'totalRelation' | 'totalOmitted'> {
  if (track === false) return { total: count, totalRelation: 'eq', totalOmitted: true };
  if (track === true || count <= track) return { total: count, totalRelation: 'eq' };
  return { total: track, totalRelation: 'gte' };
}

function sortPlanFor(indices: SearchableIndex[], req: SearchRequest): SortPlan | undefined {
  if (req.searchAfter !== undefined && req.sort.length === 0) {
    throw new EngineError(400, 'illegal_argument_exception', 'Sort must contain at least one field.');
  }
  if (req.searchAfter !== undefined && req.from > 0) {
    throw new EngineError(400, 'illegal_argument_exception', '`from` parameter must be set to 0 when `search_after` is used.');
  }
  // A plain `_score` sort still reports sort values, as OpenSearch does.
  return req.sort.length === 0 ? undefined : new SortPlan(req.sort, indices);
}

/** Runs a search request over the indexes' searchable snapshots. */
export function executeSearch(indices: SearchableIndex[], body: JsonObject, opts: SearchOptions): SearchResult {
  const req = parseSearchRequest(body, opts);
  checkWindow(indices, req, opts);
  const now = Date.now();
  const plan = sortPlanFor(indices, req);
  const collapser = collapserFor(indices, req, body, opts);
  const highlightTerms: HighlightTerms | undefined = req.highlight === undefined && !innerHitsHighlight(req.collapse) ? undefined : new Map();
  const all = collectMatches(indices, req.query, now, highlightTerms);
  const matches = req.minScore === undefined ? all : all.filter((r) => r.score >= (req.minScore ?? 0));
  const aggregations = req.aggs === undefined ? undefined : runAggregations(req.aggs, matches, { indices, now });
  const filtered = req.postFilter === undefined ? matches : applyFilter(indices, matches, req.postFilter, now);
  const showScores = sortUsesScore(req.sort) || req.trackScores;
  const render: HitContext = { req, showScores, sortPlan: plan, highlightTerms };
  const hits =
    collapser === undefined
      ? orderHits(filtered, req, plan, req.from + req.size).slice(req.from).map((r) => renderHit(r, render))
      : collapsedPage(filtered, req, collapser, render, { indices, candidates: expandCandidates(indices, req, all, filtered, now), highlightTerms });
  const maxScore = !showScores || req.size === 0 || filtered.length === 0 ? null : asJavaFloat(maxScoreOf(filtered));
  const result: SearchResult = { ...totals(filtered.length, req.trackTotalHits), maxScore, hits };
  if (aggregations !== undefined) result.aggregations = aggregations;
  return result;
}

/** Collapsing bound to the indexes; it refuses what it cannot be combined with (scroll, search_after, rescore). */
function collapserFor(indices: SearchableIndex[], req: SearchRequest, body: JsonObject, opts: SearchOptions): Collapser | undefined {
  if (req.collapse === undefined) return undefined;
  return new Collapser(req.collapse, indices, { scroll: opts.scroll === true, searchAfter: req.searchAfter, rescore: body.rescore });
}

/** What inner_hits' group searches find: min_score does not carry over to them, post_filter does. */
function expandCandidates(indices: SearchableIndex[], req: SearchRequest, all: Ranked[], filtered: Ranked[], now: number): Ranked[] {
  if (req.collapse?.innerHits.length === 0) return [];
  const unfiltered = req.minScore === undefined ? filtered : req.postFilter === undefined ? all : applyFilter(indices, all, req.postFilter, now);
  return groupCandidates(unfiltered, req.query !== undefined);
}

function maxScoreOf(hits: Ranked[]): number {
  let max = -Infinity;
  for (const r of hits) if (r.score > max) max = r.score;
  return max;
}

/** How many documents match (the `_count` API). */
export function countMatches(indices: SearchableIndex[], query: Json | undefined): number {
  return collectMatches(indices, query, Date.now()).length;
}

/** The matching documents in doc order (for delete/update by query). */
export function matchingDocs(indices: SearchableIndex[], query: Json | undefined): SearchableDoc[] {
  return collectMatches(indices, query, Date.now()).map((r) => r.doc);
}

