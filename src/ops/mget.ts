import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { validationFailed } from '../http/errors.ts';
import { jsonReply, type Reply } from '../http/reply.ts';
import { encodeId, type Target } from '../tenancy/index.ts';
import { tenantSource } from './doc-response.ts';
import type { OpContext } from './context.ts';
import { objectBody } from './json-body.ts';
import { clusterFor } from './targets.ts';
import { callUpstream, readUpstreamJson } from './upstream-call.ts';

interface DocRef {
  lindex: string;
  id: string;
  target?: Target;
  pid?: string;
  source?: Json;
}

function refsOf(ctx: OpContext, body: JsonObject): DocRef[] {
  const fallback = ctx.scope.defaultIndex();
  if (Array.isArray(body.ids)) {
    if (fallback === undefined) throw validationFailed('index_missing', 'Validation Failed: 1: index is missing for doc 0;');
    return body.ids.map((id) => ({ lindex: fallback, id: String(id) }));
  }
  if (!Array.isArray(body.docs) || body.docs.length === 0) {
    throw validationFailed('no_documents', 'Validation Failed: 1: no documents to get;');
  }
  return body.docs.map((d, i) => {
    const doc = isObject(d) ? d : {};
    const lindex = typeof doc._index === 'string' ? doc._index : fallback;
    if (lindex === undefined || doc._id === undefined) {
      throw validationFailed('doc_incomplete', `Validation Failed: 1: index or id is missing for doc ${i};`);
    }
    return { lindex, id: String(doc._id), source: doc._source };
  });
}

function upstreamDoc(ctx: OpContext, ref: DocRef): JsonObject {
  const target = ref.target as Target;
  const doc: JsonObject = { _index: target.physicalIndex, _id: ref.pid as string };
  if (target.routing === 'tenant') doc.routing = ctx.scope.tenant;
  if (ref.source !== undefined) doc._source = ref.source;
  return doc;
}

function mapDoc(ctx: OpContext, ref: DocRef, up: Json | undefined): JsonObject {
  if (!isObject(up) || up.found !== true) return { _index: ref.lindex, _id: ref.id, found: false };
  const out: JsonObject = { ...up, _index: ref.lindex, _id: ref.id };
  delete out._routing;
  if (isObject(out._source) && ref.target !== undefined) out._source = tenantSource(ctx, ref.target, out._source);
  return out;
}

/** `GET/POST /_mget`, `/{i}/_mget`: one upstream `_mget` per cluster, docs back in request order. */
export async function mget(ctx: OpContext): Promise<Reply> {
  const body = (await objectBody(ctx, 'the mget request', true)) as JsonObject;
  const refs = refsOf(ctx, body);
  const out: JsonObject[] = new Array<JsonObject>(refs.length);
  const byCluster = new Map<string, number[]>();
  refs.forEach((ref, pos) => {
    if (!ctx.scope.has(ref.lindex)) {
      out[pos] = { _index: ref.lindex, _id: ref.id, error: { root_cause: [{ type: 'index_not_found_exception', reason: `no such index [${ref.lindex}]` }], type: 'index_not_found_exception', reason: `no such index [${ref.lindex}]` } };
      return;
    }
    ref.target = ctx.scope.target(ref.lindex);
    ref.pid = encodeId(ref.target, ctx.scope.tenant, ref.id);
    byCluster.set(ref.target.cluster, [...(byCluster.get(ref.target.cluster) ?? []), pos]);
  });
  for (const positions of byCluster.values()) {
    const first = refs[positions[0]].target as Target;
    const res = await callUpstream(ctx, clusterFor(ctx, first), {
      method: 'POST',
      path: '/_mget',
      body: JSON.stringify({ docs: positions.map((p) => upstreamDoc(ctx, refs[p])) }),
      idempotent: true,
    });
    const answer = await readUpstreamJson(ctx, res);
    const docs = isObject(answer) && Array.isArray(answer.docs) ? answer.docs : [];
    positions.forEach((p, i) => (out[p] = mapDoc(ctx, refs[p], docs[i])));
  }
  return jsonReply(200, { docs: out });
}
