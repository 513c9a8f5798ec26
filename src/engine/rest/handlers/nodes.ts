import { arch, availableParallelism, release, type as osType } from 'node:os';
import { EngineError } from '../../errors.ts';
import type { JsonObject } from '../../json.ts';
import { wildcardMatch } from '../../store/index-names.ts';
import type { EngineContext } from '../context.ts';
import { MAX_BODY_BYTES } from '../http-server.ts';
import type { RestRequest } from '../rest-request.ts';
import type { RestResponse, Router } from '../router.ts';
import { BUILD_HASH, BUILD_TYPE, ENGINE_VERSION } from './cluster.ts';

/** NodesInfoRequest.Metric in OpenSearch 2.x, in the order NodeInfo renders them. */
const METRICS = ['settings', 'os', 'process', 'jvm', 'thread_pool', 'transport', 'http', 'plugins', 'ingest', 'aggregations', 'indices', 'search_pipelines'];
const ROLES = ['cluster_manager', 'data', 'ingest', 'remote_cluster_client'];
const AGGREGATIONS = ['avg', 'cardinality', 'date_histogram', 'filter', 'filters', 'global', 'histogram', 'max', 'min', 'range', 'stats', 'sum', 'terms', 'top_hits', 'value_count'];
const started = Date.now();

/** Whether a node id expression (`_all`, `_local`, `_cluster_manager`, id, name, wildcards) selects the node. */
function selects(expr: string, ctx: EngineContext): boolean {
  if (['_all', '*', '_local', '_master', '_cluster_manager'].includes(expr)) return true;
  if (expr.includes(':')) {
    const [attr, value] = expr.split(':');
    return (ROLES.includes(attr) || attr === 'master') && value === 'true';
  }
  return wildcardMatch(expr, ctx.nodeId) || wildcardMatch(expr, ctx.nodeName);
}

/** RestNodesInfoAction.prepareRequest: `/_nodes/os,http` are metrics; `/_nodes/x` otherwise names nodes; unknown metrics are dropped. */
function parseRequest(req: RestRequest): { nodeIds: string[]; metrics: string[] } {
  const nodeParam = req.pathParams.nodeId;
  const metricsParam = req.pathParams.metrics;
  if (nodeParam !== undefined && metricsParam === undefined) {
    const parts = nodeParam.split(',').filter((s) => s !== '');
    if (parts.length > 0 && parts.every((p) => METRICS.includes(p))) return { nodeIds: ['_all'], metrics: parts };
    return { nodeIds: parts, metrics: METRICS };
  }
  const metrics = (metricsParam ?? '_all').split(',').filter((s) => s !== '');
  return { nodeIds: (nodeParam ?? '_all').split(',').filter((s) => s !== ''), metrics: metrics.includes('_all') ? METRICS : metrics.filter((m) => METRICS.includes(m)) };
}

function metricSection(metric: string, ctx: EngineContext, host: string, httpAddress: string): JsonObject | undefined {
  const cpus = availableParallelism();
  switch (metric) {
    case 'settings':
      return { cluster: { name: ctx.clusterName }, node: { name: ctx.nodeName }, http: { type: 'embedded' } };
    case 'os':
      return { refresh_interval_in_millis: 1000, name: osType(), pretty_name: osType(), arch: arch() === 'x64' ? 'amd64' : arch(), version: release(), available_processors: cpus, allocated_processors: cpus };
    case 'process':
      return { refresh_interval_in_millis: 1000, id: process.pid, mlockall: false };
    case 'jvm':
      return { pid: process.pid, version: process.versions.node, vm_name: 'node', vm_version: process.versions.v8, vm_vendor: 'Node.js', start_time_in_millis: started, mem: { heap_init_in_bytes: 0, heap_max_in_bytes: 0, non_heap_init_in_bytes: 0, non_heap_max_in_bytes: 0, direct_max_in_bytes: 0 }, gc_collectors: [], memory_pools: [], input_arguments: [] };
    case 'thread_pool': {
      const fixed = (size: number, queue: number): JsonObject => ({ type: 'fixed', size, queue_size: queue });
      return { search: fixed(Math.floor((cpus * 3) / 2) + 1, 1000), write: fixed(cpus, 10000), get: fixed(cpus, 1000), management: { type: 'scaling', core: 1, max: 5, keep_alive: '5m', queue_size: -1 } };
    }
    case 'transport':
      return { bound_address: [`${host}:9300`], publish_address: `${host}:9300`, profiles: {} };
    case 'http':
      return { bound_address: [httpAddress], publish_address: httpAddress, max_content_length_in_bytes: MAX_BODY_BYTES };
    case 'ingest':
      return { processors: [] };
    case 'aggregations':
      return Object.fromEntries(AGGREGATIONS.map((a) => [a, { types: ['other'] }]));
    case 'search_pipelines':
      return { request_processors: [], response_processors: [] };
    default:
      return undefined;
  }
}

/** NodeInfo as NodesInfoResponse renders it: identity, roles and attributes, then each requested metric. */
function nodeInfo(ctx: EngineContext, metrics: string[]): JsonObject {
  const httpAddress = ctx.httpAddress ?? '127.0.0.1:9200';
  const host = httpAddress.slice(0, httpAddress.lastIndexOf(':'));
  const node: JsonObject = {
    name: ctx.nodeName, transport_address: `${host}:9300`, host, ip: host, version: ENGINE_VERSION, build_type: BUILD_TYPE, build_hash: BUILD_HASH,
  };
  if (metrics.includes('indices')) node.total_indexing_buffer = 53687091;
  node.roles = ROLES;
  node.attributes = { shard_indexing_pressure_enabled: 'true' };
  for (const metric of METRICS) {
    if (!metrics.includes(metric)) continue;
    if (metric === 'plugins') {
      node.plugins = [];
      node.modules = [];
      continue;
    }
    const section = metricSection(metric, ctx, host, httpAddress);
    if (section !== undefined) node[metric] = section;
  }
  return node;
}

function nodesInfoHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const { nodeIds, metrics } = parseRequest(req);
  const selected = nodeIds.length === 0 || nodeIds.some((id) => selects(id, ctx));
  const nodes: JsonObject = selected ? { [ctx.nodeId]: nodeInfo(ctx, metrics) } : {};
  const n = selected ? 1 : 0;
  return { status: 200, body: { _nodes: { total: n, successful: n, failed: 0 }, cluster_name: ctx.clusterName, nodes } };
}

/** Node APIs the engine does not serve are refused, not answered as node ids by the info pattern below. */
function notServed(req: RestRequest): RestResponse {
  throw new EngineError(400, 'illegal_argument_exception', `no handler found for uri [${req.path}] and method [${req.method}]`);
}

export function registerNodeRoutes(r: Router): void {
  for (const api of ['stats', 'usage', 'hot_threads', 'reload_secure_settings']) {
    r.add(['GET', 'POST'], `/_nodes/${api}`, [], notServed);
    r.add(['GET', 'POST'], `/_nodes/{nodeId}/${api}`, [], notServed);
    r.add(['GET', 'POST'], `/_nodes/${api}/{metric}`, [], notServed);
  }
  const params = ['timeout', 'flat_settings'];
  r.add(['GET'], '/_nodes', params, nodesInfoHandler);
  r.add(['GET'], '/_nodes/{nodeId}', params, nodesInfoHandler);
  r.add(['GET'], '/_nodes/{nodeId}/{metrics}', params, nodesInfoHandler);
  r.add(['GET'], '/_nodes/{nodeId}/info/{metrics}', params, nodesInfoHandler);
}
