import type { Json, JsonObject } from '../json.ts';
import type { Mappings } from '../mapping/types.ts';

/** One stored document as the search layer sees it (a refreshed, immutable snapshot). */
export interface SearchableDoc {
  /** Physical index name. */
  index: string;
  id: string;
  source: JsonObject;
  version: number;
  seqNo: number;
  primaryTerm: number;
  routing?: string;
  /** Shard number; ties in score are broken by (shard, order) like OpenSearch's doc order. */
  shard: number;
  /** Position of the document in its shard (insertion order of its current version). */
  order: number;
}

/** An index as searched: its mapping and the documents visible to search (last refresh). */
export interface SearchableIndex {
  name: string;
  mappings: Mappings;
  docs: readonly SearchableDoc[];
  /** `index.max_result_window` (default 10000). */
  maxResultWindow?: number;
  /** The filter of the alias the index is searched through: a document must match it (it does not score). */
  aliasFilter?: Json;
}

/** Options that come from URL parameters rather than the body (already validated by REST). */
export interface SearchOptions {
  from?: number;
  size?: number;
  /** Extra query from `q=` (query_string), combined with the body's query by the REST layer. */
  trackTotalHits?: boolean | number;
  /** `_source`, `_source_includes`, `_source_excludes` URL parameters. */
  sourceParam?: boolean | string[];
  sourceIncludes?: string[];
  sourceExcludes?: string[];
  /** `seq_no_primary_term=true`, `version=true`. */
  seqNoPrimaryTerm?: boolean;
  version?: boolean;
  /** A scroll page: exempt from the from+size result window check. */
  scroll?: boolean;
}

export interface SearchResult {
  /** Total matching documents (before from/size). */
  total: number;
  totalRelation: 'eq' | 'gte';
  /** True when track_total_hits is false (or -1): `hits.total` must be left out. */
  totalOmitted?: boolean;
  maxScore: number | null;
  /** Hits ready to serialize into `hits.hits`: _index, _id, _score, _source, sort, highlight, ... */
  hits: JsonObject[];
  /** Sorted matches' sort values of the last hit, for search_after pagination by callers. */
  aggregations?: JsonObject;
}
