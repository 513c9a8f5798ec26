/** Every endpoint family osproxy serves for tenants (SPEC §4.3). */
export type EndpointName =
  | 'scroll'
  | 'clear_scroll'
  | 'pit_create'
  | 'pit_delete'
  | 'info'
  | 'cluster_health'
  | 'doc_index'
  | 'doc_create'
  | 'doc_get'
  | 'doc_source'
  | 'doc_delete'
  | 'doc_update'
  | 'search'
  | 'count'
  | 'index_create'
  | 'index_get'
  | 'index_exists'
  | 'index_delete'
  | 'mapping_get'
  | 'mapping_put'
  | 'refresh'
  | 'cat_indices'
  | 'cat_count'
  | 'bulk'
  | 'mget'
  | 'msearch'
  | 'delete_by_query'
  | 'update_by_query';

export type Access = 'read' | 'write' | 'manage';

const COMMON = ['pretty', 'human', 'error_trace', 'filter_path'];
const WRITE = ['refresh', 'timeout', 'routing', 'version', 'version_type', 'if_seq_no', 'if_primary_term', 'op_type', 'wait_for_active_shards'];
const SOURCE = ['_source', '_source_includes', '_source_excludes'];
const GET = ['routing', 'preference', 'realtime', 'refresh', 'stored_fields', 'version', 'version_type', ...SOURCE];
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

export interface EndpointSpec {
  name: EndpointName;
  access: Access;
  /** URL parameters allowed besides the common ones (SPEC §4.3 allowlists). */
  params: readonly string[];
}

export const ENDPOINTS: Record<EndpointName, EndpointSpec> = {
  scroll: { name: 'scroll', access: 'read', params: ['scroll', 'scroll_id', 'rest_total_hits_as_int'] },
  clear_scroll: { name: 'clear_scroll', access: 'read', params: ['scroll_id'] },
  pit_create: { name: 'pit_create', access: 'read', params: ['keep_alive', 'preference', 'allow_partial_pit_creation', 'routing', 'expand_wildcards', 'allow_no_indices', 'ignore_unavailable'] },
  pit_delete: { name: 'pit_delete', access: 'read', params: [] },
  info: { name: 'info', access: 'read', params: [] },
  cluster_health: { name: 'cluster_health', access: 'read', params: ['wait_for_status', 'timeout', 'level', 'local'] },
  doc_index: { name: 'doc_index', access: 'write', params: WRITE },
  doc_create: { name: 'doc_create', access: 'write', params: WRITE },
  doc_get: { name: 'doc_get', access: 'read', params: GET },
  doc_source: { name: 'doc_source', access: 'read', params: GET },
  doc_delete: { name: 'doc_delete', access: 'write', params: WRITE },
  doc_update: { name: 'doc_update', access: 'write', params: ['refresh', 'timeout', 'routing', 'retry_on_conflict', 'if_seq_no', 'if_primary_term', 'wait_for_active_shards', ...SOURCE] },
  search: { name: 'search', access: 'read', params: SEARCH },
  count: { name: 'count', access: 'read', params: [...QUERY_STRING, 'routing', 'preference', 'allow_no_indices', 'ignore_unavailable', 'expand_wildcards', 'min_score', 'terminate_after'] },
  index_create: { name: 'index_create', access: 'manage', params: ['timeout', 'master_timeout', 'cluster_manager_timeout', 'wait_for_active_shards'] },
  index_get: { name: 'index_get', access: 'read', params: ['allow_no_indices', 'ignore_unavailable', 'expand_wildcards', 'flat_settings', 'include_defaults', 'local', 'master_timeout', 'cluster_manager_timeout'] },
  index_exists: { name: 'index_exists', access: 'read', params: ['allow_no_indices', 'ignore_unavailable', 'expand_wildcards', 'flat_settings', 'include_defaults', 'local', 'master_timeout', 'cluster_manager_timeout'] },
  index_delete: { name: 'index_delete', access: 'manage', params: ['timeout', 'master_timeout', 'cluster_manager_timeout', 'allow_no_indices', 'ignore_unavailable', 'expand_wildcards'] },
  mapping_get: { name: 'mapping_get', access: 'read', params: ['allow_no_indices', 'ignore_unavailable', 'expand_wildcards', 'local', 'master_timeout', 'cluster_manager_timeout'] },
  mapping_put: { name: 'mapping_put', access: 'manage', params: ['timeout', 'master_timeout', 'cluster_manager_timeout', 'allow_no_indices', 'ignore_unavailable', 'expand_wildcards', 'write_index_only'] },
  refresh: { name: 'refresh', access: 'read', params: ['allow_no_indices', 'ignore_unavailable', 'expand_wildcards'] },
  cat_indices: { name: 'cat_indices', access: 'read', params: ['format', 'h', 'v', 's', 'bytes', 'health', 'pri', 'help', 'expand_wildcards'] },
  cat_count: { name: 'cat_count', access: 'read', params: ['format', 'h', 'v', 's', 'help'] },
  bulk: { name: 'bulk', access: 'write', params: ['refresh', 'timeout', 'wait_for_active_shards'] },
  mget: { name: 'mget', access: 'read', params: ['preference', 'realtime', 'refresh'] },
  msearch: { name: 'msearch', access: 'read', params: MSEARCH },
  delete_by_query: { name: 'delete_by_query', access: 'write', params: BY_QUERY },
  update_by_query: { name: 'update_by_query', access: 'write', params: BY_QUERY },
};

export function isAllowedParam(spec: EndpointSpec, name: string): boolean {
  return COMMON.includes(name) || spec.params.includes(name);
}
