import { EngineError } from '../errors.ts';
import type { Json, JsonObject } from '../json.ts';
import { runAggregations } from './aggs/run.ts';
import { renderHit } from './hits.ts';
import { collectMatches } from './collect.ts';
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
  const highlightTerms: HighlightTerms | undefined = req.highlight === undefined ? undefined : new Map();
  let matches = collectMatches(indices, req.query, now, highlightTerms);
  if (req.minScore !== undefined) matches = matches.filter((r) => r.score >= (req.minScore ?? 0));
  const aggregations = req.aggs === undefined ? undefined : runAggregations(req.aggs, matches, { indices, now });
  const filtered = req.postFilter === undefined ? matches : applyFilter(indices, matches, req.postFilter, now);
  const showScores = sortUsesScore(req.sort) || req.trackScores;
  const page = orderHits(filtered, req, plan, req.from + req.size).slice(req.from);
  const hits = page.map((r) => renderHit(r, { req, showScores, sortPlan: plan, highlightTerms }));
  const maxScore = !showScores || req.size === 0 || filtered.length === 0 ? null : asJavaFloat(maxScoreOf(filtered));
  const result: SearchResult = { ...totals(filtered.length, req.trackTotalHits), maxScore, hits };
  if (aggregations !== undefined) result.aggregations = aggregations;
  return result;
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

