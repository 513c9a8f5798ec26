import { EngineError } from '../errors.ts';
import type { Json, JsonObject } from '../json.ts';
import { compileScript } from '../script/index.ts';
import { matchingDocs } from '../search/index.ts';
import type { SearchableDoc, SearchableIndex } from '../search/types.ts';
import type { EngineState } from '../store/engine-state.ts';
import type { IndexState } from '../store/index-state.ts';

export interface ByQueryRequest {
  kind: 'delete' | 'update';
  indices: IndexState[];
  views: SearchableIndex[];
  query: Json | undefined;
  script?: Json;
  maxDocs?: number;
  proceedOnConflict: boolean;
}

interface Tally {
  total: number;
  done: number;
  noops: number;
  conflicts: number;
  failures: JsonObject[];
}

function conflictFailure(idx: IndexState, doc: SearchableDoc, currentVersion: number | undefined): JsonObject {
  const reason = currentVersion === undefined
    ? `[${doc.id}]: version conflict, required seqNo [${doc.seqNo}], primary term [${doc.primaryTerm}]. but no document was found`
    : `[${doc.id}]: version conflict, required seqNo [${doc.seqNo}], primary term [${doc.primaryTerm}]. current document has seqNo [${currentVersion}] and primary term [${idx.primaryTerm}]`;
  return {
    index: idx.name,
    id: doc.id,
    cause: { type: 'version_conflict_engine_exception', reason, index: idx.name, shard: String(doc.shard), index_uuid: idx.uuid },
    status: 409,
  };
}

/** Applies the delete or update to one matched doc; false if it changed since the snapshot. */
function applyOne(state: EngineState, idx: IndexState, doc: SearchableDoc, req: ByQueryRequest, tally: Tally): boolean {
  const shard = idx.shards[doc.shard];
  const cur = shard.get(doc.id);
  if (cur === undefined || cur.seqNo !== doc.seqNo) {
    tally.conflicts++;
    tally.failures.push(conflictFailure(idx, doc, cur?.seqNo));
    return false;
  }
  const base = { id: doc.id, seqNo: shard.nextSeqNo(), primaryTerm: idx.primaryTerm, routing: cur.routing, version: cur.version + 1 };
  if (req.kind === 'delete') {
    state.writeDoc(idx, doc.shard, { ...base, source: {}, deleted: true });
    tally.done++;
    return true;
  }
  let source = cur.source;
  if (req.script !== undefined) {
    const ctx = { _source: structuredClone(cur.source), op: 'index', _id: cur.id, _index: idx.name, _version: cur.version, _now: Date.now() };
    compileScript(req.script).run(ctx);
    if (ctx.op === 'noop' || ctx.op === 'none') {
      tally.noops++;
      return true;
    }
    if (ctx.op === 'delete') {
      state.writeDoc(idx, doc.shard, { ...base, source: {}, deleted: true });
      tally.done++;
      return true;
    }
    source = ctx._source;
    state.mapDocument(idx, source, doc.id);
  }
  state.writeDoc(idx, doc.shard, { ...base, source, deleted: false });
  tally.done++;
  return true;
}

/** `_delete_by_query` / `_update_by_query` over the last refreshed view, like OpenSearch's scroll+bulk. */
export function executeByQuery(state: EngineState, req: ByQueryRequest): { status: number; body: JsonObject } {
  const started = Date.now();
  if (req.script !== undefined) compileScript(req.script);
  let docs = matchingDocs(req.views, req.query);
  if (req.maxDocs !== undefined) docs = docs.slice(0, req.maxDocs);
  const tally: Tally = { total: docs.length, done: 0, noops: 0, conflicts: 0, failures: [] };
  const byName = new Map(req.indices.map((i) => [i.name, i]));
  for (const doc of docs) {
    const idx = byName.get(doc.index);
    if (idx === undefined || state.get(idx.name) !== idx) continue;
    const ok = applyOne(state, idx, doc, req, tally);
    if (!ok && !req.proceedOnConflict) break;
  }
  const body: JsonObject = {
    took: Date.now() - started,
    timed_out: false,
    total: tally.total,
    [req.kind === 'delete' ? 'deleted' : 'updated']: tally.done,
    batches: tally.total === 0 ? 0 : Math.ceil(tally.total / 1000),
    version_conflicts: tally.conflicts,
    noops: tally.noops,
    retries: { bulk: 0, search: 0 },
    throttled_millis: 0,
    requests_per_second: -1.0,
    throttled_until_millis: 0,
    failures: req.proceedOnConflict ? [] : tally.failures,
  };
  return { status: tally.failures.length > 0 && !req.proceedOnConflict ? 409 : 200, body };
}

export function parseConflicts(v: Json | undefined): boolean {
  if (v === undefined || v === 'abort') return false;
  if (v === 'proceed') return true;
  throw new EngineError(400, 'illegal_argument_exception', `conflicts may only be "proceed" or "abort" but was [${String(v)}]`);
}
