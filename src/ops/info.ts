import { isObject, type JsonObject } from '../core/json.ts';
import { jsonReply, textReply, type Reply } from '../http/reply.ts';
import { DEFAULT_CLUSTER, rewriteCountBody, type Target } from '../tenancy/index.ts';
import type { UpstreamCluster } from '../upstream/cluster.ts';
import type { OpContext } from './context.ts';
import { physicalPath } from './search-request.ts';
import { clusterById, clusterFor } from './targets.ts';
import { callUpstream, readUpstreamJson } from './upstream-call.ts';

function defaultCluster(ctx: OpContext): UpstreamCluster {
  return clusterById(ctx, DEFAULT_CLUSTER);
}

/** `GET /`: the upstream's version, osproxy's identity (no physical cluster or node names). */
export async function info(ctx: OpContext): Promise<Reply> {
  const res = await callUpstream(ctx, defaultCluster(ctx), { method: 'GET', path: '/' });
  const up = await readUpstreamJson(ctx, res);
  const version = isObject(up) && isObject(up.version) ? up.version : { number: 'unknown' };
  const body = { name: 'osproxy', cluster_name: 'osproxy', cluster_uuid: '_na_', version, tagline: 'The OpenSearch Project: https://opensearch.org/' };
  return jsonReply(200, body);
}

/** `GET /_cluster/health`: cluster-level status only (no index level, no foreign names). */
export async function clusterHealth(ctx: OpContext): Promise<Reply> {
  const query = new URLSearchParams();
  for (const k of ['wait_for_status', 'timeout', 'local']) {
    const v = ctx.query.get(k);
    if (v !== null) query.set(k, v);
  }
  const res = await callUpstream(ctx, defaultCluster(ctx), { method: 'GET', path: '/_cluster/health', query });
  const up = await readUpstreamJson(ctx, res);
  const src: JsonObject = isObject(up) ? up : {};
  const body: JsonObject = { cluster_name: 'osproxy' };
  for (const key of ['status', 'timed_out', 'number_of_nodes', 'number_of_data_nodes']) if (src[key] !== undefined) body[key] = src[key];
  return jsonReply(res.status, body);
}

async function countOf(ctx: OpContext, target: Target): Promise<number> {
  const body = rewriteCountBody({}, ctx.scope.searchScope([target]));
  const res = await callUpstream(ctx, clusterFor(ctx, target), {
    method: 'POST',
    path: physicalPath([target], '_count'),
    // Only the routing: the _cat parameters (`format`, `v`, `h`…) are not _count's and made it fail (count 0).
    query: target.routing === 'tenant' ? new URLSearchParams({ routing: ctx.scope.tenant }) : undefined,
    body: JSON.stringify(body),
    idempotent: true,
  });
  const answer = await readUpstreamJson(ctx, res);
  return res.status === 200 && isObject(answer) && typeof answer.count === 'number' ? answer.count : 0;
}

function catTable(ctx: OpContext, rows: Record<string, string>[], columns: string[]): Reply {
  const h = ctx.query.get('h')?.split(',').filter((c) => columns.includes(c));
  const cols = h !== undefined && h.length > 0 ? h : columns;
  if (ctx.query.get('format') === 'json') {
    return jsonReply(200, rows.map((r) => Object.fromEntries(cols.map((c) => [c, r[c] ?? null]))));
  }
  const table = ctx.query.has('v') ? [Object.fromEntries(cols.map((c) => [c, c])), ...rows] : rows;
  const widths = cols.map((c) => Math.max(...table.map((r) => (r[c] ?? '').length)));
  const text = table.map((r) => cols.map((c, i) => (r[c] ?? '').padEnd(widths[i])).join(' ').trimEnd() + '\n').join('');
  return textReply(200, text);
}

/** `GET /_cat/indices`: only the tenant's logical indexes, counted through the tenant filter. */
export async function catIndices(ctx: OpContext): Promise<Reply> {
  const { targets } = ctx.scope.indices();
  const rows: Record<string, string>[] = [];
  for (const t of targets) {
    rows.push({ health: 'green', status: 'open', index: t.lindex, 'docs.count': String(await countOf(ctx, t)), placement: t.placement });
  }
  return catTable(ctx, rows, ['health', 'status', 'index', 'docs.count', 'placement']);
}

/** `GET /_cat/count`: the tenant's document count. */
export async function catCount(ctx: OpContext): Promise<Reply> {
  const { targets } = ctx.scope.indices();
  let total = 0;
  for (const t of targets) total += await countOf(ctx, t);
  const now = Date.now();
  return catTable(ctx, [{ epoch: String(Math.floor(now / 1000)), timestamp: new Date(now).toISOString().slice(11, 19), count: String(total) }], ['epoch', 'timestamp', 'count']);
}
