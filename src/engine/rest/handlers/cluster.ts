import { EngineError } from '../../errors.ts';
import type { Json, JsonObject } from '../../json.ts';
import type { IndexState } from '../../store/index-state.ts';
import type { EngineContext } from '../context.ts';
import type { RestRequest } from '../rest-request.ts';
import type { RestResponse, Router } from '../router.ts';

export const ENGINE_VERSION = '2.17.0';
const CAT_PARAMS = ['format', 'h', 'v', 'help', 's', 'bytes', 'time', 'local', 'master_timeout', 'cluster_manager_timeout', 'health', 'pri', 'expand_wildcards', 'include_unloaded_segments'];

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
        build_type: 'embedded',
        build_hash: 'osproxy-embedded-engine',
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

function indexHealth(idx: IndexState): 'green' | 'yellow' {
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

function storeSize(idx: IndexState): number {
  let bytes = 0;
  for (const s of idx.shards) for (const r of s.allRecords()) bytes += 64 + JSON.stringify(r.source).length;
  return bytes;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n}b`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)}kb`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)}mb`;
  return `${(n / 1024 ** 3).toFixed(1)}gb`;
}

/** Renders a _cat table: JSON rows with format=json, else aligned text (header with v). */
function catTable(req: RestRequest, rows: Record<string, string>[], columns: string[]): RestResponse {
  const h = req.list('h');
  const cols = h === undefined ? columns : h.filter((c) => columns.includes(c));
  const format = req.str('format');
  if (format === 'json') return { status: 200, body: rows.map((r) => Object.fromEntries(cols.map((c) => [c, r[c] ?? null])) as Record<string, Json>) };
  if (format !== undefined && format !== 'txt' && format !== 'text') throw new EngineError(400, 'illegal_argument_exception', `Unsupported format [${format}]`);
  const table = req.bool('v') ? [Object.fromEntries(cols.map((c) => [c, c])), ...rows] : rows;
  const widths = cols.map((c) => Math.max(...table.map((r) => (r[c] ?? '').length), 0));
  const text = table.map((r) => cols.map((c, i) => (r[c] ?? '').padEnd(widths[i])).join(' ').trimEnd() + '\n').join('');
  return { status: 200, body: text };
}

function sortRows(rows: Record<string, string>[], s: string | undefined): void {
  const key = s?.split(':')[0] ?? 'index';
  const desc = s?.endsWith(':desc') ?? false;
  rows.sort((a, b) => (a[key] ?? '').localeCompare(b[key] ?? '', undefined, { numeric: true }) * (desc ? -1 : 1));
}

function catIndicesHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const targets = req.pathParams.index === undefined ? [...ctx.state.indices.values()] : ctx.state.resolve(req.pathParams.index);
  const rows = targets.map((idx) => {
    const size = formatBytes(storeSize(idx));
    return {
      health: indexHealth(idx),
      status: 'open',
      index: idx.name,
      uuid: idx.uuid,
      pri: String(idx.shards.length),
      rep: String(idx.settings.numberOfReplicas),
      'docs.count': String(idx.docCount),
      'docs.deleted': String(idx.deletedCount),
      'store.size': size,
      'pri.store.size': size,
    };
  });
  sortRows(rows, req.str('s'));
  return catTable(req, rows, ['health', 'status', 'index', 'uuid', 'pri', 'rep', 'docs.count', 'docs.deleted', 'store.size', 'pri.store.size']);
}

function catCountHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const targets = req.pathParams.index === undefined ? [...ctx.state.indices.values()] : ctx.state.resolve(req.pathParams.index);
  const count = targets.reduce((n, i) => n + i.searchView().docs.length, 0);
  const now = Date.now();
  const row = { epoch: String(Math.floor(now / 1000)), timestamp: new Date(now).toISOString().slice(11, 19), count: String(count) };
  return catTable(req, [row], ['epoch', 'timestamp', 'count']);
}

export function registerClusterRoutes(r: Router): void {
  r.add(['GET', 'HEAD'], '/', [], rootHandler);
  const healthParams = ['wait_for_status', 'timeout', 'level', 'local', 'master_timeout', 'cluster_manager_timeout', 'wait_for_active_shards', 'wait_for_nodes', 'wait_for_events', 'wait_for_no_relocating_shards', 'wait_for_no_initializing_shards', 'expand_wildcards', 'awareness_attribute'];
  r.add(['GET'], '/_cluster/health', healthParams, healthHandler);
  r.add(['GET'], '/_cluster/health/{index}', healthParams, healthHandler);
  r.add(['GET'], '/_cat/indices', CAT_PARAMS, catIndicesHandler);
  r.add(['GET'], '/_cat/indices/{index}', CAT_PARAMS, catIndicesHandler);
  r.add(['GET'], '/_cat/count', CAT_PARAMS, catCountHandler);
  r.add(['GET'], '/_cat/count/{index}', CAT_PARAMS, catCountHandler);
}
