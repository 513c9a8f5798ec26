/** The search layer's API: what the REST and ops layers call. */
export { countMatches, executeSearch, matchingDocs } from './execute.ts';
export { filterSource } from './source-filter.ts';
export { innerHitsTotalsAsInt } from './collapse-expand.ts';
export { queryStringToQuery } from './query/query-string.ts';
export { compileQuery } from './query/compile.ts';
export { analyze } from '../analysis/index.ts';
export type { SearchableDoc, SearchableIndex, SearchOptions, SearchResult } from './types.ts';
