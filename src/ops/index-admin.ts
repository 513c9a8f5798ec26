/** Logical index lifecycle (SPEC §4.3): create, get, exists, delete, mappings, refresh. */
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { illegalArgument, indexNotFound, OsproxyError } from '../http/errors.ts';
import { emptyReply, jsonReply, type Reply } from '../http/reply.ts';
import { isReservedField, type ReservedFields, type Target } from '../tenancy/index.ts';
import type { OpContext } from './context.ts';
import { logicalSettings, nestSettings } from './index-settings.ts';
import { objectBody } from './json-body.ts';
import { registerIndex, unregisterIndex } from './register-index.ts';
import { putTenantMapping, tenantMapping } from './index-mappings.ts';
import { upstreamRefusal } from './shared-home.ts';
import { parseLogicalMapping } from '../tenancy/mapping/logical-mapping.ts';
import { clusterFor, explainTargets } from './targets.ts';
import { callUpstream, mapUpstreamError, readUpstreamJson } from './upstream-call.ts';

/** Index settings a tenant may choose for a dedicated index; a shared index's settings are the operator's. */
const DEDICATED_SETTINGS = new Set(['number_of_shards', 'number_of_replicas', 'refresh_interval', 'max_result_window', 'analysis']);

function refuseReservedProperties(mappings: Json | undefined, reserved: ReservedFields): void {
  if (!isObject(mappings) || !isObject(mappings.properties)) return;
  for (const name of Object.keys(mappings.properties)) {
    if (isReservedField(name, reserved)) {
      throw illegalArgument('reserved_field', `field [${name}] in the mapping is reserved by osproxy for tenant isolation`);
    }
  }
}

function checkSettings(settings: Json | undefined, target: Target): JsonObject | undefined {
  if (settings === undefined) return undefined;
  if (!isObject(settings)) throw illegalArgument('bad_settings', 'settings must be an object');
  const flat = isObject(settings.index) ? settings.index : settings;
  for (const key of Object.keys(flat)) {
    const name = key.startsWith('index.') ? key.slice(6) : key;
    if (target.placement === 'shared' || !DEDICATED_SETTINGS.has(name)) {
      throw illegalArgument('setting_not_allowed', `index setting [${key}] is not allowed for this index (placement ${target.placement})`);
    }
  }
  return settings;
}

/** `PUT /{i}`: registers the logical index and prepares its physical home. */
export async function createIndex(ctx: OpContext): Promise<Reply> {
  const { lindex, target } = ctx.scope.one();
  const body = (await objectBody(ctx, 'the index definition', false)) ?? {};
  for (const key of Object.keys(body)) {
    if (key !== 'settings' && key !== 'mappings') throw illegalArgument('unsupported_index_key', `[${key}] is not supported when creating an index through osproxy`);
  }
  refuseReservedProperties(body.mappings, ctx.scope.reserved);
  const settings = checkSettings(body.settings, target);
  if (ctx.scope.has(lindex)) {
    throw new OsproxyError({ status: 400, type: 'resource_already_exists_exception', code: 'index_exists', reason: `index [${lindex}] already exists` });
  }
  explainTargets(ctx, [target]);
  if (target.placement === 'shared') {
    // The logical mapping is checked whole before anything is created; another creator first is 400 as on a cluster.
    const { created } = await registerIndex(ctx, target, parseLogicalMapping(body.mappings));
    if (!created) throw new OsproxyError({ status: 400, type: 'resource_already_exists_exception', code: 'index_exists', reason: `index [${lindex}] already exists` });
  } else {
    await createDedicated(ctx, target, settings, body.mappings);
    await registerIndex(ctx, target);
  }
  return jsonReply(200, { acknowledged: true, shards_acknowledged: true, index: lindex });
}

async function createDedicated(ctx: OpContext, target: Target, settings: JsonObject | undefined, mappings: Json | undefined): Promise<void> {
  const body: JsonObject = {};
  if (settings !== undefined) body.settings = settings;
  if (mappings !== undefined) body.mappings = mappings;
  const res = await callUpstream(ctx, clusterFor(ctx, target), {
    method: 'PUT',
    path: `/${encodeURIComponent(target.physicalIndex)}`,
    body: JSON.stringify(body),
    idempotent: false,
  });
  const answer = await readUpstreamJson(ctx, res);
  if (res.status >= 400) throw upstreamRefusal(res.status, mapUpstreamError(answer, [target]));
}

/** `HEAD /{i}`: answered from the tenant's registry. */
export async function indexExists(ctx: OpContext): Promise<Reply> {
  const names = (ctx.endpoint.index ?? '').split(',');
  const { targets, missing } = ctx.scope.indices();
  const ok = missing.length === 0 && (targets.length > 0 || names.every((n) => n.includes('*')));
  return emptyReply(ok ? 200 : 404);
}

function concreteTargets(ctx: OpContext): Target[] {
  return ctx.scope.existingTargets(ctx.query.get('ignore_unavailable') === 'true');
}

