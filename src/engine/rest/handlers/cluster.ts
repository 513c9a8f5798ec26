import type { JsonObject } from '../../json.ts';
import type { IndexState } from '../../store/index-state.ts';
import type { EngineContext } from '../context.ts';
import type { RestRequest } from '../rest-request.ts';
import type { RestResponse, Router } from '../router.ts';

export const ENGINE_VERSION = '2.17.0';
export const BUILD_TYPE = 'embedded';
export const BUILD_HASH = 'osproxy-embedded-engine';

function rootHandler(_req: RestRequest, ctx: EngineContext): RestResponse {
  return {
    status: 200,
    body: {
      name: ctx.nodeName,
      cluster_name: ctx.clusterName,
      cluster_uuid: ctx.clusterUuid,
      version: {
        distribution: 'opensearch',
        number: ENGINE_VERSION,
        build_type: BUILD_TYPE,
        build_hash: BUILD_HASH,
        build_date: '2026-01-01T00:00:00.000000Z',
        build_snapshot: false,
        lucene_version: '9.11.1',
        minimum_wire_compatibility_version: '7.10.0',
        minimum_index_compatibility_version: '7.0.0',
      },
      tagline: 'The OpenSearch Project: https://opensearch.org/',
    },
  };
}

/** A single node holds every primary; replicas stay unassigned, which makes an index with replicas yellow. */
export function indexHealth(idx: IndexState): 'green' | 'yellow' {
  return idx.settings.numberOfReplicas > 0 ? 'yellow' : 'green';
}

function healthHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const targets = req.pathParams.index === undefined ? [...ctx.state.indices.values()] : ctx.state.resolve(req.pathParams.index);
  const primaries = targets.reduce((n, i) => n + i.shards.length, 0);
  const unassigned = targets.reduce((n, i) => n + i.shards.length * i.settings.numberOfReplicas, 0);
  const status = targets.some((i) => indexHealth(i) === 'yellow') ? 'yellow' : 'green';
  const want = req.str('wait_for_status');
  const timedOut = want === 'green' && status !== 'green';
  const body: JsonObject = {
    cluster_name: ctx.clusterName,
    status,
    timed_out: timedOut,
    number_of_nodes: 1,
    number_of_data_nodes: 1,
    discovered_master: true,
    discovered_cluster_manager: true,
    active_primary_shards: primaries,
    active_shards: primaries,
    relocating_shards: 0,
    initializing_shards: 0,
    unassigned_shards: unassigned,
    delayed_unassigned_shards: 0,
    number_of_pending_tasks: 0,
    number_of_in_flight_fetch: 0,
    task_max_waiting_in_queue_millis: 0,
    active_shards_percent_as_number: primaries + unassigned === 0 ? 100.0 : (100 * primaries) / (primaries + unassigned),
  };
  return { status: timedOut ? 408 : 200, body };
}

export function registerClusterRoutes(r: Router): void {
  r.add(['GET', 'HEAD'], '/', [], rootHandler);
  const healthParams = ['wait_for_status', 'timeout', 'level', 'local', 'master_timeout', 'cluster_manager_timeout', 'wait_for_active_shards', 'wait_for_nodes', 'wait_for_events', 'wait_for_no_relocating_shards', 'wait_for_no_initializing_shards', 'expand_wildcards', 'awareness_attribute'];
  r.add(['GET'], '/_cluster/health', healthParams, healthHandler);
  r.add(['GET'], '/_cluster/health/{index}', healthParams, healthHandler);
}
