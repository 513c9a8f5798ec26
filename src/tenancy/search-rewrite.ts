/**
 * Search-like request bodies (SPEC §4.4): the client query is wrapped as
 * `{"bool":{"must":[<query>],"filter":[<scope filter>]}}` and every construct that could escape a
 * query filter is rewritten so that it is provably scoped, or refused with a 400.
 */
import type { Json, JsonObject } from '../core/json.ts';
import { malformed, refuse } from './errors.ts';
import { rewriteAggs } from './agg-checks.ts';
import { checkListedField, checkQueryField, checkQueryText, checkValueField, listedFieldNames, valueFieldName } from './field-checks.ts';
import { checkScriptFields, rewriteCollapse, rewriteDocvalueFields, rewriteFieldList, rewriteHighlight, rewriteSourceFilter, rewriteStoredFields } from './hit-sections.ts';
import { walkQuery } from './query-walk.ts';
import { buildRewriteContext, type RewriteContext, type SearchScope } from './scope.ts';
import { checkScript } from './scripts.ts';
import { rewriteIndicesBoost, rewriteRescore, rewriteSlice } from './search-sections.ts';
import { rewriteSort } from './sort-checks.ts';

type SectionRewriter = (value: Json, ctx: RewriteContext, path: string) => Json;

const keep: SectionRewriter = (value) => value;

function sharedOnlyRefusal(code: string, why: string): SectionRewriter {
  return (value, ctx, path) => {
    if (ctx.shared) refuse(code, `[${path}] ${why}`);
    return value;
  };
}

function check(fn: (value: Json, ctx: RewriteContext, path: string) => void): SectionRewriter {
  return (value, ctx, path) => {
    fn(value, ctx, path);
    return value;
  };
}

const SECTIONS: ReadonlyMap<string, SectionRewriter> = new Map<string, SectionRewriter>([
  ['aggs', (v, ctx, p) => rewriteAggs(v, ctx, p)],
  ['aggregations', (v, ctx, p) => rewriteAggs(v, ctx, p)],
  ['post_filter', (v, ctx, p) => ctx.rewriteQuery(v, p)],
  ['sort', rewriteSort],
  ['rescore', rewriteRescore],
  ['highlight', rewriteHighlight],
  ['collapse', rewriteCollapse],
  ['indices_boost', rewriteIndicesBoost],
  ['script_fields', check(checkScriptFields)],
  ['docvalue_fields', rewriteDocvalueFields],
  ['fields', rewriteFieldList],
  ['stored_fields', rewriteStoredFields],
  ['_source', rewriteSourceFilter],
  ['slice', rewriteSlice],
  ['stats', (_v, _ctx, p) => refuse('stats_refused', `[${p}] search statistics groups are not supported by osproxy`)],
  ['suggest', sharedOnlyRefusal('suggest_refused', 'suggesters read terms from every document of a shared index and are not supported in shared placement')],
  ['runtime_mappings', sharedOnlyRefusal('runtime_mappings_refused', 'runtime fields can shadow the fields osproxy filters on and are not supported in shared placement')],
  ['profile', (v, ctx, p) => (v === false || v === 'false' ? v : sharedOnlyRefusal('profile_refused', 'profiling exposes physical index names and is not supported in shared placement')(v, ctx, p))],
  ['search_pipeline', sharedOnlyRefusal('search_pipeline_refused', 'an inline search pipeline can rewrite the query after osproxy and is not supported in shared placement')],
  ['ext', sharedOnlyRefusal('ext_refused', 'search extensions are not supported in shared placement')],
  // Plain values; `pit` ids are sealed and swapped by the caller, the query is still wrapped.
  ...[
    'from', 'size', 'timeout', 'terminate_after', 'track_total_hits', 'track_scores', 'min_score', 'version',
    'seq_no_primary_term', 'explain', 'search_after', 'pit', 'include_named_queries_score',
  ].map((k): [string, SectionRewriter] => [k, keep]),
]);

/** The client query (or match_all) wrapped with the scope filter; dedicated-only: no filter. */
function wrapQuery(query: Json | undefined, ctx: RewriteContext): JsonObject {
  const must = query === undefined ? { match_all: {} } : ctx.rewriteQuery(query, 'query');
  if (ctx.filter === undefined) return { bool: { must: [must] } };
  return { bool: { must: [must], filter: [ctx.filter] } };
}

export function rewriteSearchBody(body: JsonObject | undefined, scope: SearchScope): JsonObject {
  const ctx = buildRewriteContext(scope, walkQuery);
  const sections = Object.entries(body ?? {})
    .filter(([key]) => key !== 'query')
    .map(([key, value]): [string, Json] => {
      const section = SECTIONS.get(key);
      if (section === undefined) malformed('unknown_search_key', `Unknown key for a search body: [${key}]`);
      return [key, section(value, ctx, key)];
    });
  return { query: wrapQuery(body?.query, ctx), ...Object.fromEntries(sections) };
}

