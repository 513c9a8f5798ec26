import { isObject, type JsonObject } from '../core/json.ts';
import { jsonReply, type Reply } from '../http/reply.ts';
import { DEFAULT_CLUSTER } from '../tenancy/index.ts';
import type { UpstreamCluster } from '../upstream/cluster.ts';
import type { OpContext } from './context.ts';
import { clusterById } from './targets.ts';
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
