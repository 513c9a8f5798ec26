/**
 * Where a new logical index in shared placement lives (SPEC §4.2): a pool of shared indexes per
 * rendered template (`osproxy-shared-orders`, `…-1`, `…-2`, …). A shared index takes another
 * logical index only while its fields plus every hosted index's unused field quota plus a whole
 * quota stay below its `index.mapping.total_fields.limit`: so no tenant's fields can ever push a
 * shared index into that limit, whatever the other tenants write.
 */
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { badGateway } from '../http/errors.ts';
import type { Target } from '../tenancy/index.ts';
import { countFields } from '../tenancy/mapping/logical-mapping.ts';
import type { UpstreamCluster } from '../upstream/cluster.ts';
import type { OpContext } from './context.ts';
import { clusterFor } from './targets.ts';
import { callUpstream, readUpstreamJson } from './upstream-call.ts';

/** Fields a shared index keeps free beyond every reservation (the reserved fields and some slack). */
const HEADROOM = 16;
const MAX_POOL = 1_000;

interface HomeInfo {
  exists: boolean;
  fields: number;
  limit: number;
}

const DEFAULT_LIMIT = 1_000;

/** Mapping of a shared index as osproxy creates it: the reserved fields, nothing dynamic. */
export function homeMapping(ctx: OpContext): JsonObject {
  const r = ctx.scope.reserved;
  return { dynamic: false, properties: { [r.tenant]: { type: 'keyword' }, [r.lindex]: { type: 'keyword' }, [r.id]: { type: 'keyword' } } };
}

async function homeInfo(ctx: OpContext, cluster: UpstreamCluster, name: string): Promise<HomeInfo> {
  const path = `/${encodeURIComponent(name)}`;
  const mapping = await callUpstream(ctx, cluster, { method: 'GET', path: `${path}/_mapping` });
  const mappingBody = await readUpstreamJson(ctx, mapping);
  if (mapping.status === 404) return { exists: false, fields: 0, limit: ctx.scope.settings.sharedFieldsLimit };
  const entry = isObject(mappingBody) ? mappingBody[name] : undefined;
  const props = isObject(entry) && isObject(entry.mappings) && isObject(entry.mappings.properties) ? entry.mappings.properties : {};
  const settings = await callUpstream(ctx, cluster, { method: 'GET', path: `${path}/_settings`, query: new URLSearchParams({ flat_settings: 'true' }) });
  const settingsBody = await readUpstreamJson(ctx, settings);
  const flat = isObject(settingsBody) && isObject(settingsBody[name]) ? (settingsBody[name] as JsonObject).settings : undefined;
  const limit = isObject(flat) ? Number(flat['index.mapping.total_fields.limit'] ?? DEFAULT_LIMIT) : DEFAULT_LIMIT;
  return { exists: true, fields: countFields(props as Record<string, JsonObject>), limit: Number.isFinite(limit) ? limit : DEFAULT_LIMIT };
}

/** Fields the logical indexes already in `home` may still add (each up to its quota). */
function reserved(ctx: OpContext, cluster: string, home: string): number {
  const quota = ctx.scope.settings.fieldQuota;
  let total = 0;
  for (const used of ctx.services.control.snapshot()?.tenancy.homeUsage(cluster, home) ?? []) total += Math.max(0, quota - used);
  return total;
}

async function createHome(ctx: OpContext, cluster: UpstreamCluster, name: string): Promise<boolean> {
  const body = { settings: { index: { 'mapping.total_fields.limit': ctx.scope.settings.sharedFieldsLimit } }, mappings: homeMapping(ctx) };
  const res = await callUpstream(ctx, cluster, { method: 'PUT', path: `/${encodeURIComponent(name)}`, body: JSON.stringify(body), idempotent: false });
  const answer: Json | undefined = await readUpstreamJson(ctx, res);
  if (res.status < 300) return true;
  if (isObject(answer) && isObject(answer.error) && answer.error.type === 'resource_already_exists_exception') return false;
  throw badGateway('shared_index_create_failed', 'the shared physical index could not be created');
}

/** The shared index of `base`'s pool a new logical index goes to (created if needed). */
export async function chooseHome(ctx: OpContext, base: Target): Promise<string> {
  const cluster = clusterFor(ctx, base);
  const quota = ctx.scope.settings.fieldQuota;
  for (let n = 0; n < MAX_POOL; n++) {
    const name = n === 0 ? base.physicalIndex : `${base.physicalIndex}-${n}`;
    let info = await homeInfo(ctx, cluster, name);
    if (!info.exists) {
      // A concurrent creator wins the name; then its index is looked at like any other.
      if (await createHome(ctx, cluster, name)) return name;
      info = await homeInfo(ctx, cluster, name);
    }
    if (info.fields + reserved(ctx, base.cluster, name) + quota + HEADROOM <= info.limit) return name;
  }
  throw badGateway('shared_pool_exhausted', 'no shared index has room for another logical index');
}
