import { EngineError } from '../errors.ts';
import type { DocRecord } from '../store/shard.ts';

/** Concurrency-control parameters of a write. */
export interface WriteConditions {
  opType?: 'index' | 'create';
  ifSeqNo?: number;
  ifPrimaryTerm?: number;
  version?: number;
  versionType?: 'internal' | 'external' | 'external_gte';
}

function conflict(id: string, index: string, shard: number, uuid: string, reason: string): EngineError {
  return new EngineError(409, 'version_conflict_engine_exception', `[${id}]: version conflict, ${reason}`, {
    index_uuid: uuid,
    shard: String(shard),
    index,
  });
}

export interface ConflictContext {
  id: string;
  index: string;
  shard: number;
  uuid: string;
}

/**
 * Checks a write against the current record and returns the version the new record gets,
 * or throws the 409 OpenSearch answers.
 */
export function nextVersion(cur: DocRecord | undefined, c: WriteConditions, ctx: ConflictContext): number {
  const live = cur !== undefined && !cur.deleted ? cur : undefined;
  const fail = (reason: string): never => {
    throw conflict(ctx.id, ctx.index, ctx.shard, ctx.uuid, reason);
  };
  if (c.opType === 'create' && live !== undefined) fail(`document already exists (current version [${live.version}])`);
  if (c.ifSeqNo !== undefined || c.ifPrimaryTerm !== undefined) {
    const want = `required seqNo [${c.ifSeqNo}], primary term [${c.ifPrimaryTerm}]`;
    if (live === undefined) fail(`${want}. but no document was found`);
    else if (live.seqNo !== c.ifSeqNo || live.primaryTerm !== c.ifPrimaryTerm) {
      fail(`${want}. current document has seqNo [${live.seqNo}] and primary term [${live.primaryTerm}]`);
    }
  }
  const type = c.versionType ?? 'internal';
  if (type === 'internal') return cur === undefined ? 1 : cur.version + 1;
  const v = c.version as number;
  if (cur !== undefined) {
    const tooLow = type === 'external' ? cur.version >= v : cur.version > v;
    if (tooLow) fail(`current version [${cur.version}] is higher or equal to the one provided [${v}]`);
  }
  return v;
}

/** Validates version/version_type parameters up front (400 like OpenSearch). */
export function validateVersioning(c: WriteConditions): void {
  const type = c.versionType ?? 'internal';
  if (type === 'internal' && c.version !== undefined) {
    throw new EngineError(
      400,
      'action_request_validation_exception',
      'Validation Failed: 1: internal versioning can not be used for optimistic concurrency control. Please use `if_seq_no` and `if_primary_term` instead;',
    );
  }
  if (type !== 'internal' && c.version === undefined) {
    throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: an explicit version is required;');
  }
  if (type !== 'internal' && (c.ifSeqNo !== undefined || c.ifPrimaryTerm !== undefined)) {
    throw new EngineError(
      400,
      'action_request_validation_exception',
      'Validation Failed: 1: compare and write operations can not use versioning;',
    );
  }
  if ((c.ifSeqNo === undefined) !== (c.ifPrimaryTerm === undefined)) {
    throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: ifSeqNo is set, but primary term is [0];');
  }
}
