/**
 * The query types an OpenSearch 2.x cluster knows (core SearchModule, the bundled modules —
 * parent-join, percolator, mapper-extras — and the k-NN / neural-search plugins), so that a type
 * nobody knows gets OpenSearch's own answer, `unknown query [x] did you mean [y]?`, while a known
 * type osproxy does not serve is refused with osproxy's reason.
 */
export const OPENSEARCH_QUERY_TYPES: ReadonlySet<string> = new Set([
  'bool', 'boosting', 'common', 'constant_score', 'dis_max', 'distance_feature', 'exists', 'field_masking_span',
  'function_score', 'fuzzy', 'geo_bounding_box', 'geo_distance', 'geo_polygon', 'geo_shape', 'has_child', 'has_parent',
  'hybrid', 'ids', 'intervals', 'knn', 'match', 'match_all', 'match_bool_prefix', 'match_none', 'match_phrase',
  'match_phrase_prefix', 'more_like_this', 'multi_match', 'nested', 'neural', 'parent_id', 'percolate', 'prefix',
  'query_string', 'range', 'rank_feature', 'regexp', 'script', 'script_score', 'simple_query_string', 'span_containing',
  'span_first', 'span_multi', 'span_near', 'span_not', 'span_or', 'span_term', 'span_within', 'template', 'term',
  'terms', 'terms_set', 'wildcard', 'wrapper', 'xy_shape',
]);

/** Lucene's LevenshteinDistance.getDistance: 1 − edits / the longer length (1 = equal). */
function similarity(a: string, b: string): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 1 : 0;
  let prev = Array.from({ length: a.length + 1 }, (_, i) => i);
  for (let j = 1; j <= b.length; j++) {
    const cur = [j];
    for (let i = 1; i <= a.length; i++) {
      cur[i] = Math.min(cur[i - 1] + 1, prev[i] + 1, prev[i - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return 1 - prev[a.length] / Math.max(a.length, b.length);
}

/**
 * SuggestingErrorOnUnknown.suggest: the candidates more than half similar, most similar first
 * (then by name), as ` did you mean [x]?` or ` did you mean any of [x, y]?`; '' when none is.
 */
export function didYouMean(unknown: string, candidates: Iterable<string>): string {
  const scored = [...candidates]
    .map((c) => ({ c, s: Math.fround(similarity(unknown, c)) }))
    .filter((x) => x.s > 0.5)
    .sort((x, y) => y.s - x.s || (x.c < y.c ? -1 : x.c > y.c ? 1 : 0))
    .map((x) => x.c);
  if (scored.length === 0) return '';
  return scored.length === 1 ? ` did you mean [${scored[0]}]?` : ` did you mean any of [${scored.join(', ')}]?`;
}

/** OpenSearch's reason for a query type it does not know. */
export function unknownQueryReason(type: string): string {
  return `unknown query [${type}]${didYouMean(type, OPENSEARCH_QUERY_TYPES)}`;
}
