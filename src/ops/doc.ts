/** Single documents (SPEC §4.3): index, create, get, source, delete. */
import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { indexNotFound, notFound } from '../http/errors.ts';
import { jsonReply, type Reply } from '../http/reply.ts';
import { assertNoReservedFields, encodeId, type Target } from '../tenancy/index.ts';
import type { OpContext } from './context.ts';
import { mapDocResponse, tenantSource, upstreamQuery } from './doc-response.ts';
import { checkContentType, objectBody, utf8Text } from './json-body.ts';
import { registeredTarget, registerIndex } from './register-index.ts';
import { ensureSharedHome } from './shared-home.ts';
import { physicalDocumentBytesFor, physicalDocumentText } from './tenant-fields.ts';
import { assertWritable } from './write-fence.ts';
import { clusterFor, explainRewrite, explainTargets } from './targets.ts';
import { callUpstreamJson, relayedUpstreamError } from './upstream-call.ts';

/** Auto ids like OpenSearch's: 20 characters of base64url. */
function autoId(): string {
  return randomBytes(15).toString('base64url');
}

/** A stored document read back must carry this tenant's tags (defense in depth beyond the id). */
function belongsToTenant(ctx: OpContext, target: Target, source: Json | undefined): boolean {
  if (target.placement !== 'shared' || !isObject(source)) return true;
  const r = ctx.scope.reserved;
  const t = source[r.tenant];
  const l = source[r.lindex];
  return (t === undefined || t === ctx.scope.tenant) && (l === undefined || l === target.lindex);
}

function relay(ctx: OpContext, target: Target, status: number, body: Json | undefined, id: string, pid: string): Reply {
  if (status >= 400 || !isObject(body)) {
    const mapped = relayedUpstreamError(ctx, status, body, [target], new Map([[pid, id]]));
    return jsonReply(status, isObject(body) && body.error === undefined ? mapDocResponse(body, target, id, ctx) : mapped);
  }
  return jsonReply(status, mapDocResponse(body, target, id, ctx));
}

/** A document as sent upstream, and the target it is written to. */
interface Prepared {
  body: Buffer | string;
  target: Target;
}

/**
 * The common case from the body's bytes (physicalDocumentBytesFor): an index already registered
 * and a document the byte pass settles. Undefined sends the request the general way, which then
 * decides with its own errors; so does `rewrite` level, whose record needs the objects.
 */
function fromBytes(ctx: OpContext, resolved: Target, raw: Buffer, id: string): Prepared | undefined {
  // An empty or undecodable body: the general way's errors, in its order (an empty body is `body_required` whatever its type).
  if (ctx.recordsRewrite || raw.length === 0 || !isUtf8(raw)) return undefined;
  checkContentType(ctx);
  const target = registeredTarget(ctx, resolved);
  const body = target === undefined ? undefined : physicalDocumentBytesFor(ctx, target, raw, id);
  if (target === undefined || body === undefined) return undefined;
  encodeId(resolved, ctx.scope.tenant, id); // an invalid id is refused (the byte pass found the body valid)
  return { body, target };
}

/** The general way: the body parsed, checked, its index registered, its new fields mapped. */
async function fromObject(ctx: OpContext, resolved: Target, id: string): Promise<Prepared> {
  const doc = (await objectBody(ctx, 'the document', true)) as JsonObject;
  const text = utf8Text(await ctx.body()); // decoded again: cheaper than re-serialising the object
  encodeId(resolved, ctx.scope.tenant, id); // an invalid id is refused before anything is created
  // Reserved names are refused in every placement, so a tenant's documents can always move to shared.
  assertNoReservedFields(doc, ctx.scope.reserved, 'document');
  const { target: registered } = await registerIndex(ctx, resolved);
  const { text: body, target } = await physicalDocumentText(ctx, registered, doc, text, id, 'document');
  if (ctx.recordsRewrite) explainRewrite(ctx, doc, JSON.parse(body) as Json);
  return { body, target };
}

/** `PUT/POST /{i}/_doc/{id}`, `POST /{i}/_doc`, `PUT/POST /{i}/_create/{id}`. */
export async function indexDoc(ctx: OpContext): Promise<Reply> {
  const resolved = ctx.scope.one().target;
  const id = ctx.endpoint.id ?? autoId();
  const create = ctx.endpoint.spec.name === 'doc_create' || ctx.endpoint.id === undefined;
  const { body, target } = fromBytes(ctx, resolved, await ctx.body(), id) ?? (await fromObject(ctx, resolved, id));
  const pid = encodeId(target, ctx.scope.tenant, id);
  await ensureSharedHome(ctx, target);
  explainTargets(ctx, [target]);
  assertWritable(ctx, target);
  const res = await callUpstreamJson(ctx, clusterFor(ctx, target), {
    method: 'PUT',
    path: `/${encodeURIComponent(target.physicalIndex)}/${create ? '_create' : '_doc'}/${encodeURIComponent(pid)}`,
    query: upstreamQuery(ctx, target, create ? ['op_type'] : []),
    body,
    idempotent: false,
  });
  return relay(ctx, target, res.status, res.body, id, pid);
}

/** GET and DELETE of one document: its registered index's target, client and physical ids, upstream path. */
function existingDoc(ctx: OpContext): { target: Target; id: string; pid: string; path: string } {
  const { lindex, target } = ctx.scope.one();
  if (!ctx.scope.has(lindex)) throw indexNotFound(lindex);
  const id = ctx.endpoint.id as string;
  const pid = encodeId(target, ctx.scope.tenant, id);
  explainTargets(ctx, [target]);
  return { target, id, pid, path: `/${encodeURIComponent(target.physicalIndex)}/_doc/${encodeURIComponent(pid)}` };
}

/** `GET/HEAD /{i}/_doc/{id}` and `/{i}/_source/{id}`. */
export async function getDoc(ctx: OpContext): Promise<Reply> {
  const { target, id, pid, path } = existingDoc(ctx);
  const sourceOnly = ctx.endpoint.spec.name === 'doc_source';
  // Always GET (even for HEAD): the tenant tags in the stored source are checked before answering.
  const res = await callUpstreamJson(ctx, clusterFor(ctx, target), { method: 'GET', path, query: upstreamQuery(ctx, target) });
  const body = res.body;
  const foreign = isObject(body) && !belongsToTenant(ctx, target, body._source);
  if (foreign || (isObject(body) && body.found === false) || res.status === 404) {
    if (sourceOnly) throw notFound('resource_not_found_exception', 'document_not_found', `Document not found [${target.lindex}]/[${id}]`);
    if (isObject(body) && body.error !== undefined && !foreign) return relay(ctx, target, res.status, body, id, pid);
    return jsonReply(404, { _index: target.lindex, _id: id, found: false });
  }
  if (res.status >= 400 || !isObject(body)) return relay(ctx, target, res.status, body, id, pid);
  if (sourceOnly) return jsonReply(200, isObject(body._source) ? tenantSource(ctx, target, body._source) : {});
  return relay(ctx, target, res.status, body, id, pid);
}

/** `DELETE /{i}/_doc/{id}`. */
export async function deleteDoc(ctx: OpContext): Promise<Reply> {
  const { target, id, pid, path } = existingDoc(ctx);
  assertWritable(ctx, target);
  const res = await callUpstreamJson(ctx, clusterFor(ctx, target), { method: 'DELETE', path, query: upstreamQuery(ctx, target), idempotent: false });
  return relay(ctx, target, res.status, res.body, id, pid);
}
