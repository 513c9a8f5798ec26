/**
 * `_cat/indices` and `_cat/count` (SPEC §4.3), synthesized from the tenant's own logical indexes:
 * counts through the tenant filter; health, status and shard counts from the upstream's own
 * `_cat/indices` for the physical index (never another index's); sizes and deleted counts only for
 * a dedicated index (in a shared one they are not the tenant's). Rendered by cat-table.ts.
 */
import { isObject, type JsonObject } from '../core/json.ts';
import { illegalArgument } from '../http/errors.ts';
import type { Reply } from '../http/reply.ts';
import { rewriteCountBody, type Target } from '../tenancy/index.ts';
import { catReply, type CatColumn, type CatRequest, type CatRow } from './cat-table.ts';
import type { OpContext } from './context.ts';
import { logicalUuid } from './logical-uuid.ts';
import { physicalPath, searchTargets } from './search-request.ts';
import { clusterFor } from './targets.ts';
import { callUpstream, readUpstreamJson } from './upstream-call.ts';

/** RestIndicesAction's columns osproxy fills (as the embedded engine renders them). */
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

const COUNT_COLUMNS: CatColumn[] = [
  { name: 'epoch', aliases: ['t', 'time'], desc: 'seconds since 1970-01-01 00:00:00' },
  { name: 'timestamp', aliases: ['ts', 'hms', 'hhmmss'], desc: 'time in HH:MM:SS' },
  { name: 'count', aliases: ['dc', 'docs.count', 'docsCount'], desc: 'the document count' },
];

/** The columns read from the upstream's `_cat/indices` for a physical index. */
const UPSTREAM_COLUMNS = 'index,health,status,pri,rep,docs.count,docs.deleted,store.size,pri.store.size';

function catRequest(ctx: OpContext): CatRequest {
  const accept = ctx.req.headers.accept;
  return { query: ctx.query, accept: Array.isArray(accept) ? accept[0] : accept };
}

async function countOf(ctx: OpContext, target: Target): Promise<number> {
  const body = rewriteCountBody({}, ctx.scope.searchScope([target]));
  const res = await callUpstream(ctx, clusterFor(ctx, target), {
    method: 'POST',
    path: physicalPath([target], '_count'),
    query: target.routing === 'tenant' ? new URLSearchParams({ routing: ctx.scope.tenant }) : undefined,
    body: JSON.stringify(body),
    idempotent: true,
  });
  const answer = await readUpstreamJson(ctx, res);
  return res.status === 200 && isObject(answer) && typeof answer.count === 'number' ? answer.count : 0;
}

/** The upstream's `_cat/indices` rows for the targets' physical indexes, by physical name. */
async function physicalRows(ctx: OpContext, targets: Target[]): Promise<Map<string, JsonObject>> {
  const out = new Map<string, JsonObject>();
  const byCluster = new Map<string, Target[]>();
  for (const t of targets) byCluster.set(t.cluster, [...(byCluster.get(t.cluster) ?? []), t]);
  for (const group of byCluster.values()) {
    const names = [...new Set(group.map((t) => encodeURIComponent(t.physicalIndex)))].join(',');
    const query = new URLSearchParams({ format: 'json', bytes: 'b', h: UPSTREAM_COLUMNS, ignore_unavailable: 'true' });
    const res = await callUpstream(ctx, clusterFor(ctx, group[0]), { method: 'GET', path: `/_cat/indices/${names}`, query });
    const answer = await readUpstreamJson(ctx, res);
    if (res.status !== 200 || !Array.isArray(answer)) continue;
    for (const row of answer) if (isObject(row) && typeof row.index === 'string') out.set(row.index, row);
  }
  return out;
}

const num = (v: unknown): number | null => (typeof v === 'string' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const size = (v: unknown): { bytes: number } | null => {
  const n = num(v);
  return n === null ? null : { bytes: n };
};

function healthFilter(v: string | null): string | undefined {
  if (v === null) return undefined;
  const lower = v.toLowerCase();
  if (lower !== 'green' && lower !== 'yellow' && lower !== 'red') throw illegalArgument('invalid_health', `unknown cluster health status [${v}]`);
  return lower;
}

/** `GET /_cat/indices[/{index}]`: one row per logical index of the tenant. */
export async function catIndices(ctx: OpContext): Promise<Reply> {
  const wanted = healthFilter(ctx.query.get('health'));
  const targets = searchTargets(ctx);
  const physical = await physicalRows(ctx, targets);
  const rows: CatRow[] = [];
  for (const t of targets) {
    const up = physical.get(t.physicalIndex) ?? {};
    const health = str(up.health);
    if (wanted !== undefined && health !== wanted) continue;
    const dedicated = t.placement !== 'shared';
    const created = ctx.scope.createdAt(t.lindex) ?? null;
    rows.push({
      health,
      status: str(up.status),
      index: t.lindex,
      uuid: logicalUuid(ctx.scope.tenant, t.lindex),
      pri: num(up.pri),
      rep: num(up.rep),
      'docs.count': dedicated && num(up['docs.count']) !== null ? num(up['docs.count']) : await countOf(ctx, t),
      'docs.deleted': dedicated ? num(up['docs.deleted']) : null,
      'creation.date': created,
      'creation.date.string': created === null ? null : new Date(created).toISOString(),
      'store.size': dedicated ? size(up['store.size']) : null,
      'pri.store.size': dedicated ? size(up['pri.store.size']) : null,
    });
  }
  return catReply(catRequest(ctx), INDICES_COLUMNS, rows);
}

/** `GET /_cat/count[/{index}]`: the tenant's document count. */
export async function catCount(ctx: OpContext): Promise<Reply> {
  let total = 0;
  for (const t of searchTargets(ctx)) total += await countOf(ctx, t);
  const now = Date.now();
  return catReply(catRequest(ctx), COUNT_COLUMNS, [{ epoch: Math.floor(now / 1000), timestamp: new Date(now).toISOString().slice(11, 19), count: total }]);
}
