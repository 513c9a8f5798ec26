import { EngineError } from '../../errors.ts';
import { isObject, type Json } from '../../json.ts';
import type { SearchableIndex } from '../types.ts';
import { boolQuery, boostingQuery, constantScoreQuery, disMaxQuery, functionScoreQuery, nestedQuery } from './compound.ts';
import { matchBoolPrefixQuery, matchPhrasePrefixQuery, matchPhraseQuery, matchQuery } from './full-text.ts';
import { multiMatchQuery } from './multi-match.ts';
import { boostOf, objectBody } from './params.ts';
import { queryStringQuery, simpleQueryStringQuery } from './query-string.ts';
import { existsQuery, fuzzyQuery, idsQuery, prefixQuery, rangeQuery, regexpQuery, termQuery, termsQuery, wildcardQuery } from './term-level.ts';
import type { DocScorer, HighlightTerms, QueryContext } from './types.ts';

type QueryBuilder = (body: Json, ctx: QueryContext) => DocScorer;

const matchAll: QueryBuilder = (body) => {
  const boost = boostOf(objectBody('match_all', body));
  return () => boost;
};

const QUERIES: Record<string, QueryBuilder> = {
  match_all: matchAll,
  match_none: () => () => undefined,
  match: matchQuery,
  match_phrase: matchPhraseQuery,
  match_phrase_prefix: matchPhrasePrefixQuery,
  match_bool_prefix: matchBoolPrefixQuery,
  multi_match: multiMatchQuery,
  query_string: queryStringQuery,
  simple_query_string: simpleQueryStringQuery,
  term: termQuery,
  terms: termsQuery,
  ids: idsQuery,
  exists: existsQuery,
  range: rangeQuery,
  prefix: prefixQuery,
  wildcard: wildcardQuery,
  regexp: regexpQuery,
  fuzzy: fuzzyQuery,
  bool: boolQuery,
  constant_score: constantScoreQuery,
  boosting: boostingQuery,
  dis_max: disMaxQuery,
  nested: nestedQuery,
  function_score: functionScoreQuery,
};

/** Checks the `{"<type>": {...}}` wrapper and returns the type and its body. */
function unwrap(query: Json): [string, Json] {
  if (!isObject(query)) throw new EngineError(400, 'parsing_exception', '[_na] query malformed, must start with start_object');
  const keys = Object.keys(query);
  if (keys.length === 0) throw new EngineError(400, 'parsing_exception', 'query malformed, empty clause found');
  if (keys.length > 1) throw new EngineError(400, 'parsing_exception', `[${keys[0]}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]`);
  return [keys[0], query[keys[0]]];
}

function compileWith(query: Json, ctx: QueryContext): DocScorer {
  const [name, body] = unwrap(query);
  const builder = Object.prototype.hasOwnProperty.call(QUERIES, name) ? QUERIES[name] : undefined;
  if (builder === undefined) throw new EngineError(400, 'parsing_exception', `unknown query [${name}]`, { line: 1, col: 1 });
  return builder(body, ctx);
}

/** A query context for one index; `highlight` collects the terms the highlighter marks. */
export function queryContext(index: SearchableIndex, now: number, highlight?: HighlightTerms): QueryContext {
  const ctx: QueryContext = {
    index,
    now,
    highlight,
    compile: (q, opts) => compileWith(q, opts?.negated === true && highlight !== undefined ? queryContext(index, now) : ctx),
  };
  return ctx;
}

/** Compiles a query (absent = match_all) for one index. */
export function compileQuery(query: Json | undefined, index: SearchableIndex, now: number, highlight?: HighlightTerms): DocScorer {
  if (query === undefined || query === null) return () => 1;
  return queryContext(index, now, highlight).compile(query);
}
