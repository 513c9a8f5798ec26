import { EngineError } from '../../errors.ts';
import { aliasMatcher } from '../../store/aliases.ts';
import type { IndexState } from '../../store/index-state.ts';
import { CAT_PARAMS, catResponse, type CatColumn, type CatRow } from '../cat-table.ts';
import type { EngineContext } from '../context.ts';
import type { RestRequest } from '../rest-request.ts';
import type { RestResponse, Router } from '../router.ts';
import { INDEX_EXPANSION_PARAMS } from '../search-request.ts';
import { indexHealth } from './cluster.ts';

/** RestIndicesAction's columns that the engine can fill (the stats ones it has no counterpart for are left out). */
const INDICES_COLUMNS: CatColumn[] = [
  { name: 'health', aliases: ['h'], desc: 'current health status' },
  { name: 'status', aliases: ['s'], desc: 'open/close status' },
  { name: 'index', aliases: ['i', 'idx'], desc: 'index name' },
  { name: 'uuid', aliases: ['id', 'uuid'], desc: 'index uuid' },
  { name: 'pri', aliases: ['p', 'shards.primary', 'shardsPrimary'], right: true, desc: 'number of primary shards' },
  { name: 'rep', aliases: ['r', 'shards.replica', 'shardsReplica'], right: true, desc: 'number of replica shards' },
  { name: 'docs.count', aliases: ['dc', 'docsCount'], right: true, desc: 'available docs' },
  { name: 'docs.deleted', aliases: ['dd', 'docsDeleted'], right: true, desc: 'deleted docs' },
  { name: 'creation.date', aliases: ['cd'], default: false, desc: 'index creation date (millisecond value)' },
  { name: 'creation.date.string', aliases: ['cds'], default: false, desc: 'index creation date (as string)' },
  { name: 'store.size', aliases: ['ss', 'storeSize'], sibling: 'pri', right: true, desc: 'store size of primaries & replicas' },
  { name: 'pri.store.size', right: true, desc: 'store size of primaries' },
];

/** RestAliasAction's columns. */
const ALIAS_COLUMNS: CatColumn[] = [
  { name: 'alias', aliases: ['a'], desc: 'alias name' },
  { name: 'index', aliases: ['i', 'idx'], desc: 'index alias points to' },
  { name: 'filter', aliases: ['f', 'fi'], desc: 'filter' },
  { name: 'routing.index', aliases: ['ri', 'routingIndex'], desc: 'index routing' },
  { name: 'routing.search', aliases: ['rs', 'routingSearch'], desc: 'search routing' },
  { name: 'is_write_index', aliases: ['w', 'isWriteIndex'], desc: 'write index' },
];

/** Table.startHeadersWithTimestamp plus RestCountAction's column. */
const COUNT_COLUMNS: CatColumn[] = [
  { name: 'epoch', aliases: ['t', 'time'], desc: 'seconds since 1970-01-01 00:00:00' },
  { name: 'timestamp', aliases: ['ts', 'hms', 'hhmmss'], desc: 'time in HH:MM:SS' },
  { name: 'count', aliases: ['dc', 'docs.count', 'docsCount'], desc: 'the document count' },
];

/** An estimate of the index's size on disk (the engine keeps no segments); replicas are unassigned, so total = primaries. */
function storeBytes(idx: IndexState): number {
  let bytes = 0;
  for (const s of idx.shards) for (const r of s.allRecords()) bytes += 64 + JSON.stringify(r.source).length;
  return bytes;
}

/** ClusterHealthStatus.fromString. */
function healthFilter(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const lower = v.toLowerCase();
  if (lower !== 'green' && lower !== 'yellow' && lower !== 'red') throw new EngineError(400, 'illegal_argument_exception', `unknown cluster health status [${v}]`);
  return lower;
}

function targets(req: RestRequest, ctx: EngineContext): IndexState[] {
  return ctx.state.resolve(req.pathParams.index, { ignoreUnavailable: req.bool('ignore_unavailable'), allowNoIndices: req.bool('allow_no_indices', true) });
}

function catIndicesHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const wanted = healthFilter(req.str('health'));
  const rows: CatRow[] = [];
  for (const idx of targets(req, ctx)) {
    const health = indexHealth(idx);
    if (wanted !== undefined && health !== wanted) continue;
    const size = { bytes: storeBytes(idx) };
    rows.push({
      health,
      status: 'open',
      index: idx.name,
      uuid: idx.uuid,
      pri: idx.shards.length,
      rep: idx.settings.numberOfReplicas,
      // Lucene's doc stats count what a refresh has made searchable, not the realtime state.
      'docs.count': idx.searchView().docs.length,
      'docs.deleted': idx.deletedCount,
      'creation.date': idx.creationDate,
      'creation.date.string': new Date(idx.creationDate).toISOString(),
      'store.size': size,
      'pri.store.size': size,
    });
  }
  return catResponse(req, INDICES_COLUMNS, rows);
}

function catCountHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const count = targets(req, ctx).reduce((n, i) => n + i.searchView().docs.length, 0);
  const now = Date.now();
  const row = { epoch: Math.floor(now / 1000), timestamp: new Date(now).toISOString().slice(11, 19), count };
  return catResponse(req, COUNT_COLUMNS, [row]);
}

/** `_cat/aliases[/{alias}]`: one row per alias of every index (GetAliasesRequest over all indexes); unknown names are just absent. */
function catAliasesHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const matches = aliasMatcher(req.pathParams.alias === undefined ? [] : req.pathParams.alias.split(',').filter((a) => a !== ''));
  const rows: CatRow[] = [];
  // GetAliasesRequest's strictExpandHidden, and system indices allowed: every index.
  for (const idx of [...ctx.state.indices.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    for (const [alias, meta] of [...idx.aliases].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (!matches(alias)) continue;
      rows.push({
        alias,
        index: idx.name,
        filter: meta.filter === undefined ? '-' : '*',
        'routing.index': meta.indexRouting === undefined || meta.indexRouting === '' ? '-' : meta.indexRouting,
        'routing.search': meta.searchRouting === undefined || meta.searchRouting === '' ? '-' : meta.searchRouting,
        is_write_index: meta.isWriteIndex === undefined ? '-' : String(meta.isWriteIndex),
      });
    }
  }
  return catResponse(req, ALIAS_COLUMNS, rows);
}

export function registerCatRoutes(r: Router): void {
  r.add(['GET'], '/_cat/aliases', [...CAT_PARAMS, ...INDEX_EXPANSION_PARAMS], catAliasesHandler);
  r.add(['GET'], '/_cat/aliases/{alias}', [...CAT_PARAMS, ...INDEX_EXPANSION_PARAMS], catAliasesHandler);
  const indicesParams = [...CAT_PARAMS, ...INDEX_EXPANSION_PARAMS, 'health', 'include_unloaded_segments'];
  r.add(['GET'], '/_cat/indices', indicesParams, catIndicesHandler);
  r.add(['GET'], '/_cat/indices/{index}', indicesParams, catIndicesHandler);
  r.add(['GET'], '/_cat/count', [...CAT_PARAMS, ...INDEX_EXPANSION_PARAMS], catCountHandler);
  r.add(['GET'], '/_cat/count/{index}', [...CAT_PARAMS, ...INDEX_EXPANSION_PARAMS], catCountHandler);
}
