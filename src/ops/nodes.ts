/**
 * `GET /_nodes[/{node_id}[/{metric}]]` (clients call it at start-up, sniffers to find nodes): a
 * synthesized minimal answer about osproxy itself — one node, named `osproxy`, at the address the
 * client connected to (so a sniffing client keeps talking to the proxy), with the upstream's
 * version. No real node name, id, address, setting or plugin of a cluster is shown. Metrics:
 * `settings` and `http`; others asked for are left out. `stats`, `usage`, `hot_threads` and
 * `reload_secure_settings` are not served.
 */
import { createHash } from 'node:crypto';
import { isObject, type JsonObject } from '../core/json.ts';
import { unsupportedEndpoint } from '../http/classify.ts';
import { jsonReply, type Reply } from '../http/reply.ts';
import { DEFAULT_CLUSTER } from '../tenancy/index.ts';
import type { OpContext } from './context.ts';
import { clusterById } from './targets.ts';
import { callUpstream, readUpstreamJson } from './upstream-call.ts';

/** NodesInfoRequest.Metric (OpenSearch 2.x): a first path part made only of these is metrics, not node ids. */
const METRICS = ['settings', 'os', 'process', 'jvm', 'thread_pool', 'transport', 'http', 'plugins', 'ingest', 'aggregations', 'indices', 'search_pipelines'];
const NOT_SERVED = new Set(['stats', 'usage', 'hot_threads', 'reload_secure_settings']);
const NODE_NAME = 'osproxy';
const NODE_ID = createHash('sha256').update('osproxy node').digest('base64url').slice(0, 22);

function parse(id: string | undefined, metric: string | undefined): { nodeIds: string[]; metrics: string[] } {
  const list = (v: string | undefined): string[] => (v ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (id !== undefined && metric === undefined) {
    const parts = list(id);
    if (parts.length > 0 && parts.every((p) => METRICS.includes(p))) return { nodeIds: ['_all'], metrics: parts };
    return { nodeIds: parts, metrics: METRICS };
  }
  const metrics = list(metric ?? '_all');
  return { nodeIds: id === undefined ? ['_all'] : list(id), metrics: metrics.includes('_all') ? METRICS : metrics };
}

function selects(expr: string): boolean {
  if (['_all', '*', '_local', '_master', '_cluster_manager'].includes(expr)) return true;
  const re = new RegExp('^' + expr.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return re.test(NODE_ID) || re.test(NODE_NAME);
}

export async function nodesInfo(ctx: OpContext): Promise<Reply> {
  const { id, metric } = ctx.endpoint;
  if ((id !== undefined && NOT_SERVED.has(id)) || (metric !== undefined && NOT_SERVED.has(metric))) throw unsupportedEndpoint(ctx.method, new URL(ctx.req.url ?? '/', 'http://x').pathname);
  const { nodeIds, metrics } = parse(id, metric);
  if (!nodeIds.some(selects)) return jsonReply(200, { _nodes: { total: 0, successful: 0, failed: 0 }, cluster_name: 'osproxy', nodes: {} });
  const res = await callUpstream(ctx, clusterById(ctx, DEFAULT_CLUSTER), { method: 'GET', path: '/' });
  const up = await readUpstreamJson(ctx, res);
  const version = isObject(up) && isObject(up.version) ? up.version : {};
  const socket = ctx.req.socket;
  const host = socket.localAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
  const address = `${host.includes(':') ? `[${host}]` : host}:${socket.localPort ?? 9200}`;
  const node: JsonObject = {
    name: NODE_NAME,
    transport_address: address,
    host,
    ip: host,
    version: typeof version.number === 'string' ? version.number : 'unknown',
    ...(typeof version.build_type === 'string' ? { build_type: version.build_type } : {}),
    ...(typeof version.build_hash === 'string' ? { build_hash: version.build_hash } : {}),
    roles: ['data', 'ingest'],
    attributes: {},
  };
  if (metrics.includes('settings')) node.settings = { cluster: { name: 'osproxy' }, node: { name: NODE_NAME } };
  if (metrics.includes('http')) node.http = { bound_address: [address], publish_address: address, max_content_length_in_bytes: ctx.services.config.limits.max_body_bytes };
  return jsonReply(200, { _nodes: { total: 1, successful: 1, failed: 0 }, cluster_name: 'osproxy', nodes: { [NODE_ID]: node } });
}
