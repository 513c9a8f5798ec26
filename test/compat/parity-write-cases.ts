/** Parameter parity cases of the write and index-lifecycle endpoints (see test/helpers/parity.ts). */
import type { EndpointCases } from '../helpers/parity.ts';

const EXPANSION_ON = (suffix: string, concrete: string): EndpointCases['params'] => ({
  allow_no_indices: { value: 'false', req: { path: `/nope*${suffix}` } },
  ignore_unavailable: { value: 'true', req: { path: `/${concrete},missing${suffix}` } },
  expand_wildcards: { value: 'open', req: { path: `/${concrete.slice(0, 3)}*${suffix}` } },
});

const WRITE = (at: string): EndpointCases['params'] => ({
  refresh: 'true', timeout: '5s', routing: 'r1',
  version: { value: '5', req: { path: `${at}?version_type=external` } },
  version_type: { value: 'external', req: { path: `${at}?version=7` } },
  if_seq_no: { value: '0', req: { path: `${at}?if_primary_term=1` } },
  if_primary_term: { value: '1', req: { path: `${at}?if_seq_no=0` } },
  op_type: 'create', wait_for_active_shards: '1',
});

const QS_ON = (path: string): EndpointCases['params'] => ({
  q: 'tag:nomatch',
  df: { value: 'tag', req: { path: `${path}?q=nomatch`, body: undefined } },
  default_operator: { value: 'AND', req: { path: `${path}?q=title:(nomatch other)`, body: undefined } },
  analyzer: { value: 'keyword', req: { path: `${path}?q=title:nomatch`, body: undefined } },
  lenient: { value: 'true', req: { path: `${path}?q=n:abc`, body: undefined } },
});

const BY_QUERY = (kind: string): EndpointCases['params'] => ({
  ...QS_ON(`/orders/${kind}`),
  q: { value: 'tag:nomatch', req: { body: undefined } },
  conflicts: 'proceed', refresh: 'true', max_docs: '1', scroll_size: '10', timeout: '5s', wait_for_completion: 'true',
  requests_per_second: '-1', slices: '1',
  ...EXPANSION_ON(`/${kind}`, 'orders'),
});

export const WRITE_CASES: EndpointCases[] = [
  { endpoint: 'doc_index', base: { method: 'PUT', path: '/orders/_doc/i{n}', body: { n: 100, tag: 'w' } }, filterPath: 'result', params: WRITE('/orders/_doc/i{n}') },
  { endpoint: 'doc_create', base: { method: 'PUT', path: '/orders/_create/c{n}', body: { n: 100, tag: 'w' } }, filterPath: 'result', params: WRITE('/orders/_create/c{n}') },
  {
    endpoint: 'doc_delete', base: { method: 'DELETE', path: '/orders/_doc/x{n}' }, filterPath: 'result',
    pre: [{ method: 'PUT', path: '/orders/_doc/x{n}', body: { n: 1 } }],
    params: WRITE('/orders/_doc/x{n}'),
  },
  {
    endpoint: 'doc_update', base: { method: 'POST', path: '/orders/_update/u{n}', body: { doc: { n: 7 } } }, filterPath: 'result',
    pre: [{ method: 'PUT', path: '/orders/_doc/u{n}', body: { n: 1, title: 'x' } }],
    params: {
      refresh: 'true', timeout: '5s', routing: 'r1', retry_on_conflict: '2',
      if_seq_no: { value: '0', req: { path: '/orders/_update/u{n}?if_primary_term=1' } },
      if_primary_term: { value: '1', req: { path: '/orders/_update/u{n}?if_seq_no=0' } },
      wait_for_active_shards: '1', _source: 'true', _source_includes: 'n', _source_excludes: 'title',
    },
  },
  {
    endpoint: 'bulk', base: { method: 'POST', path: '/_bulk', body: [{ index: { _index: 'orders', _id: 'b{n}' } }, { n: 100 }, { delete: { _index: 'orders', _id: 'nothing' } }], ndjson: true },
    filterPath: 'items.index.result', params: { refresh: 'true', timeout: '5s', wait_for_active_shards: '1' },
  },
  { endpoint: 'delete_by_query', base: { method: 'POST', path: '/orders/_delete_by_query', body: { query: { term: { tag: 'nomatch' } } } }, filterPath: 'deleted', params: BY_QUERY('_delete_by_query') },
  { endpoint: 'update_by_query', base: { method: 'POST', path: '/orders/_update_by_query', body: { query: { term: { tag: 'nomatch' } } } }, filterPath: 'updated', params: BY_QUERY('_update_by_query') },
  {
    endpoint: 'mapping_put', base: { method: 'PUT', path: '/orders/_mapping', body: { properties: { 'f{n}': { type: 'keyword' } } } }, filterPath: 'acknowledged',
    params: { timeout: '5s', master_timeout: '5s', cluster_manager_timeout: '5s', write_index_only: 'true', ...EXPANSION_ON('/_mapping', 'orders') },
  },
  {
    endpoint: 'index_create', base: { method: 'PUT', path: '/ix{n}', body: { settings: { number_of_shards: 1 } } }, filterPath: 'acknowledged',
    params: { timeout: '5s', master_timeout: '5s', cluster_manager_timeout: '5s', wait_for_active_shards: '1' },
  },
  {
    endpoint: 'index_delete', base: { method: 'DELETE', path: '/dx{n}' }, filterPath: 'acknowledged',
    pre: [{ method: 'PUT', path: '/dx{n}', body: { settings: { number_of_shards: 1 } } }],
    params: {
      timeout: '5s', master_timeout: '5s', cluster_manager_timeout: '5s',
      allow_no_indices: { value: 'false', req: { path: '/dx{n},nope*' } },
      ignore_unavailable: { value: 'true', req: { path: '/dx{n},missing' } },
      expand_wildcards: { value: 'open', req: { path: '/dx{n}*' } },
    },
  },
];
