/**
 * The endpoint table (SPEC §4.3): for every endpoint family osproxy serves to tenants, its routes,
 * the role it needs, its URL parameter allowlist, whether it is batch work (admission), and how
 * the index expression of its path is resolved. This is the one place these facts live; the
 * handler for each name is bound in `ops/table.ts` (exhaustively, by type), and directives
 * (`match.endpoint`) name endpoints by these keys.
 */
export type Access = 'read' | 'write' | 'manage';

/**
 * How the resolve stage treats the path's `{index}`:
 * - `one`: one concrete logical index (documents, index creation);
 * - `expression`: names, lists, patterns, `_all` or none, resolved against the tenant's indexes;
 * - `default`: only the default `_index` of the items in the body (`_bulk`, `_mget`, `_msearch`);
 * - `none`: the path has no index.
 */
export type IndexKind = 'one' | 'expression' | 'default' | 'none';

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
export type Route = readonly [methods: readonly Method[], pattern: string];

export interface EndpointFacts {
  access: Access;
  /** URL parameters allowed besides the common ones (SPEC §4.3 allowlists). */
  params: readonly string[];
  index: IndexKind;
  /** Batch endpoints count against the separate batch budget too (SPEC §4.6). */
  batch?: boolean;
  /** Matched in table order; a `{index}` segment never starts with `_` (except `_all`). */
  routes: readonly Route[];
}

const COMMON = ['pretty', 'human', 'error_trace', 'filter_path'];
const WRITE = ['refresh', 'timeout', 'routing', 'version', 'version_type', 'if_seq_no', 'if_primary_term', 'op_type', 'wait_for_active_shards'];
const SOURCE = ['_source', '_source_includes', '_source_excludes'];
const GET = ['routing', 'preference', 'realtime', 'refresh', 'stored_fields', 'version', 'version_type', ...SOURCE];
/** RestGetSourceAction reads no `stored_fields` (OpenSearch refuses it as unrecognized). */
const GET_SOURCE = GET.filter((p) => p !== 'stored_fields');
const QUERY_STRING = ['q', 'df', 'default_operator', 'analyzer', 'lenient'];
const SEARCH = [
  ...QUERY_STRING, ...SOURCE, 'from', 'size', 'sort', 'track_total_hits', 'rest_total_hits_as_int', 'typed_keys',
  'preference', 'routing', 'timeout', 'stored_fields', 'docvalue_fields', 'version', 'seq_no_primary_term',
  'track_scores', 'allow_no_indices', 'ignore_unavailable', 'expand_wildcards', 'search_type', 'request_cache',
  'allow_partial_search_results', 'terminate_after', 'scroll',
];
const MSEARCH = ['max_concurrent_searches', 'rest_total_hits_as_int', 'typed_keys', 'search_type', 'pre_filter_shard_size', 'ccs_minimize_roundtrips'];
const BY_QUERY = [
  ...QUERY_STRING, 'conflicts', 'refresh', 'max_docs', 'scroll_size', 'timeout', 'wait_for_completion', 'requests_per_second', 'slices',
  'allow_no_indices', 'ignore_unavailable', 'expand_wildcards',
];
const EXPANSION = ['allow_no_indices', 'ignore_unavailable', 'expand_wildcards'];
const MASTER = ['master_timeout', 'cluster_manager_timeout'];
const INDEX_GET = [...EXPANSION, 'flat_settings', 'include_defaults', 'local', ...MASTER];

const GET_HEAD = ['GET', 'HEAD'] as const;
const GET_POST = ['GET', 'POST'] as const;
const PUT_POST = ['PUT', 'POST'] as const;

