import { randomBytes } from 'node:crypto';
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { ProxyError } from '../http/errors.ts';
import { assertNoReservedFields, decodeId, encodeId, injectReservedFields, stripReservedFields, type Target } from '../tenancy/index.ts';
import type { OpContext } from './context.ts';
import { objectBody } from './json-body.ts';
import { sendJson } from '../server/respond.ts';
import { clusterFor, explainTarget, indexNotFound, singleIndex, targetFor } from './targets.ts';
import { callUpstream, readUpstreamJson, relayedUpstreamError } from './upstream-call.ts';
import { ensureSharedHome } from './index-admin.ts';

/** Auto ids like OpenSearch's: 20 characters of base64url. */
function autoId(): string {
  return randomBytes(15).toString('base64url');
}

/** URL parameters forwarded upstream; for shared placement `routing` is always the tenant's. */
export function upstreamQuery(ctx: OpContext, target: Target, drop: string[] = []): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, v] of ctx.query) {
    if (drop.includes(k)) continue;
    if (k === 'routing' && target.placement === 'shared') continue;
    q.append(k, v);
  }
  if (target.routing === 'tenant') q.set('routing', ctx.binding.tenant);
  return q;
}

/** Maps a write/get response's names back to the tenant's. */
export function mapDocResponse(body: JsonObject, target: Target, id: string, ctx: OpContext): JsonObject {
  const out: JsonObject = { ...body, _index: target.lindex, _id: id };
  delete out._routing;
  if (isObject(out._source)) out._source = stripReservedFields(out._source, ctx.services.config.tenancy.reserved_fields);
  if (isObject(out.get)) {
    const get: JsonObject = { ...out.get };
    delete get._routing;
    if (isObject(get._source)) get._source = stripReservedFields(get._source, ctx.services.config.tenancy.reserved_fields);
    out.get = get;
  }
  return out;
}

/** A stored document read back must carry this tenant's tags (defense in depth beyond the id). */
function belongsToTenant(ctx: OpContext, target: Target, source: Json | undefined): boolean {
  if (target.placement !== 'shared' || !isObject(source)) return true;
  const r = ctx.services.config.tenancy.reserved_fields;
  const t = source[r.tenant];
  const l = source[r.lindex];
  return (t === undefined || t === ctx.binding.tenant) && (l === undefined || l === target.lindex);
}

async function relay(ctx: OpContext, target: Target, status: number, body: Json | undefined, id: string, pid: string): Promise<void> {
  const head = ctx.method === 'HEAD';
  if (status >= 400 || !isObject(body)) {
    const mapped = relayedUpstreamError(ctx, status, body, [target], new Map([[pid, id]]));
    ctx.addBytesOut(sendJson(ctx.res, status, isObject(body) && body.error === undefined ? mapDocResponse(body, target, id, ctx) : mapped, {}, head));
    return;
  }
  ctx.addBytesOut(sendJson(ctx.res, status, mapDocResponse(body, target, id, ctx), {}, head));
}

/** `PUT/POST /{i}/_doc/{id}`, `POST /{i}/_doc`, `PUT/POST /{i}/_create/{id}`. */
export async function indexDoc(ctx: OpContext): Promise<void> {
  const lindex = singleIndex(ctx);
  const target = targetFor(ctx, lindex);
  let doc = (await objectBody(ctx, 'the document', true)) as JsonObject;
  const id = ctx.endpoint.id ?? autoId();
  const pid = encodeId(target, ctx.binding.tenant, id);
  // Reserved names are refused in every placement, so a tenant's documents can always move to shared.
  const reserved = ctx.services.config.tenancy.reserved_fields;
  assertNoReservedFields(doc, reserved, 'document');
  if (target.placement === 'shared') doc = injectReservedFields(doc, ctx.binding.tenant, lindex, reserved);
  const create = ctx.endpoint.spec.name === 'doc_create' || ctx.endpoint.id === undefined;
  await ensureSharedHome(ctx, target);
  await ctx.services.registry.register(ctx.binding.tenant, lindex);
  explainTarget(ctx, target);
  const res = await callUpstream(ctx, clusterFor(ctx, target), {
    method: 'PUT',
    path: `/${encodeURIComponent(target.physicalIndex)}/${create ? '_create' : '_doc'}/${encodeURIComponent(pid)}`,
    query: upstreamQuery(ctx, target, create ? ['op_type'] : []),
    body: JSON.stringify(doc),
    idempotent: false,
  });
  await relay(ctx, target, res.status, await readUpstreamJson(ctx, res), id, pid);
}

