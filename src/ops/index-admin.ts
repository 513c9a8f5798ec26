import { createHash } from 'node:crypto';
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { ProxyError } from '../http/errors.ts';
import { isReservedField, type ReservedFields, type Target } from '../tenancy/index.ts';
import { sendJson } from '../server/respond.ts';
import type { OpContext } from './context.ts';
import { objectBody } from './json-body.ts';
import { clusterFor, explainTarget, indexNotFound, resolveIndices, singleIndex, targetFor } from './targets.ts';
import { callUpstream, mapUpstreamError, readUpstreamJson } from './upstream-call.ts';
import type { UpstreamCluster } from '../upstream/cluster.ts';

/** Index settings a tenant may choose for a dedicated index; a shared index's settings are the operator's. */
const DEDICATED_SETTINGS = new Set(['number_of_shards', 'number_of_replicas', 'refresh_interval', 'max_result_window', 'analysis']);

function refuseReservedProperties(mappings: Json | undefined, reserved: ReservedFields): void {
  if (!isObject(mappings) || !isObject(mappings.properties)) return;
  for (const name of Object.keys(mappings.properties)) {
    if (isReservedField(name, reserved)) {
      throw new ProxyError(400, 'illegal_argument_exception', 'reserved_field', `field [${name}] in the mapping is reserved by osproxy for tenant isolation`);
    }
  }
}

function checkSettings(settings: Json | undefined, target: Target): JsonObject | undefined {
  if (settings === undefined) return undefined;
  if (!isObject(settings)) throw new ProxyError(400, 'illegal_argument_exception', 'bad_settings', 'settings must be an object');
  const flat = isObject(settings.index) ? settings.index : settings;
  for (const key of Object.keys(flat)) {
    const name = key.startsWith('index.') ? key.slice(6) : key;
    if (target.placement === 'shared' || !DEDICATED_SETTINGS.has(name)) {
      throw new ProxyError(400, 'illegal_argument_exception', 'setting_not_allowed', `index setting [${key}] is not allowed for this index (placement ${target.placement})`);
    }
  }
  return settings;
}

function reservedMapping(reserved: ReservedFields): JsonObject {
  return { [reserved.tenant]: { type: 'keyword' }, [reserved.lindex]: { type: 'keyword' } };
}

/** Creates the shared physical index on first use (tolerating a concurrent creator), then merges mappings. */
async function ensureSharedIndex(ctx: OpContext, target: Target, mappings: JsonObject | undefined): Promise<void> {
  const cluster = clusterFor(ctx, target);
  const path = `/${encodeURIComponent(target.physicalIndex)}`;
  const reserved = ctx.services.config.tenancy.reserved_fields;
  const head = await callUpstream(ctx, cluster, { method: 'HEAD', path });
  await head.body.dump();
  if (head.status === 404) {
    const body = { mappings: { properties: reservedMapping(reserved) } };
    const created = await callUpstream(ctx, cluster, { method: 'PUT', path, body: JSON.stringify(body), idempotent: false });
    const answer = await readUpstreamJson(ctx, created);
    if (created.status >= 400 && !(isObject(answer) && isObject(answer.error) && answer.error.type === 'resource_already_exists_exception')) {
      throw new ProxyError(502, 'bad_gateway_exception', 'shared_index_create_failed', 'the shared physical index could not be created');
    }
  }
  if (mappings !== undefined && isObject(mappings.properties)) await putMapping(ctx, target, { properties: mappings.properties });
}

/** Shared physical indexes known to exist with the reserved fields mapped, per upstream cluster. */
const sharedHomes = new WeakMap<UpstreamCluster, Set<string>>();

/**
 * Before the first write into a shared physical index: create it with the reserved fields as
 * `keyword`. Left to dynamic mapping they become `text`, and the scope filter's `term`/`terms`
 * then match analyzed tokens (`acme-only` → `acme`, `only`): wrong counts, foreign matches.
 */
export async function ensureSharedHome(ctx: OpContext, target: Target): Promise<void> {
  if (target.placement !== 'shared') return;
  const cluster = clusterFor(ctx, target);
  const known = sharedHomes.get(cluster) ?? new Set<string>();
  sharedHomes.set(cluster, known);
  if (known.has(target.physicalIndex)) return;
  await ensureSharedIndex(ctx, target, undefined);
  known.add(target.physicalIndex);
}

