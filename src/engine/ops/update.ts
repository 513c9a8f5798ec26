import { EngineError } from '../errors.ts';
import { isObject, type Json, type JsonObject } from '../json.ts';
import { compileScript } from '../script/index.ts';
import type { EngineState } from '../store/engine-state.ts';
import type { IndexState } from '../store/index-state.ts';
import { deleteDocument, indexDocument, writeBody, type WriteResult } from './documents.ts';
import type { WriteConditions } from './versioning.ts';

const UPDATE_KEYS = new Set(['doc', 'upsert', 'doc_as_upsert', 'scripted_upsert', 'script', 'detect_noop', '_source']);

export interface UpdateRequest {
  /** The resolved target (the alias's write index when addressed through an alias). */
  index: IndexState;
  id: string;
  /** The body, checked by parseUpdateBody before the target was resolved. */
  body: JsonObject;
  routing?: string;
  cond: WriteConditions;
  retryOnConflict?: number;
}

/** Deep-merges `doc` into `target` like OpenSearch's XContentHelper.update; true if anything changed. */
export function mergeDoc(target: JsonObject, doc: JsonObject): boolean {
  let changed = false;
  for (const [key, value] of Object.entries(doc)) {
    const cur = target[key];
    if (isObject(cur) && isObject(value)) {
      changed = mergeDoc(cur, value) || changed;
    } else if (JSON.stringify(cur) !== JSON.stringify(value)) {
      target[key] = structuredClone(value);
      changed = true;
    }
  }
  return changed;
}

/** UpdateRequest parsing and validation: done before the target index is looked up. */
export function parseUpdateBody(body: Json | undefined): JsonObject {
  if (!isObject(body)) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: script or doc is missing;');
  for (const key of Object.keys(body)) {
    if (!UPDATE_KEYS.has(key)) throw new EngineError(400, 'x_content_parse_exception', `[1:2] [UpdateRequest] unknown field [${key}]`);
  }
  if (body.doc === undefined && body.script === undefined) {
    throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: script or doc is missing;');
  }
  if (body.doc !== undefined && body.script !== undefined) {
    throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: can\'t provide both script and doc;');
  }
  if (body.doc !== undefined && !isObject(body.doc)) throw new EngineError(400, 'x_content_parse_exception', '[1:8] [UpdateRequest] failed to parse field [doc]');
  return body;
}

function missing(req: UpdateRequest, shard: number): EngineError {
  return new EngineError(404, 'document_missing_exception', `[${req.id}]: document missing`, {
    index_uuid: req.index.uuid,
    shard: String(shard),
    index: req.index.name,
  });
}

/** Partial update (doc merge, script, upsert), answering like POST /{index}/_update/{id}. */
export function updateDocument(state: EngineState, req: UpdateRequest): WriteResult {
  const body = req.body;
  const idx = req.index;
  const shard = idx.shardOf(req.id, req.routing);
  const cur = shard.get(req.id);
  const write = (source: JsonObject, cond: WriteConditions): WriteResult =>
    indexDocument(state, idx, req.id, source, req.routing, cond);
  if (cur === undefined) {
    const upsert = body.doc_as_upsert === true ? body.doc : body.upsert;
    if (!isObject(upsert)) throw missing(req, shard.num);
    let source = structuredClone(upsert);
    if (body.scripted_upsert === true && body.script !== undefined) {
      const ctx = { _source: source, op: 'create' };
      compileScript(body.script).run(ctx);
      if (ctx.op === 'none' || ctx.op === 'noop') return noopResult(req);
      source = ctx._source;
    }
    const res = write(source, { ...req.cond, opType: 'create' });
    return withGet(res, body);
  }
  const cond: WriteConditions = { ifSeqNo: req.cond.ifSeqNo, ifPrimaryTerm: req.cond.ifPrimaryTerm };
  if (body.script !== undefined) {
    const ctx = { _source: structuredClone(cur.source), op: 'index', _id: cur.id, _index: idx.name, _version: cur.version, _now: Date.now() };
    compileScript(body.script).run(ctx);
    if (ctx.op === 'none' || ctx.op === 'noop') return noopResult(req);
    if (ctx.op === 'delete') return withGet(deleteDocument(state, idx, req.id, req.routing, cond), body, true);
    if (ctx.op !== 'index') {
      throw new EngineError(400, 'illegal_argument_exception', `Operation type [${ctx.op}] not allowed, only [noop, index, delete] are allowed`);
    }
    return withGet(write(ctx._source, cond), body);
  }
  const merged = structuredClone(cur.source);
  const changed = mergeDoc(merged, body.doc as JsonObject);
  if (!changed && body.detect_noop !== false) return noopResult(req);
  return withGet(write(merged, cond), body);
}

function noopResult(req: UpdateRequest): WriteResult {
  const idx = req.index;
  const cur = idx.shardOf(req.id, req.routing).get(req.id);
  const body: JsonObject = cur === undefined
    ? { _index: idx.name, _id: req.id, _version: 0, result: 'noop', _shards: { total: 0, successful: 0, failed: 0 } }
    : { ...writeBody(idx, cur, 'noop'), _shards: { total: 0, successful: 0, failed: 0 } };
  return { status: 200, body, record: cur };
}

/** Adds the `get` section when the request asked for `_source` back. */
function withGet(res: WriteResult, body: JsonObject, deleted = false): WriteResult {
  const wantSource = body._source;
  if (wantSource === undefined || wantSource === false || res.record === undefined || deleted) return res;
  const r = res.record;
  res.body.get = { _seq_no: r.seqNo, _primary_term: r.primaryTerm, found: true, _source: r.source };
  return res;
}
