/** Parameter parity cases of the read endpoints (see test/helpers/parity.ts). */
import assert from 'node:assert/strict';
import type { Comparator, EndpointCases, Req } from '../helpers/parity.ts';
import { asOpenSearch, normalize, sameAnswer } from '../helpers/parity.ts';

const SORTED = { query: { match_all: {} }, sort: [{ n: 'asc' }] };
const searchAt = (path: string): { req: Partial<Req> } => ({ req: { path } });

/** Only what osproxy synthesizes from the upstream is compared (the rest is another tenant's business). */
const picked = (keys: string[]): Comparator => (direct, proxy, label) => {
  assert.equal(proxy.status, direct.status, label);
  const pick = (b: unknown): unknown => (typeof b === 'object' && b !== null && !('error' in b) ? Object.fromEntries(keys.filter((k) => k in b).map((k) => [k, (b as Record<string, unknown>)[k]])) : normalize(b));
  assert.deepEqual(pick(proxy.body), pick(direct.body), label);
};

/** `_settings` / `GET /{index}`: every setting osproxy shows is the tenant's own index's. */
const settingsSubset: Comparator = (direct, proxy, label) => {
  assert.equal(proxy.status, direct.status, `${label}: ${proxy.text}`);
  const flat = (v: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) out[prefix] = v;
    else for (const [k, x] of Object.entries(v)) flat(x, prefix === '' ? k : `${prefix}.${k}`, out);
    return out;
  };
  const d = flat(normalize(direct.body));
  const p = flat(normalize(proxy.body));
  assert.ok(Object.keys(p).length > 0 || Object.keys(d).length === 0, label);
  for (const [k, v] of Object.entries(p)) assert.deepEqual(v, d[k], `${label}: ${k}`);
};

const scrollVar: EndpointCases['vars'] = async (send) => {
  const res = await send({ method: 'POST', path: '/orders/_search?scroll=1m', body: { size: 2, ...SORTED } });
  return { scroll_id: res.body._scroll_id as string };
};

const pitVar: EndpointCases['vars'] = async (send) => {
  const res = await send({ method: 'POST', path: '/orders/_search/point_in_time?keep_alive=1m' });
  return { pit_id: res.body.pit_id as string };
};

const QS = { q: 'tag:a' };

