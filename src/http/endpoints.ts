/** Every endpoint family osproxy serves for tenants (SPEC §4.3). */
export type EndpointName =
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
  | 'mget';

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
  'allow_partial_search_results', 'terminate_after',
];

export interface EndpointSpec {
  name: EndpointName;
  access: Access;
  /** URL parameters allowed besides the common ones (SPEC §4.3 allowlists). */
  params: readonly string[];
}

export const ENDPOINTS: Record<EndpointName, EndpointSpec> = {
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
};

export function isAllowedParam(spec: EndpointSpec, name: string): boolean {
  return COMMON.includes(name) || spec.params.includes(name);
}
