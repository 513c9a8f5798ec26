/**
 * `GET [/{index}]/_settings[/{name}]` (what client tools read at start-up), synthesized per logical
 * index: its creation date, a stable per-tenant uuid and its own name (as `GET /{index}` shows
 * them), the upstream's `version.created`, and — for a dedicated index only, whose settings are the
 * tenant's — the settings a tenant may choose. A shared index's settings are the operator's and are
 * not shown; no physical name, uuid or routing ever is. `flat_settings` and name filters
 * (`index.number_*`) work as in OpenSearch.
 */
import { createHash } from 'node:crypto';
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { jsonReply, type Reply } from '../http/reply.ts';
import type { Target } from '../tenancy/index.ts';
import type { OpContext } from './context.ts';
import { searchTargets } from './search-request.ts';
import { clusterFor } from './targets.ts';
import { callUpstream, readUpstreamJson } from './upstream-call.ts';

/** Flat keys of a dedicated index's own settings that are shown (what a tenant may set, SPEC §4.3). */
const DEDICATED_KEYS = /^index\.(number_of_shards|number_of_replicas|refresh_interval|max_result_window|analysis\..+)$/;

/** The logical index's uuid, as `GET /{index}` shows it. */
function logicalUuid(tenant: string, lindex: string): string {
  return createHash('sha256').update(`${tenant}\0${lindex}`).digest('base64url').slice(0, 22);
}

function flatten(node: Json, prefix: string, out: Record<string, Json>): void {
  if (!isObject(node)) {
    out[prefix] = node;
    return;
  }
  for (const [k, v] of Object.entries(node)) flatten(v, prefix === '' ? k : `${prefix}.${k}`, out);
}

function nest(flat: Record<string, Json>): JsonObject {
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

async function logicalSettings(ctx: OpContext, target: Target): Promise<Record<string, Json>> {
  const physical = await physicalSettings(ctx, target);
  const out: Record<string, Json> = {};
  if (target.placement !== 'shared') for (const [k, v] of Object.entries(physical)) if (DEDICATED_KEYS.test(k)) out[k] = v;
  out['index.creation_date'] = String(ctx.scope.createdAt(target.lindex) ?? Date.now());
  out['index.uuid'] = logicalUuid(ctx.scope.tenant, target.lindex);
  if (physical['index.version.created'] !== undefined) out['index.version.created'] = physical['index.version.created'];
  out['index.provided_name'] = target.lindex;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function wildcard(pattern: string): RegExp {
  return new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
}

export async function getSettings(ctx: OpContext): Promise<Reply> {
  const flatOut = ctx.query.get('flat_settings') === 'true';
  const names = ctx.endpoint.id?.split(',').filter((n) => n !== '' && n !== '_all').map(wildcard) ?? [];
  const body: JsonObject = {};
  for (const target of searchTargets(ctx)) {
    let flat = await logicalSettings(ctx, target);
    if (names.length > 0) {
      flat = Object.fromEntries(Object.entries(flat).filter(([key]) => names.some((re) => re.test(key))));
      if (Object.keys(flat).length === 0) continue; // GetSettingsResponse skips indexes left with none
    }
    body[target.lindex] = { settings: flatOut ? flat : nest(flat) };
  }
  return jsonReply(200, body);
}
