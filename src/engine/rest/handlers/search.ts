import { EngineError } from '../../errors.ts';
import { isObject, type Json, type JsonObject } from '../../json.ts';
import { parseKeepAlive } from '../../ops/cursors.ts';
import { countMatches, executeSearch, innerHitsTotalsAsInt } from '../../search/index.ts';
import type { SearchableIndex, SearchOptions, SearchResult } from '../../search/types.ts';
import type { EngineContext } from '../context.ts';
import type { RestRequest } from '../rest-request.ts';
import type { RestResponse, Router } from '../router.ts';
import {
  INDEX_EXPANSION_PARAMS,
  QUERY_STRING_PARAMS,
  SEARCH_PARAMS,
  searchBody,
  searchOptions,
  searchTargets,
  searchViews,
  shardsSummary,
} from '../search-request.ts';

export interface RenderOptions {
  totalAsInt: boolean;
  started: number;
  shards: JsonObject;
}

/** The search response envelope in OpenSearch's key order. */
export function renderSearch(result: SearchResult, opts: RenderOptions, extra: JsonObject = {}): JsonObject {
  const hits: JsonObject = {};
  if (result.totalOmitted !== true) {
    hits.total = opts.totalAsInt ? result.total : { value: result.total, relation: result.totalRelation };
  }
  hits.max_score = result.maxScore;
  if (opts.totalAsInt) innerHitsTotalsAsInt(result.hits);
  hits.hits = result.hits;
  const out: JsonObject = { ...extra, took: Date.now() - opts.started, timed_out: false, _shards: opts.shards, hits };
  if (result.aggregations !== undefined) out.aggregations = result.aggregations;
  return out;
}

function pitSearch(req: RestRequest, ctx: EngineContext, body: JsonObject, opts: SearchOptions, started: number): RestResponse {
  if (req.pathParams.index !== undefined) {
    throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: [indices] cannot be used with point in time. Do not specify any index with point in time.;');
  }
  const spec = body.pit;
  if (!isObject(spec) || typeof spec.id !== 'string') throw new EngineError(400, 'parsing_exception', '[pit] requires an [id]');
  const pit = ctx.cursors.pit(spec.id);
  if (typeof spec.keep_alive === 'string') {
    pit.keepAliveMs = parseKeepAlive(spec.keep_alive, 'keep_alive');
    pit.expiresAt = Date.now() + pit.keepAliveMs;
  }
  const { pit: _p, ...rest } = body;
  const result = executeSearch(pit.indices, rest, opts);
  const shards = shardsSummary(pit.indices, ctx.state);
  return { status: 200, body: renderSearch(result, { totalAsInt: req.bool('rest_total_hits_as_int'), started, shards }, { pit_id: pit.id }) };
}

function searchHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const started = Date.now();
  const opts = searchOptions(req);
  const body = searchBody(req, req.json());
  if (body.pit !== undefined) return pitSearch(req, ctx, body, opts, started);
  const targets = searchTargets(ctx.state, req);
  const views = searchViews(targets);
  const scroll = req.str('scroll');
  const totalAsInt = req.bool('rest_total_hits_as_int');
  const shards = shardsSummary(targets.map((t) => t.index));
  if (scroll === undefined) {
    const result = executeSearch(views, body, opts);
    return { status: 200, body: renderSearch(result, { totalAsInt, started, shards }) };
  }
  return openScroll(ctx, views, body, opts, parseKeepAlive(scroll, 'scroll'), { totalAsInt, started, shards });
}

function openScroll(ctx: EngineContext, views: SearchableIndex[], body: JsonObject, opts: SearchOptions, keepAliveMs: number, render: RenderOptions): RestResponse {
  const size = opts.size ?? (typeof body.size === 'number' ? body.size : 10);
  const scrollOpts: SearchOptions = { ...opts, from: 0, size, scroll: true };
  const result = executeSearch(views, body, scrollOpts);
  const { aggs: _a, aggregations: _b, from: _f, ...pageBody } = body;
  const scroll = ctx.cursors.openScroll({ indices: views, body: pageBody, opts: scrollOpts, offset: result.hits.length, size, expiresAt: Date.now() + keepAliveMs });
  return { status: 200, body: renderSearch(result, render, { _scroll_id: scroll.id }) };
}

function scrollRequest(req: RestRequest): { id: string; keepAlive?: string } {
  const body = req.json();
  const fromBody = isObject(body) ? body : {};
  const id = req.pathParams.scroll_id ?? req.str('scroll_id') ?? fromBody.scroll_id;
  if (typeof id !== 'string') throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: scrollId is missing;');
  const keepAlive = req.str('scroll') ?? (typeof fromBody.scroll === 'string' ? fromBody.scroll : undefined);
  return { id, keepAlive };
}

function scrollHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const started = Date.now();
  const { id, keepAlive } = scrollRequest(req);
  const scroll = ctx.cursors.scroll(id);
  if (keepAlive !== undefined) scroll.expiresAt = Date.now() + parseKeepAlive(keepAlive, 'scroll');
  const result = executeSearch(scroll.indices, scroll.body, { ...scroll.opts, from: scroll.offset, size: scroll.size });
  scroll.offset += result.hits.length;
  const render = { totalAsInt: req.bool('rest_total_hits_as_int'), started, shards: shardsSummary(scroll.indices, ctx.state) };
  return { status: 200, body: renderSearch(result, render, { _scroll_id: scroll.id }) };
}

function clearScrollHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const pathId = req.pathParams.scroll_id;
  let ids: string[] | 'all';
  if (pathId === '_all') ids = 'all';
  else if (pathId !== undefined) ids = pathId.split(',');
  else {
    const body = req.json();
    const raw: Json | undefined = isObject(body) ? body.scroll_id : undefined;
    const list = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(',') : [];
    ids = list.includes('_all') ? 'all' : list;
  }
  const freed = ctx.cursors.clearScrolls(ids);
  const notFound = ids !== 'all' && freed === 0 && ids.length > 0;
  return { status: notFound ? 404 : 200, body: { succeeded: true, num_freed: freed } };
}

function countHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const body = searchBody(req, req.json());
  for (const key of Object.keys(body)) {
    if (key !== 'query') throw new EngineError(400, 'parsing_exception', `request does not support [${key}]`);
  }
  const targets = searchTargets(ctx.state, req);
  const count = countMatches(searchViews(targets), body.query);
  return { status: 200, body: { count, _shards: shardsSummary(targets.map((t) => t.index)) } };
}

function createPitHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const keepAlive = parseKeepAlive(req.str('keep_alive'), 'keep_alive');
  const targets = searchTargets(ctx.state, req);
  const pit = ctx.cursors.openPit(searchViews(targets), keepAlive);
  return { status: 200, body: { pit_id: pit.id, _shards: shardsSummary(targets.map((t) => t.index)), creation_time: pit.createdAt } };
}

function deletePitHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  let ids: string[];
  if (req.path.endsWith('/_all')) ids = ctx.cursors.listPits().map((p) => p.id);
  else {
    const body = req.json();
    const raw: Json | undefined = isObject(body) ? body.pit_id : undefined;
    ids = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : [];
    if (ids.length === 0) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: No pit ids specified;');
  }
  const pits = ids.map((id) => ({ pit_id: id, successful: ctx.cursors.deletePit(id) }));
  return { status: 200, body: { pits } };
}

function listPitsHandler(_req: RestRequest, ctx: EngineContext): RestResponse {
  const pits = ctx.cursors.listPits().map((p) => ({ pit_id: p.id, creation_time: p.createdAt, keep_alive: p.keepAliveMs }));
  return { status: 200, body: { pits } };
}

export function registerSearchRoutes(r: Router): void {
  r.add(['GET', 'POST'], '/_search', SEARCH_PARAMS, searchHandler);
  r.add(['GET', 'POST'], '/{index}/_search', SEARCH_PARAMS, searchHandler);
  r.add(['GET', 'POST'], '/_search/scroll', ['scroll', 'scroll_id', 'rest_total_hits_as_int'], scrollHandler);
  r.add(['GET', 'POST'], '/_search/scroll/{scroll_id}', ['scroll', 'rest_total_hits_as_int'], scrollHandler);
  r.add(['DELETE'], '/_search/scroll', [], clearScrollHandler);
  r.add(['DELETE'], '/_search/scroll/{scroll_id}', [], clearScrollHandler);
  const countParams = [...INDEX_EXPANSION_PARAMS, ...QUERY_STRING_PARAMS, 'routing', 'preference', 'min_score', 'terminate_after'];
  r.add(['GET', 'POST'], '/_count', countParams, countHandler);
  r.add(['GET', 'POST'], '/{index}/_count', countParams, countHandler);
  const pitParams = ['keep_alive', 'preference', 'routing', 'expand_wildcards', 'allow_partial_pit_creation'];
  r.add(['POST'], '/{index}/_search/point_in_time', pitParams, createPitHandler);
  r.add(['DELETE'], '/_search/point_in_time', [], deletePitHandler);
  r.add(['DELETE'], '/_search/point_in_time/_all', [], deletePitHandler);
  r.add(['GET'], '/_search/point_in_time/_all', [], listPitsHandler);
}
