import { EngineError } from '../errors.ts';
import { isObject, type Json, type JsonObject } from '../json.ts';
import { queryStringToQuery } from '../search/index.ts';
import type { SearchableIndex, SearchOptions } from '../search/types.ts';
import type { EngineState } from '../store/engine-state.ts';
import type { SearchTarget } from '../store/index-resolver.ts';
import type { IndexState } from '../store/index-state.ts';
import { shardFor } from '../store/murmur3.ts';
import type { RestRequest } from './rest-request.ts';

export const INDEX_EXPANSION_PARAMS = ['allow_no_indices', 'ignore_unavailable', 'expand_wildcards', 'ignore_throttled'];
export const QUERY_STRING_PARAMS = ['q', 'df', 'default_operator', 'analyzer', 'analyze_wildcard', 'lenient'];
export const SEARCH_PARAMS = [
  ...INDEX_EXPANSION_PARAMS,
  ...QUERY_STRING_PARAMS,
  'from', 'size', 'sort', '_source', '_source_includes', '_source_excludes', '_source_include', '_source_exclude',
  'track_total_hits', 'rest_total_hits_as_int', 'typed_keys', 'scroll', 'search_type', 'preference', 'routing',
  'request_cache', 'timeout', 'terminate_after', 'stored_fields', 'docvalue_fields', 'version', 'seq_no_primary_term',
  'batched_reduce_size', 'pre_filter_shard_size', 'max_concurrent_shard_requests', 'ccs_minimize_roundtrips',
  'allow_partial_search_results', 'explain', 'track_scores', 'stats', 'cancel_after_time_interval',
  'include_named_queries_score', 'phase_took', 'search_pipeline', 'suggest_field', 'suggest_mode', 'suggest_size', 'suggest_text',
];

/** Resolves the searched indexes from the path (aliases with their filters and routing), honouring ignore_unavailable/allow_no_indices. */
export function searchTargets(state: EngineState, req: RestRequest): SearchTarget[] {
  return state.lookup.searchTargets(req.pathParams.index, req.str('routing'), {
    ignoreUnavailable: req.bool('ignore_unavailable'),
    allowNoIndices: req.bool('allow_no_indices', true),
  });
}

/** The searchable views: limited to the shards of the target's routing values, filtered by its alias filter. */
export function searchViews(targets: SearchTarget[]): SearchableIndex[] {
  return targets.map(({ index, routing, filter }) => {
    let view = index.searchView();
    if (routing !== undefined) {
      const shards = new Set(routing.map((r) => shardFor(r, index.shards.length)));
      view = { ...view, docs: view.docs.filter((d) => shards.has(d.shard)) };
    }
    return filter === undefined ? view : { ...view, aliasFilter: filter };
  });
}

/** Turns `sort=a:asc,b` into the body form. */
function urlSort(sort: string): Json[] {
  return sort.split(',').map((s) => {
    const [field, order] = s.split(':');
    return order === undefined ? field : { [field]: order };
  });
}

/** The search body with URL parameters folded in (q, sort, from/size, _source, ...). */
export function searchBody(req: RestRequest, body: Json | undefined): JsonObject {
  if (body !== undefined && !isObject(body)) throw new EngineError(400, 'parsing_exception', 'Expected [START_OBJECT] but found [VALUE_STRING]');
  const out: JsonObject = { ...(body ?? {}) };
  const q = req.str('q');
  if (q !== undefined) {
    out.query = queryStringToQuery(q, {
      df: req.str('df'),
      default_operator: req.str('default_operator'),
      analyzer: req.str('analyzer'),
      lenient: req.str('lenient') === 'true',
    });
  }
  const sort = req.str('sort');
  if (sort !== undefined) out.sort = urlSort(sort);
  const stored = req.str('stored_fields');
  if (stored !== undefined) out.stored_fields = stored.split(',');
  if (req.str('track_scores') !== undefined) out.track_scores = req.bool('track_scores');
  return out;
}

/** Options carried by URL parameters. */
export function searchOptions(req: RestRequest): SearchOptions {
  const opts: SearchOptions = {};
  const from = req.int('from');
  const size = req.int('size');
  if (from !== undefined) opts.from = from;
  if (size !== undefined) opts.size = size;
  const tth = req.str('track_total_hits');
  if (tth !== undefined) opts.trackTotalHits = tth === 'true' || tth === '' ? true : tth === 'false' ? false : Number(tth);
  const src = req.str('_source');
  if (src !== undefined) opts.sourceParam = src === 'true' || src === '' ? true : src === 'false' ? false : src.split(',');
  opts.sourceIncludes = req.list('_source_includes') ?? req.list('_source_include');
  opts.sourceExcludes = req.list('_source_excludes') ?? req.list('_source_exclude');
  if (req.str('seq_no_primary_term') !== undefined) opts.seqNoPrimaryTerm = req.bool('seq_no_primary_term');
  if (req.str('version') !== undefined) opts.version = req.bool('version');
  return opts;
}

export function shardsSummary(indices: SearchableIndex[] | IndexState[], state?: EngineState): JsonObject {
  let total = 0;
  for (const i of indices) {
    const idx = 'shards' in i ? i : state?.get(i.name);
    total += idx !== undefined && 'shards' in idx ? idx.shards.length : 1;
  }
  return { total, successful: total, skipped: 0, failed: 0 };
}