export const READ_CASES: EndpointCases[] = [
  {
    endpoint: 'info', base: { method: 'GET', path: '/' }, filterPath: 'version.number', params: {},
    compare: picked(['version', 'tagline']),
  },
  {
    endpoint: 'cluster_health', base: { method: 'GET', path: '/_cluster/health' }, filterPath: 'status',
    params: { wait_for_status: 'yellow', timeout: '1s', level: 'cluster', local: 'true' },
    compare: picked(['status', 'timed_out', 'number_of_nodes', 'number_of_data_nodes']),
  },
  {
    endpoint: 'search', base: { method: 'POST', path: '/orders/_search', body: SORTED }, filterPath: 'hits.total',
    params: {
      q: { value: 'tag:a', req: { body: { sort: [{ n: 'asc' }] } } },
      df: { value: 'tag', req: { path: '/orders/_search?q=a', body: { sort: [{ n: 'asc' }] } } },
      default_operator: { value: 'AND', req: { path: '/orders/_search?q=title:(x y)', body: { sort: [{ n: 'asc' }] } } },
      analyzer: { value: 'keyword', req: { path: '/orders/_search?q=title:x', body: { sort: [{ n: 'asc' }] } } },
      lenient: { value: 'true', req: { path: '/orders/_search?q=n:abc', body: { sort: [{ n: 'asc' }] } } },
      _source: 'false', _source_includes: 'tag', _source_excludes: 'title', from: '1', size: '2',
      sort: { value: 'n:desc', req: { body: {} } },
      track_total_hits: '2', rest_total_hits_as_int: 'true',
      typed_keys: { value: 'true', req: { body: { size: 0, aggs: { tags: { terms: { field: 'tag' } }, top: { top_hits: { size: 1, sort: [{ n: 'asc' }] } } } } } },
      preference: '_local', routing: 'r1', timeout: '5s', stored_fields: '_none_', docvalue_fields: 'n', version: 'true',
      seq_no_primary_term: 'true', track_scores: 'true',
      allow_no_indices: { value: 'false', ...searchAt('/nope*/_search') },
      ignore_unavailable: { value: 'true', ...searchAt('/orders,missing/_search') },
      expand_wildcards: { value: 'open', ...searchAt('/ord*/_search') },
      search_type: 'dfs_query_then_fetch', request_cache: 'true', allow_partial_search_results: 'false', terminate_after: '2', scroll: '1m',
    },
  },
  {
    endpoint: 'count', base: { method: 'POST', path: '/orders/_count', body: {} }, filterPath: 'count',
    params: {
      ...QS,
      df: { value: 'tag', req: { path: '/orders/_count?q=a' } },
      default_operator: { value: 'AND', req: { path: '/orders/_count?q=title:(x y)' } },
      analyzer: { value: 'keyword', req: { path: '/orders/_count?q=title:x' } },
      lenient: { value: 'true', req: { path: '/orders/_count?q=n:abc' } },
      routing: 'r1', preference: '_local',
      allow_no_indices: { value: 'false', req: { path: '/nope*/_count' } },
      ignore_unavailable: { value: 'true', req: { path: '/orders,missing/_count' } },
      expand_wildcards: { value: 'open', req: { path: '/ord*/_count' } },
      min_score: { value: '0.1', req: { path: '/orders/_count?q=title:y' } },
      terminate_after: '1',
    },
  },
  {
    endpoint: 'scroll', base: { method: 'POST', path: '/_search/scroll', body: { scroll: '1m', scroll_id: '{scroll_id}' } }, filterPath: 'hits.hits._id',
    vars: scrollVar,
    params: {
      scroll: { value: '1m', req: { body: { scroll_id: '{scroll_id}' } } },
      scroll_id: { value: '{scroll_id}', req: { body: undefined } },
      rest_total_hits_as_int: 'true',
    },
  },
  {
    endpoint: 'clear_scroll', base: { method: 'DELETE', path: '/_search/scroll', body: { scroll_id: ['{scroll_id}'] } }, filterPath: 'succeeded',
    vars: scrollVar,
    params: {
      // RestClearScrollAction reads request.param("scroll_id"): a query parameter works too (the engine refuses it).
      scroll_id: {
        value: '{scroll_id}', req: { body: undefined },
        compare: asOpenSearch((p) => assert.deepEqual([p.status, p.body], [200, { succeeded: true, num_freed: 1 }], p.text)),
      },
    },
  },
  {
    endpoint: 'pit_create', base: { method: 'POST', path: '/orders/_search/point_in_time?keep_alive=1m' }, filterPath: 'pit_id',
    params: {
      keep_alive: '2m', preference: '_local', allow_partial_pit_creation: 'true', routing: 'r1',
      // RestCreatePitAction reads IndicesOptions.fromRequest (the engine refuses these two).
      allow_no_indices: {
        value: 'false', req: { path: '/nope*/_search/point_in_time?keep_alive=1m' },
        compare: asOpenSearch((p) => assert.deepEqual([p.status, (p.body.error as { reason: string }).reason], [404, 'no such index [nope*]'], p.text)),
      },
      ignore_unavailable: {
        value: 'true', req: { path: '/orders,missing/_search/point_in_time?keep_alive=1m' },
        compare: asOpenSearch((p) => assert.ok(p.status === 200 && typeof p.body.pit_id === 'string', p.text)),
      },
      expand_wildcards: { value: 'open', req: { path: '/ord*/_search/point_in_time?keep_alive=1m' } },
    },
  },
  { endpoint: 'pit_delete', base: { method: 'DELETE', path: '/_search/point_in_time', body: { pit_id: ['{pit_id}'] } }, filterPath: 'pits.successful', vars: pitVar, params: {} },
  {
    endpoint: 'pit_list', base: { method: 'GET', path: '/_search/point_in_time/_all' }, filterPath: 'pits.keep_alive', params: {},
    // The same open PITs on both sides: none but one of each.
    vars: async (send) => {
      await send({ method: 'DELETE', path: '/_search/point_in_time/_all' });
      await send({ method: 'POST', path: '/orders/_search/point_in_time?keep_alive=3m' });
      return {};
    },
  },
  {
    endpoint: 'nodes_info', base: { method: 'GET', path: '/_nodes' }, filterPath: '_nodes.total', params: { timeout: '5s', flat_settings: 'true' },
    compare: picked(['_nodes']),
  },
  { endpoint: 'resolve_index', base: { method: 'GET', path: '/_resolve/index/*' }, filterPath: 'indices.name', params: { expand_wildcards: 'open' } },
  {
    endpoint: 'settings_get', base: { method: 'GET', path: '/orders/_settings' }, filterPath: '*.settings.index.number_of_shards', compare: settingsSubset,
    params: {
      allow_no_indices: { value: 'false', req: { path: '/nope*/_settings' } },
      ignore_unavailable: { value: 'true', req: { path: '/orders,missing/_settings' } },
      expand_wildcards: { value: 'open', req: { path: '/ord*/_settings' } },
      flat_settings: 'true', local: 'true', master_timeout: '5s', cluster_manager_timeout: '5s',
    },
  },
  {
    endpoint: 'field_caps', base: { method: 'GET', path: '/orders/_field_caps?fields=*' }, filterPath: 'fields.n',
    params: {
      fields: { value: 'n,t*', req: { path: '/orders,items/_field_caps' } },
      include_unmapped: { value: 'true', req: { path: '/orders,items/_field_caps?fields=*' } },
      allow_no_indices: { value: 'false', req: { path: '/nope*/_field_caps?fields=*' } },
      ignore_unavailable: { value: 'true', req: { path: '/orders,missing/_field_caps?fields=*' } },
      expand_wildcards: { value: 'open', req: { path: '/ord*/_field_caps?fields=*' } },
    },
  },
  {
    endpoint: 'alias_get', base: { method: 'GET', path: '/orders/_alias' }, filterPath: 'orders',
    params: {
      allow_no_indices: { value: 'false', req: { path: '/nope*/_alias' } },
      ignore_unavailable: { value: 'true', req: { path: '/orders,missing/_alias' } },
      expand_wildcards: { value: 'open', req: { path: '/ord*/_alias' } },
      local: 'true',
    },
  },
  {
    endpoint: 'cat_indices', base: { method: 'GET', path: '/_cat/indices/orders,items' }, filterPath: 'index',
    params: {
      format: 'json', h: 'index,docs.count,health,creation.date.string', v: 'true', s: 'index:desc',
      bytes: { value: 'b', req: { path: '/_cat/indices/orders,items?h=index,store.size,pri.store.size' } },
      health: 'yellow',
      pri: { value: 'true', req: { path: '/_cat/indices/orders?h=index,store.size' } },
      help: 'true',
      expand_wildcards: { value: 'open', req: { path: '/_cat/indices/ord*' } },
    },
    compare: (d, p, label) => {
      // creation.date.string differs (each side created its index at its own time).
      const strip = (t: string): string => t.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<date>');
      sameAnswer({ ...d, text: strip(d.text), body: typeof d.body === 'string' ? strip(d.body) : JSON.parse(strip(JSON.stringify(d.body))) }, { ...p, text: strip(p.text), body: typeof p.body === 'string' ? strip(p.body) : JSON.parse(strip(JSON.stringify(p.body))) }, label);
    },
  },
  {
    endpoint: 'cat_count', base: { method: 'GET', path: '/_cat/count/orders' }, filterPath: 'count',
    params: { format: 'json', h: 'count', v: 'true', s: 'count', help: 'true' },
    compare: (d, p, label) => {
      const strip = (b: unknown): unknown => (Array.isArray(b) ? b.map((r: Record<string, unknown>) => ({ ...r, epoch: 'e', timestamp: 't' })) : b);
      sameAnswer({ ...d, body: strip(d.body) }, { ...p, body: strip(p.body) }, label);
    },
  },
  {
    endpoint: 'mapping_get', base: { method: 'GET', path: '/orders/_mapping' }, filterPath: 'orders.mappings.properties.n',
    params: {
      allow_no_indices: { value: 'false', req: { path: '/nope*/_mapping' } },
      ignore_unavailable: { value: 'true', req: { path: '/orders,missing/_mapping' } },
      expand_wildcards: { value: 'open', req: { path: '/ord*/_mapping' } },
      local: 'true', master_timeout: '5s', cluster_manager_timeout: '5s',
    },
  },
  {
    endpoint: 'mget', base: { method: 'POST', path: '/orders/_mget', body: { ids: ['1', '2', 'missing'] } }, filterPath: 'docs._id',
    params: { preference: '_local', realtime: 'false', refresh: 'true' },
  },
  {
    endpoint: 'msearch', base: { method: 'POST', path: '/_msearch', body: [{ index: 'orders' }, SORTED, { index: 'items' }, { query: { match_all: {} } }], ndjson: true },
    filterPath: 'responses.hits.total',
    params: { max_concurrent_searches: '1', rest_total_hits_as_int: 'true', typed_keys: 'true', search_type: 'query_then_fetch', pre_filter_shard_size: '1', ccs_minimize_roundtrips: 'false' },
  },
  {
    endpoint: 'doc_get', base: { method: 'GET', path: '/orders/_doc/1' }, filterPath: '_source.n',
    params: {
      routing: 'r1', preference: '_local', realtime: 'false', refresh: 'true', stored_fields: 'n', version: '1', version_type: { value: 'external', req: { path: '/orders/_doc/1?version=1' } },
      _source: 'false', _source_includes: 'n', _source_excludes: 'title',
    },
  },
  {
    endpoint: 'doc_source', base: { method: 'GET', path: '/orders/_source/1' }, filterPath: 'n',
    params: {
      routing: 'r1', preference: '_local', realtime: 'false', refresh: 'true', version: '1', version_type: { value: 'external', req: { path: '/orders/_source/1?version=1' } },
      // RestGetSourceAction refuses it (the engine returns the source anyway).
      _source: {
        value: 'false',
        compare: asOpenSearch((p) => assert.deepEqual([p.status, (p.body.error as { type: string; reason: string }).reason], [400, 'Validation Failed: 1: fetching source can not be disabled;'], p.text)),
      },
      _source_includes: 'n', _source_excludes: 'title',
    },
  },
  {
    endpoint: 'index_get', base: { method: 'GET', path: '/orders' }, filterPath: 'orders.mappings', compare: settingsSubset,
    params: {
      allow_no_indices: { value: 'false', req: { path: '/nope*' } },
      ignore_unavailable: { value: 'true', req: { path: '/orders,missing' } },
      expand_wildcards: { value: 'open', req: { path: '/ord*' } },
      flat_settings: 'true', include_defaults: 'true', local: 'true', master_timeout: '5s', cluster_manager_timeout: '5s',
    },
  },
  {
    endpoint: 'index_exists', base: { method: 'HEAD', path: '/orders' }, filterPath: 'orders',
    params: {
      allow_no_indices: { value: 'false', req: { path: '/nope*' } },
      ignore_unavailable: { value: 'true', req: { path: '/orders,missing' } },
      expand_wildcards: { value: 'open', req: { path: '/ord*' } },
      flat_settings: 'true', include_defaults: 'true', local: 'true', master_timeout: '5s', cluster_manager_timeout: '5s',
    },
  },
  {
    endpoint: 'refresh', base: { method: 'POST', path: '/orders/_refresh' }, filterPath: '_shards.total',
    params: {
      allow_no_indices: { value: 'false', req: { path: '/nope*/_refresh' } },
      ignore_unavailable: { value: 'true', req: { path: '/orders,missing/_refresh' } },
      expand_wildcards: { value: 'open', req: { path: '/ord*/_refresh' } },
    },
  },
];