async function putMapping(ctx: OpContext, target: Target, mapping: JsonObject): Promise<void> {
  const res = await callUpstream(ctx, clusterFor(ctx, target), {
    method: 'PUT',
    path: `/${encodeURIComponent(target.physicalIndex)}/_mapping`,
    body: JSON.stringify(mapping),
    idempotent: false,
  });
  const answer = await readUpstreamJson(ctx, res);
  if (res.status >= 400) throw upstreamRefusal(res.status, mapUpstreamError(answer, [target]));
}

/** An upstream refusal re-raised with its (already mapped) OpenSearch error type and reason. */
function upstreamRefusal(status: number, body: Json): ProxyError {
  const err = isObject(body) && isObject(body.error) ? body.error : {};
  const type = typeof err.type === 'string' ? err.type : 'exception';
  const reason = typeof err.reason === 'string' ? err.reason : 'the upstream refused the request';
  return new ProxyError(status, type, 'upstream_refused', reason);
}

/** `PUT /{i}`: registers the logical index and prepares its physical home. */
export async function createIndex(ctx: OpContext): Promise<void> {
  const lindex = singleIndex(ctx);
  const target = targetFor(ctx, lindex);
  const body = (await objectBody(ctx, 'the index definition', false)) ?? {};
  for (const key of Object.keys(body)) {
    if (key !== 'settings' && key !== 'mappings') throw new ProxyError(400, 'illegal_argument_exception', 'unsupported_index_key', `[${key}] is not supported when creating an index through osproxy`);
  }
  refuseReservedProperties(body.mappings, ctx.services.config.tenancy.reserved_fields);
  const settings = checkSettings(body.settings, target);
  if (ctx.services.registry.has(ctx.binding.tenant, lindex)) {
    throw new ProxyError(400, 'resource_already_exists_exception', 'index_exists', `index [${lindex}] already exists`);
  }
  explainTarget(ctx, target);
  if (target.placement === 'shared') await ensureSharedIndex(ctx, target, isObject(body.mappings) ? body.mappings : undefined);
  else await createDedicated(ctx, target, settings, body.mappings);
  await ctx.services.registry.register(ctx.binding.tenant, lindex);
  ctx.addBytesOut(sendJson(ctx.res, 200, { acknowledged: true, shards_acknowledged: true, index: lindex }));
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
export async function indexExists(ctx: OpContext): Promise<void> {
  const names = (ctx.endpoint.index ?? '').split(',');
  const { targets, missing } = resolveIndices(ctx, ctx.endpoint.index);
  const ok = missing.length === 0 && (targets.length > 0 || names.every((n) => n.includes('*')));
  ctx.res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json; charset=UTF-8', 'content-length': '0' });
  ctx.res.end();
}

function concreteTargets(ctx: OpContext): Target[] {
  const { targets, missing } = resolveIndices(ctx, ctx.endpoint.index);
  if (missing.length > 0 && ctx.query.get('ignore_unavailable') !== 'true') throw indexNotFound(missing[0]);
  return targets;
}

function strip(mapping: Json | undefined, reserved: ReservedFields): JsonObject {
  if (!isObject(mapping)) return {};
  const out: JsonObject = { ...mapping };
  if (isObject(out.properties)) {
    out.properties = Object.fromEntries(Object.entries(out.properties).filter(([k]) => !isReservedField(k, reserved)));
  }
  return out;
}

async function physicalMapping(ctx: OpContext, target: Target): Promise<JsonObject> {
  const res = await callUpstream(ctx, clusterFor(ctx, target), { method: 'GET', path: `/${encodeURIComponent(target.physicalIndex)}/_mapping` });
  const answer = await readUpstreamJson(ctx, res);
  if (res.status === 404) return {};
  if (res.status >= 400 || !isObject(answer)) throw upstreamRefusal(res.status, mapUpstreamError(answer, [target]));
  const entry = answer[target.physicalIndex];
  return strip(isObject(entry) ? entry.mappings : undefined, ctx.services.config.tenancy.reserved_fields);
}

/** A stable per-tenant uuid for a logical index (the physical uuid is not the tenant's). */
function logicalUuid(tenant: string, lindex: string): string {
  return createHash('sha256').update(`${tenant}\0${lindex}`).digest('base64url').slice(0, 22);
}

/** `GET /{i}`: synthesized from the physical mapping, names and internal fields hidden. */
export async function getIndex(ctx: OpContext): Promise<void> {
  const out: JsonObject = {};
  for (const target of concreteTargets(ctx)) {
    const created = ctx.services.registry.createdAt(ctx.binding.tenant, target.lindex) ?? Date.now();
    out[target.lindex] = {
      aliases: {},
      mappings: await physicalMapping(ctx, target),
      settings: { index: { creation_date: String(created), uuid: logicalUuid(ctx.binding.tenant, target.lindex), provided_name: target.lindex } },
    };
  }
  ctx.addBytesOut(sendJson(ctx.res, 200, out));
}

/** `GET /{i}/_mapping` and `GET /_mapping`. */
export async function getMapping(ctx: OpContext): Promise<void> {
  const out: JsonObject = {};
  for (const target of concreteTargets(ctx)) out[target.lindex] = { mappings: await physicalMapping(ctx, target) };
  ctx.addBytesOut(sendJson(ctx.res, 200, out));
}

/** `PUT /{i}/_mapping`: merged into the physical index (a conflict is OpenSearch's 400). */
export async function putIndexMapping(ctx: OpContext): Promise<void> {
  const body = (await objectBody(ctx, 'the mapping', true)) as JsonObject;
  refuseReservedProperties(body, ctx.services.config.tenancy.reserved_fields);
  const targets = concreteTargets(ctx);
  if (targets.length === 0) throw indexNotFound(ctx.endpoint.index ?? '_all');
  for (const target of targets) {
    if (target.placement === 'shared') await ensureSharedIndex(ctx, target, body);
    else await putMapping(ctx, target, body);
  }
  ctx.addBytesOut(sendJson(ctx.res, 200, { acknowledged: true }));
}

/** `DELETE /{i}`: shared → delete the tenant's documents of that index; dedicated → drop the index. */
export async function deleteIndex(ctx: OpContext): Promise<void> {
  const targets = concreteTargets(ctx);
  if (targets.length === 0 && !(ctx.endpoint.index ?? '').includes('*')) throw indexNotFound(ctx.endpoint.index ?? '');
  const reserved = ctx.services.config.tenancy.reserved_fields;
  for (const target of targets) {
    const cluster = clusterFor(ctx, target);
    if (target.placement === 'shared') {
      // Refresh first: delete-by-query only sees refreshed documents, and none may survive the delete.
      const refreshed = await callUpstream(ctx, cluster, { method: 'POST', path: `/${encodeURIComponent(target.physicalIndex)}/_refresh`, idempotent: true });
      await refreshed.body.dump();
      const query = new URLSearchParams({ refresh: 'true', conflicts: 'proceed' });
      if (target.routing === 'tenant') query.set('routing', ctx.binding.tenant);
      const filter = { bool: { filter: [{ term: { [reserved.tenant]: ctx.binding.tenant } }, { term: { [reserved.lindex]: target.lindex } }] } };
      const res = await callUpstream(ctx, cluster, { method: 'POST', path: `/${encodeURIComponent(target.physicalIndex)}/_delete_by_query`, query, body: JSON.stringify({ query: filter }), idempotent: false });
      const answer = await readUpstreamJson(ctx, res);
      if (res.status >= 400 && res.status !== 404) throw upstreamRefusal(res.status, mapUpstreamError(answer, [target]));
    } else {
      const res = await callUpstream(ctx, cluster, { method: 'DELETE', path: `/${encodeURIComponent(target.physicalIndex)}`, idempotent: false });
      await res.body.dump();
    }
    await ctx.services.registry.unregister(ctx.binding.tenant, target.lindex);
  }
  ctx.addBytesOut(sendJson(ctx.res, 200, { acknowledged: true }));
}

/** `POST /{i}/_refresh` and `/_refresh`: refreshes the physical indexes behind the tenant's. */
export async function refresh(ctx: OpContext): Promise<void> {
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
  ctx.addBytesOut(sendJson(ctx.res, 200, { _shards: { total, successful, failed: 0 } }));
}
