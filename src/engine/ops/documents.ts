import { randomBytes } from 'node:crypto';
import { EngineError } from '../errors.ts';
import { isObject, type Json, type JsonObject } from '../json.ts';
import type { EngineState } from '../store/engine-state.ts';
import type { IndexState } from '../store/index-state.ts';
import type { DocRecord } from '../store/shard.ts';
import { nextVersion, validateVersioning, type WriteConditions } from './versioning.ts';

export interface WriteResult {
  status: number;
  body: JsonObject;
  record?: DocRecord;
}

export function autoId(): string {
  return randomBytes(15).toString('base64url');
}

export function shardsHeader(idx: IndexState, successful = 1): JsonObject {
  return { total: 1 + idx.settings.numberOfReplicas, successful, failed: 0 };
}

export function validateId(id: string): void {
  if (Buffer.byteLength(id) > 512) {
    throw new EngineError(
      400,
      'action_request_validation_exception',
      `Validation Failed: 1: id [${id}] is too long, must be no longer than 512 bytes but was: ${Buffer.byteLength(id)};`,
    );
  }
  if (id === '') throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: an id must be provided if version type or value are set;');
}

export function requireSource(body: Json | undefined): JsonObject {
  if (!isObject(body)) {
    throw new EngineError(400, 'mapper_parsing_exception', 'failed to parse, document is empty');
  }
  return body;
}

/** IndexRequest.validate: checked before the target index is looked up (or created). */
export function validateIndexRequest(id: string | undefined, cond: WriteConditions): void {
  validateVersioning(cond);
  if (id !== undefined) validateId(id);
}

/** Index or create one document in a resolved index (the single-document and bulk `index`/`create` action). */
export function indexDocument(
  state: EngineState,
  idx: IndexState,
  id: string | undefined,
  source: JsonObject,
  routing: string | undefined,
  cond: WriteConditions,
): WriteResult {
  validateVersioning(cond);
  const docId = id ?? autoId();
  validateId(docId);
  state.mapDocument(idx, source, docId);
  const shard = idx.shardOf(docId, routing);
  const cur = shard.getWithTombstone(docId);
  const ctx = { id: docId, index: idx.name, shard: shard.num, uuid: idx.uuid };
  const version = nextVersion(cur, id === undefined ? { ...cond, opType: 'create' } : cond, ctx);
  const created = cur === undefined || cur.deleted;
  const record = state.writeDoc(idx, shard.num, {
    id: docId,
    source,
    version,
    seqNo: shard.nextSeqNo(),
    primaryTerm: idx.primaryTerm,
    routing,
    deleted: false,
  });
  return {
    status: created ? 201 : 200,
    record,
    body: writeBody(idx, record, created ? 'created' : 'updated'),
  };
}

export function writeBody(idx: IndexState, r: DocRecord, result: string): JsonObject {
  return {
    _index: idx.name,
    _id: r.id,
    _version: r.version,
    result,
    _shards: shardsHeader(idx),
    _seq_no: r.seqNo,
    _primary_term: r.primaryTerm,
  };
}

/** Deletes one document; 404 with result `not_found` when it is not there. */
export function deleteDocument(
  state: EngineState,
  idx: IndexState,
  id: string,
  routing: string | undefined,
  cond: WriteConditions,
): WriteResult {
  validateVersioning(cond);
  const shard = idx.shardOf(id, routing);
  const cur = shard.getWithTombstone(id);
  const live = cur !== undefined && !cur.deleted;
  const version = nextVersion(cur, cond, { id, index: idx.name, shard: shard.num, uuid: idx.uuid });
  if (!live && cond.versionType !== 'external' && cond.versionType !== 'external_gte') {
    const seqNo = state.burnSeqNo(idx, shard.num);
    return {
      status: 404,
      body: {
        _index: idx.name,
        _id: id,
        _version: cur?.version ?? 1,
        result: 'not_found',
        _shards: shardsHeader(idx),
        _seq_no: seqNo,
        _primary_term: idx.primaryTerm,
      },
    };
  }
  const record = state.writeDoc(idx, shard.num, {
    id,
    source: {},
    version,
    seqNo: shard.nextSeqNo(),
    primaryTerm: idx.primaryTerm,
    routing,
    deleted: true,
  });
  return { status: live ? 200 : 404, record, body: writeBody(idx, record, live ? 'deleted' : 'not_found') };
}

/** The realtime GET of one document. */
export function getDocument(idx: IndexState, id: string, routing: string | undefined): DocRecord | undefined {
  return idx.shardOf(id, routing).get(id);
}
