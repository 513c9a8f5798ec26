import { ProxyError } from './errors.ts';
import { ENDPOINTS, type EndpointName, type EndpointSpec } from './endpoints.ts';

/** A classified tenant request: which endpoint, and the path's index expression and id. */
export interface Classified {
  spec: EndpointSpec;
  /** The index expression as the tenant wrote it (`orders`, `a,b`, `logs-*`), if the path has one. */
  index?: string;
  id?: string;
}

interface Rule {
  methods: readonly string[];
  segments: readonly string[];
  endpoint: EndpointName;
}

const rules: Rule[] = [];
function on(methods: string[], pattern: string, endpoint: EndpointName): void {
  rules.push({ methods, segments: pattern.split('/').filter((s) => s !== ''), endpoint });
}

on(['GET', 'HEAD'], '/', 'info');
// Cursor paths are literal `_search/...` routes: matched before any `/{index}/...` rule.
on(['GET', 'POST'], '/_search/scroll', 'scroll');
on(['GET', 'POST'], '/_search/scroll/{id}', 'scroll');
on(['DELETE'], '/_search/scroll', 'clear_scroll');
on(['DELETE'], '/_search/scroll/{id}', 'clear_scroll');
on(['DELETE'], '/_search/point_in_time', 'pit_delete');
on(['DELETE'], '/_search/point_in_time/{id}', 'pit_delete');
on(['POST'], '/{index}/_search/point_in_time', 'pit_create');
on(['GET'], '/_cluster/health', 'cluster_health');
on(['GET', 'POST'], '/_search', 'search');
on(['GET', 'POST'], '/_count', 'count');
on(['GET', 'POST'], '/_refresh', 'refresh');
on(['GET'], '/_cat/indices', 'cat_indices');
on(['GET'], '/_cat/indices/{index}', 'cat_indices');
on(['GET'], '/_cat/count', 'cat_count');
on(['GET'], '/_cat/count/{index}', 'cat_count');
on(['GET'], '/_mapping', 'mapping_get');
on(['POST', 'PUT'], '/_bulk', 'bulk');
on(['GET', 'POST'], '/_mget', 'mget');
on(['POST', 'PUT'], '/{index}/_bulk', 'bulk');
on(['GET', 'POST'], '/{index}/_mget', 'mget');
on(['GET', 'POST'], '/_msearch', 'msearch');
on(['GET', 'POST'], '/{index}/_msearch', 'msearch');
on(['POST'], '/{index}/_delete_by_query', 'delete_by_query');
on(['POST'], '/{index}/_update_by_query', 'update_by_query');
on(['PUT', 'POST'], '/{index}/_doc/{id}', 'doc_index');
on(['POST'], '/{index}/_doc', 'doc_index');
on(['PUT', 'POST'], '/{index}/_create/{id}', 'doc_create');
on(['GET', 'HEAD'], '/{index}/_doc/{id}', 'doc_get');
on(['GET', 'HEAD'], '/{index}/_source/{id}', 'doc_source');
on(['DELETE'], '/{index}/_doc/{id}', 'doc_delete');
on(['POST'], '/{index}/_update/{id}', 'doc_update');
on(['GET', 'POST'], '/{index}/_search', 'search');
on(['GET', 'POST'], '/{index}/_count', 'count');
on(['GET'], '/{index}/_mapping', 'mapping_get');
on(['PUT', 'POST'], '/{index}/_mapping', 'mapping_put');
on(['GET', 'POST'], '/{index}/_refresh', 'refresh');
on(['PUT'], '/{index}', 'index_create');
on(['GET'], '/{index}', 'index_get');
on(['HEAD'], '/{index}', 'index_exists');
on(['DELETE'], '/{index}', 'index_delete');

function decode(seg: string): string | undefined {
  try {
    return decodeURIComponent(seg);
  } catch {
    return undefined;
  }
}

function matchRule(rule: Rule, segs: string[]): { index?: string; id?: string } | undefined {
  if (rule.segments.length !== segs.length) return undefined;
  const out: { index?: string; id?: string } = {};
  for (let i = 0; i < segs.length; i++) {
    const p = rule.segments[i];
    if (p === '{index}' || p === '{id}') {
      const value = decode(segs[i]);
      if (value === undefined || value === '') return undefined;
      if (p === '{index}' && value.startsWith('_') && value !== '_all') return undefined;
      out[p === '{index}' ? 'index' : 'id'] = value;
    } else if (p !== segs[i]) return undefined;
  }
  return out;
}

/** A plain API word (`stats`, `settings`) after a `_`-segment: shown as is, like the `_` segments. */
const API_WORD = /^[a-z_]{1,32}$/;

/** Names the endpoint a client asked for, for the "unsupported" message (never echoes ids). */
function describe(method: string, segs: string[]): string {
  const api = segs.length > 0 && segs[0].startsWith('_');
  const shape = segs.map((s, i) => (s.startsWith('_') || (api && API_WORD.test(s)) ? s : i === 0 ? '{index}' : '{id}'));
  return `${method} /${shape.join('/')}`;
}

/** Classifies a tenant request, or answers 400 `unsupported_endpoint` naming what was asked for. */
export function classify(method: string, pathname: string): Classified {
  const segs = pathname.split('/').filter((s) => s !== '');
  if (segs.some((s) => decode(s) === undefined)) {
    throw new ProxyError(400, 'illegal_argument_exception', 'invalid_path', 'the request path is not valid percent-encoded UTF-8');
  }
  for (const rule of rules) {
    if (!rule.methods.includes(method)) continue;
    const m = matchRule(rule, segs);
    if (m !== undefined) return { spec: ENDPOINTS[rule.endpoint], ...m };
  }
  throw new ProxyError(400, 'illegal_argument_exception', 'unsupported_endpoint', `osproxy does not serve the endpoint [${describe(method, segs)}] for tenants`);
}