/** GET and DELETE of one document: its registered index's target, client and physical ids, upstream path. */
function existingDoc(ctx: OpContext): { target: Target; id: string; pid: string; path: string } {
  const lindex = singleIndex(ctx);
  if (!ctx.services.registry.has(ctx.binding.tenant, lindex)) throw indexNotFound(lindex);
  const target = targetFor(ctx, lindex);
  const id = ctx.endpoint.id as string;
  const pid = encodeId(target, ctx.binding.tenant, id);
  explainTarget(ctx, target);
  return { target, id, pid, path: `/${encodeURIComponent(target.physicalIndex)}/_doc/${encodeURIComponent(pid)}` };
}

/** `GET/HEAD /{i}/_doc/{id}` and `/{i}/_source/{id}`. */
export async function getDoc(ctx: OpContext): Promise<void> {
  const { target, id, pid, path } = existingDoc(ctx);
  const sourceOnly = ctx.endpoint.spec.name === 'doc_source';
  // Always GET (even for HEAD): the tenant tags in the stored source are checked before answering.
  const res = await callUpstream(ctx, clusterFor(ctx, target), {
    method: 'GET',
    path,
    query: upstreamQuery(ctx, target),
  });
  const body = await readUpstreamJson(ctx, res);
  const foreign = isObject(body) && !belongsToTenant(ctx, target, body._source);
  if (foreign || (isObject(body) && body.found === false) || res.status === 404) {
    if (sourceOnly) throw new ProxyError(404, 'resource_not_found_exception', 'document_not_found', `Document not found [${target.lindex}]/[${id}]`);
    if (isObject(body) && body.error !== undefined && !foreign) return relay(ctx, target, res.status, body, id, pid);
    ctx.addBytesOut(sendJson(ctx.res, 404, { _index: target.lindex, _id: id, found: false }, {}, ctx.method === 'HEAD'));
    return;
  }
  if (res.status >= 400 || !isObject(body)) return relay(ctx, target, res.status, body, id, pid);
  if (sourceOnly) {
    const source = isObject(body._source) ? stripReservedFields(body._source, ctx.services.config.tenancy.reserved_fields) : {};
    ctx.addBytesOut(sendJson(ctx.res, 200, source, {}, ctx.method === 'HEAD'));
    return;
  }
  await relay(ctx, target, res.status, body, id, pid);
}

/** `DELETE /{i}/_doc/{id}`. */
export async function deleteDoc(ctx: OpContext): Promise<void> {
  const { target, id, pid, path } = existingDoc(ctx);
  const res = await callUpstream(ctx, clusterFor(ctx, target), {
    method: 'DELETE',
    path,
    query: upstreamQuery(ctx, target),
    idempotent: false,
  });
  await relay(ctx, target, res.status, await readUpstreamJson(ctx, res), id, pid);
}

/** The decoded id of a physical id read back from `target`, or a 502 if it is not this tenant's. */
export function logicalId(ctx: OpContext, target: Target, pid: string): string {
  const id = decodeId(target, ctx.binding.tenant, pid);
  if (id === undefined) throw new ProxyError(502, 'bad_gateway_exception', 'foreign_document', 'the upstream returned a document that does not belong to this tenant');
  return id;
}