/** `GET /{i}`: the tenant's logical mapping (index-mappings.ts) and synthesized settings (index-settings.ts); no physical name or internal field. */
export async function getIndex(ctx: OpContext): Promise<Reply> {
  const out: JsonObject = {};
  for (const target of concreteTargets(ctx)) {
    const settings = await logicalSettings(ctx, target);
    out[target.lindex] = {
      aliases: {},
      mappings: await tenantMapping(ctx, target),
      settings: ctx.query.get('flat_settings') === 'true' ? settings : nestSettings(settings),
    };
  }
  return jsonReply(200, out);
}

/** `GET /{i}/_mapping` and `GET /_mapping`. */
export async function getMapping(ctx: OpContext): Promise<Reply> {
  const out: JsonObject = {};
  for (const target of concreteTargets(ctx)) out[target.lindex] = { mappings: await tenantMapping(ctx, target) };
  return jsonReply(200, out);
}

/** `PUT /{i}/_mapping`: merged into the physical index (a conflict is OpenSearch's 400). */
export async function putIndexMapping(ctx: OpContext): Promise<Reply> {
  const body = (await objectBody(ctx, 'the mapping', true)) as JsonObject;
  refuseReservedProperties(body, ctx.scope.reserved);
  const targets = concreteTargets(ctx);
  if (targets.length === 0) throw indexNotFound(ctx.endpoint.index ?? '_all');
  for (const target of targets) await putTenantMapping(ctx, target, body);
  return jsonReply(200, { acknowledged: true });
}

/** A logical index being moved cannot be deleted: the migration would copy into nothing (cancel it first). */
function refuseWhileMigrating(ctx: OpContext, lindex: string): void {
  const state = ctx.services.control.snapshot()?.migration(ctx.scope.tenant, lindex)?.doc.state;
  if (state === undefined || state === 'complete' || state === 'cancelled') return;
  throw new OsproxyError({ status: 409, type: 'illegal_state_exception', code: 'migration_in_progress', reason: `index [${lindex}] is being moved to another placement; it can be deleted once the move completes or is cancelled` });
}

/** `DELETE /{i}`: shared → delete the tenant's documents of that index; dedicated → drop the index. */
export async function deleteIndex(ctx: OpContext): Promise<Reply> {
  const targets = concreteTargets(ctx);
  if (targets.length === 0 && !(ctx.endpoint.index ?? '').includes('*')) throw indexNotFound(ctx.endpoint.index ?? '');
  const reserved = ctx.scope.reserved;
  for (const target of targets) refuseWhileMigrating(ctx, target.lindex);
  for (const target of targets) {
    const cluster = clusterFor(ctx, target);
    if (target.placement === 'shared') {
      // Refresh first: delete-by-query only sees refreshed documents, and none may survive the delete.
      const refreshed = await callUpstream(ctx, cluster, { method: 'POST', path: `/${encodeURIComponent(target.physicalIndex)}/_refresh`, idempotent: true });
      await refreshed.body.dump();
      const query = new URLSearchParams({ refresh: 'true', conflicts: 'proceed' });
      if (target.routing === 'tenant') query.set('routing', ctx.scope.tenant);
      const filter = { bool: { filter: [{ term: { [reserved.tenant]: ctx.scope.tenant } }, { term: { [reserved.lindex]: target.lindex } }] } };
      const res = await callUpstream(ctx, cluster, { method: 'POST', path: `/${encodeURIComponent(target.physicalIndex)}/_delete_by_query`, query, body: JSON.stringify({ query: filter }), idempotent: false });
      const answer = await readUpstreamJson(ctx, res);
      if (res.status >= 400 && res.status !== 404) throw upstreamRefusal(res.status, mapUpstreamError(answer, [target]));
    } else {
      const res = await callUpstream(ctx, cluster, { method: 'DELETE', path: `/${encodeURIComponent(target.physicalIndex)}`, idempotent: false });
      await res.body.dump();
    }
    await unregisterIndex(ctx, target.lindex);
  }
  return jsonReply(200, { acknowledged: true });
}

/** `POST /{i}/_refresh` and `/_refresh`: refreshes the physical indexes behind the tenant's. */
export async function refresh(ctx: OpContext): Promise<Reply> {
  const targets = concreteTargets(ctx);
  let total = 0;
  let successful = 0;
  const byCluster = new Map<string, Target[]>();
  for (const t of targets) byCluster.set(t.cluster, [...(byCluster.get(t.cluster) ?? []), t]);
  for (const group of byCluster.values()) {
    const names = [...new Set(group.map((t) => encodeURIComponent(t.physicalIndex)))].join(',');
    const res = await callUpstream(ctx, clusterFor(ctx, group[0]), { method: 'POST', path: `/${names}/_refresh`, idempotent: true });
    const answer = await readUpstreamJson(ctx, res);
    if (res.status >= 400 && res.status !== 404) throw upstreamRefusal(res.status, mapUpstreamError(answer, group));
    const shards = isObject(answer) && isObject(answer._shards) ? answer._shards : {};
    total += typeof shards.total === 'number' ? shards.total : 0;
    successful += typeof shards.successful === 'number' ? shards.successful : 0;
  }
  return jsonReply(200, { _shards: { total, successful, failed: 0 } });
}