export const ENDPOINTS = {
  info: { access: 'read', params: [], index: 'none', routes: [[GET_HEAD, '/']] },
  // Cursor paths are literal `_search/...` routes: matched before any `/{index}/...` rule.
  scroll: { access: 'read', params: ['scroll', 'scroll_id', 'rest_total_hits_as_int'], index: 'none', routes: [[GET_POST, '/_search/scroll'], [GET_POST, '/_search/scroll/{id}']] },
  clear_scroll: { access: 'read', params: ['scroll_id'], index: 'none', routes: [[['DELETE'], '/_search/scroll'], [['DELETE'], '/_search/scroll/{id}']] },
  pit_delete: { access: 'read', params: [], index: 'none', routes: [[['DELETE'], '/_search/point_in_time'], [['DELETE'], '/_search/point_in_time/{id}']] },
  pit_create: {
    access: 'read', index: 'expression', routes: [[['POST'], '/{index}/_search/point_in_time']],
    params: ['keep_alive', 'preference', 'allow_partial_pit_creation', 'routing', ...EXPANSION],
  },
  pit_list: { access: 'read', params: [], index: 'none', routes: [[['GET'], '/_search/point_in_time/_all']] },
  nodes_info: { access: 'read', params: ['timeout', 'flat_settings'], index: 'none', routes: [[['GET'], '/_nodes'], [['GET'], '/_nodes/{id}'], [['GET'], '/_nodes/{id}/{metric}']] },
  resolve_index: { access: 'read', params: ['expand_wildcards'], index: 'expression', routes: [[['GET'], '/_resolve/index/{index}']] },
  settings_get: {
    access: 'read', index: 'expression', params: [...EXPANSION, 'flat_settings', 'local', ...MASTER],
    routes: [[['GET'], '/_settings'], [['GET'], '/_settings/{id}'], [['GET'], '/{index}/_settings'], [['GET'], '/{index}/_settings/{id}']],
  },
  alias_get: {
    access: 'read', index: 'expression', params: [...EXPANSION, 'local'],
    routes: [[['GET'], '/_alias'], [GET_HEAD, '/_alias/{id}'], [GET_HEAD, '/{index}/_alias'], [GET_HEAD, '/{index}/_alias/{id}']],
  },
  field_caps: {
    access: 'read', index: 'expression', params: [...EXPANSION, 'fields', 'include_unmapped'],
    routes: [[GET_POST, '/_field_caps'], [GET_POST, '/{index}/_field_caps']],
  },
  cluster_health: { access: 'read', params: ['wait_for_status', 'timeout', 'level', 'local'], index: 'none', routes: [[['GET'], '/_cluster/health']] },
  search: { access: 'read', params: SEARCH, index: 'expression', routes: [[GET_POST, '/_search'], [GET_POST, '/{index}/_search']] },
  count: {
    access: 'read', index: 'expression', routes: [[GET_POST, '/_count'], [GET_POST, '/{index}/_count']],
    params: [...QUERY_STRING, 'routing', 'preference', ...EXPANSION, 'min_score', 'terminate_after'],
  },
  refresh: { access: 'read', params: EXPANSION, index: 'expression', routes: [[GET_POST, '/_refresh'], [GET_POST, '/{index}/_refresh']] },
  cat_indices: {
    access: 'read', index: 'expression', routes: [[['GET'], '/_cat/indices'], [['GET'], '/_cat/indices/{index}']],
    params: ['format', 'h', 'v', 's', 'bytes', 'health', 'pri', 'help', 'expand_wildcards'],
  },
  cat_count: { access: 'read', params: ['format', 'h', 'v', 's', 'help'], index: 'expression', routes: [[['GET'], '/_cat/count'], [['GET'], '/_cat/count/{index}']] },
  mapping_get: {
    access: 'read', index: 'expression', routes: [[['GET'], '/_mapping'], [['GET'], '/{index}/_mapping']],
    params: [...EXPANSION, 'local', ...MASTER],
  },
  mapping_put: { access: 'manage', params: ['timeout', ...MASTER, ...EXPANSION, 'write_index_only'], index: 'expression', routes: [[PUT_POST, '/{index}/_mapping']] },
  bulk: { access: 'write', params: ['refresh', 'timeout', 'wait_for_active_shards'], index: 'default', batch: true, routes: [[PUT_POST, '/_bulk'], [PUT_POST, '/{index}/_bulk']] },
  mget: { access: 'read', params: ['preference', 'realtime', 'refresh'], index: 'default', batch: true, routes: [[GET_POST, '/_mget'], [GET_POST, '/{index}/_mget']] },
  msearch: { access: 'read', params: MSEARCH, index: 'default', batch: true, routes: [[GET_POST, '/_msearch'], [GET_POST, '/{index}/_msearch']] },
  delete_by_query: { access: 'write', params: BY_QUERY, index: 'expression', batch: true, routes: [[['POST'], '/{index}/_delete_by_query']] },
  update_by_query: { access: 'write', params: BY_QUERY, index: 'expression', batch: true, routes: [[['POST'], '/{index}/_update_by_query']] },
  doc_index: { access: 'write', params: WRITE, index: 'one', routes: [[PUT_POST, '/{index}/_doc/{id}'], [['POST'], '/{index}/_doc']] },
  doc_create: { access: 'write', params: WRITE, index: 'one', routes: [[PUT_POST, '/{index}/_create/{id}']] },
  doc_get: { access: 'read', params: GET, index: 'one', routes: [[GET_HEAD, '/{index}/_doc/{id}']] },
  doc_source: { access: 'read', params: GET_SOURCE, index: 'one', routes: [[GET_HEAD, '/{index}/_source/{id}']] },
  doc_delete: { access: 'write', params: WRITE, index: 'one', routes: [[['DELETE'], '/{index}/_doc/{id}']] },
  doc_update: {
    access: 'write', index: 'one', routes: [[['POST'], '/{index}/_update/{id}']],
    params: ['refresh', 'timeout', 'routing', 'retry_on_conflict', 'if_seq_no', 'if_primary_term', 'wait_for_active_shards', ...SOURCE],
  },
  index_create: { access: 'manage', params: ['timeout', ...MASTER, 'wait_for_active_shards'], index: 'one', routes: [[['PUT'], '/{index}']] },
  index_get: { access: 'read', params: INDEX_GET, index: 'expression', routes: [[['GET'], '/{index}']] },
  index_exists: { access: 'read', params: INDEX_GET, index: 'expression', routes: [[['HEAD'], '/{index}']] },
  index_delete: { access: 'manage', params: ['timeout', ...MASTER, ...EXPANSION], index: 'expression', routes: [[['DELETE'], '/{index}']] },
} as const satisfies Record<string, EndpointFacts>;

export type EndpointName = keyof typeof ENDPOINTS;

/** One endpoint's facts with its name. */
export interface EndpointSpec extends EndpointFacts {
  name: EndpointName;
}

export const ENDPOINT_NAMES = Object.keys(ENDPOINTS) as EndpointName[];

export function endpointSpec(name: EndpointName): EndpointSpec {
  return SPECS.get(name) as EndpointSpec;
}

const SPECS = new Map<EndpointName, EndpointSpec>(ENDPOINT_NAMES.map((name) => [name, { name, ...(ENDPOINTS[name] as EndpointFacts) }]));

export function isAllowedParam(spec: EndpointSpec, name: string): boolean {
  return COMMON.includes(name) || spec.params.includes(name);
}