/** `_count`: only a query is allowed in the body. */
export function rewriteCountBody(body: JsonObject | undefined, scope: SearchScope): JsonObject {
  const ctx = buildRewriteContext(scope, walkQuery);
  for (const key of Object.keys(body ?? {})) {
    if (key !== 'query') malformed('unknown_count_key', `request does not support [${key}]`);
  }
  return { query: wrapQuery(body?.query, ctx) };
}

const BY_QUERY_KEYS = new Set(['query', 'script', 'max_docs', 'slice', 'conflicts']);

/** `_delete_by_query` / `_update_by_query`: wrapped query, script rule, slice checked. */
export function rewriteByQueryBody(body: JsonObject | undefined, scope: SearchScope): JsonObject {
  const ctx = buildRewriteContext(scope, walkQuery);
  const out: JsonObject = { ...body };
  for (const [key, value] of Object.entries(body ?? {})) {
    if (!BY_QUERY_KEYS.has(key)) malformed('unknown_by_query_key', `request does not support [${key}]`);
    if (key === 'script') checkScript(value, ctx, 'script');
    if (key === 'slice') out.slice = rewriteSlice(value, ctx, 'slice');
  }
  return { ...out, query: wrapQuery(body?.query, ctx) };
}

/**
 * URL parameters (a Map or URLSearchParams) of a search that can escape the scope: `search_type=dfs_query_then_fetch` gathers
 * term statistics from the whole shared index; `q`/`df`/`sort`/field lists name fields; `stats`,
 * suggesters and search pipelines as in the body.
 */
export function checkSearchParams(params: Iterable<[string, string]>, scope: SearchScope): void {
  const ctx = buildRewriteContext(scope, walkQuery);
  for (const [name, value] of params) checkSearchParam(name, value, ctx);
}

function checkSearchParam(name: string, value: string, ctx: RewriteContext): void {
  const list = value.split(',').filter((v) => v !== '');
  switch (name) {
    case 'search_type':
      if (ctx.shared && value === 'dfs_query_then_fetch') {
        refuse('dfs_refused', 'search_type [dfs_query_then_fetch] gathers term statistics from every tenant in a shared index and is not supported in shared placement');
      }
      return;
    case 'q':
      return checkQueryText(value, ctx, 'q');
    case 'df':
      checkQueryField(value, ctx, 'df');
      return;
    case 'sort':
      list.forEach((s) => sortParamField(s, ctx));
      return;
    case 'docvalue_fields':
      list.forEach((f) => checkListedField(f, ctx, name));
      return;
    case 'stored_fields':
      list.forEach((f) => checkListedField(f, ctx, name, true));
      return;
    case 'stats':
      refuse('stats_refused', '[stats] search statistics groups are not supported by osproxy');
      return;
    default:
      if (ctx.shared && (name === 'search_pipeline' || name.startsWith('suggest'))) {
        refuse(name === 'search_pipeline' ? 'search_pipeline_refused' : 'suggest_refused', `[${name}] is not supported in shared placement`);
      }
  }
}

/** URL parameters that list fields (`sort=f:asc`, `_source_includes`, `docvalue_fields`…). */
const FIELD_LIST_PARAMS = new Set(['sort', 'docvalue_fields', 'stored_fields', '_source', '_source_includes', '_source_excludes']);

/**
 * The URL parameters as the searched indexes need them: fields renamed where the indexes have
 * per-tenant fields (the rest as given). Checks as checkSearchParams does.
 */
export function rewriteSearchParams(params: Iterable<[string, string]>, scope: SearchScope): [string, string][] {
  const ctx = buildRewriteContext(scope, walkQuery);
  const out: [string, string][] = [];
  for (const [name, value] of params) {
    checkSearchParam(name, value, ctx);
    out.push([name, FIELD_LIST_PARAMS.has(name) && !ctx.fields.identity ? renameParamList(name, value, ctx) : value]);
  }
  return out;
}

function renameParamList(name: string, value: string, ctx: RewriteContext): string {
  if (name === '_source' && (value === 'true' || value === 'false')) return value;
  return value.split(',').filter((v) => v !== '').flatMap((entry) => {
    if (name === 'docvalue_fields') return listedFieldNames(entry, ctx, name, { docValues: true });
    if (name !== 'sort') return ctx.fields.names(entry);
    const colon = entry.lastIndexOf(':');
    const field = colon === -1 ? entry : entry.slice(0, colon);
    if (field === '_score' || field === '_doc' || field === '_shard_doc') return [entry];
    return [valueFieldName(field, ctx, 'sort') + (colon === -1 ? '' : entry.slice(colon))];
  }).join(',');
}

/** `field`, `field:asc`, `_score:desc`. */
function sortParamField(entry: string, ctx: RewriteContext): void {
  const colon = entry.lastIndexOf(':');
  const field = colon === -1 ? entry : entry.slice(0, colon);
  if (field !== '_score' && field !== '_doc' && field !== '_shard_doc') checkValueField(field, ctx, 'sort');
}
