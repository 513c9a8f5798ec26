/**
 * A logical index's settings as the tenant sees them (`_settings`, `GET /{index}`): its creation
 * date, a stable per-tenant uuid, its own name and the upstream's `version.created`; for a
 * dedicated index also the settings a tenant may choose. Flat keys (`index.number_of_shards`).
 */
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import type { Target } from '../tenancy/index.ts';
import type { OpContext } from './context.ts';
import { logicalUuid } from './logical-uuid.ts';
import { clusterFor } from './targets.ts';
import { callUpstream, readUpstreamJson } from './upstream-call.ts';

/** Flat keys of a dedicated index's own settings that are shown (what a tenant may set, SPEC §4.3). */
const DEDICATED_KEYS = /^index\.(number_of_shards|number_of_replicas|refresh_interval|max_result_window|analysis\..+)$/;

function flatten(node: Json, prefix: string, out: Record<string, Json>): void {
  if (!isObject(node)) {
    out[prefix] = node;
    return;
  }
  for (const [k, v] of Object.entries(node)) flatten(v, prefix === '' ? k : `${prefix}.${k}`, out);
}

export function nestSettings(flat: Record<string, Json>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.');
    let node = out;
    for (const p of parts.slice(0, -1)) {
      const next = node[p];
      node = isObject(next) ? next : (node[p] = {});
    }
    node[parts[parts.length - 1]] = value;
  }
  return out;
}

/** The physical index's settings as flat keys (empty when it cannot be read: nothing is invented). */
async function physicalSettings(ctx: OpContext, target: Target): Promise<Record<string, Json>> {
  const res = await callUpstream(ctx, clusterFor(ctx, target), { method: 'GET', path: `/${encodeURIComponent(target.physicalIndex)}/_settings`, query: new URLSearchParams({ flat_settings: 'true' }) });
  const answer = await readUpstreamJson(ctx, res);
  const entry = res.status === 200 && isObject(answer) ? answer[target.physicalIndex] : undefined;
  const settings = isObject(entry) && isObject(entry.settings) ? entry.settings : {};
  const flat: Record<string, Json> = {};
  flatten(settings, '', flat);
  return flat;
}

export async function logicalSettings(ctx: OpContext, target: Target): Promise<Record<string, Json>> {
  const physical = await physicalSettings(ctx, target);
  const out: Record<string, Json> = {};
  if (target.placement !== 'shared') for (const [k, v] of Object.entries(physical)) if (DEDICATED_KEYS.test(k)) out[k] = v;
  out['index.creation_date'] = String(ctx.scope.createdAt(target.lindex) ?? Date.now());
  out['index.uuid'] = logicalUuid(ctx.scope.tenant, target.lindex);
  if (physical['index.version.created'] !== undefined) out['index.version.created'] = physical['index.version.created'];
  out['index.provided_name'] = target.lindex;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}
