import { EngineError } from '../errors.ts';
import type { Json, JsonObject } from '../json.ts';
import { compileScript } from '../script/index.ts';
import { matchingDocs } from '../search/index.ts';
import type { SearchableDoc, SearchableIndex } from '../search/types.ts';
import type { EngineState } from '../store/engine-state.ts';
import type { IndexState } from '../store/index-state.ts';
import { deleteDocument, indexDocument } from './documents.ts';

/** AbstractBulkByScrollRequest.DEFAULT_SCROLL_SIZE. */
export const DEFAULT_SCROLL_SIZE = 1000;

export interface ByQueryRequest {
  kind: 'delete' | 'update';
  indices: IndexState[];
  views: SearchableIndex[];
  query: Json | undefined;
  script?: Json;
  maxDocs?: number;
  proceedOnConflict: boolean;
  /** Documents per scroll batch; each batch is executed as one bulk request. */
  scrollSize: number;
}

/** WorkerBulkByScrollTaskState's counters. */
interface Counters {
  updated: number;
  deleted: number;
  noops: number;
  batches: number;
  versionConflicts: number;
}

export interface ByQueryOutcome {
  status: number;
  body: JsonObject;
  /** Indexes written to (the ones `refresh=true` refreshes at the end). */
  touched: IndexState[];
}

type Script = ReturnType<typeof compileScript>;

/** A bulk item failure as BulkItemResponse.Failure renders it in by-query responses. */
function failureOf(idx: IndexState, id: string, e: EngineError): JsonObject {
  return { index: idx.name, id, cause: e.toCauseObject(), status: e.status };
}

/** The write a hit turns into: the script runs on the hit's (snapshot) source, as the scroll gave it. */
function plan(idx: IndexState, doc: SearchableDoc, req: ByQueryRequest, script: Script | undefined): 'delete' | 'noop' | JsonObject {
  if (req.kind === 'delete') return 'delete';
  if (script === undefined) return doc.source;
  const ctx = {
    _source: structuredClone(doc.source), op: 'index', _id: doc.id, _index: idx.name, _version: doc.version,
    _seq_no: doc.seqNo, _primary_term: doc.primaryTerm, _routing: doc.routing ?? null, _now: Date.now(),
  };
  script.run(ctx);
  if (ctx.op === 'noop' || ctx.op === 'none') return 'noop';
  if (ctx.op === 'delete') return 'delete';
  if (ctx.op !== 'index') throw new EngineError(400, 'illegal_argument_exception', `Invalid op [${ctx.op}]`);
  return ctx._source;
}

/**
 * Executes one batch like a bulk request of compare-and-write operations (`if_seq_no`/`if_primary_term`
 * of each hit): every item runs; the failures are returned, version conflicts counted.
 */
function executeBatch(state: EngineState, req: ByQueryRequest, batch: SearchableDoc[], script: Script | undefined, c: Counters, touched: Set<IndexState>): JsonObject[] {
  const byName = new Map(req.indices.map((i) => [i.name, i]));
  const failures: JsonObject[] = [];
  for (const doc of batch) {
    const idx = byName.get(doc.index);
    if (idx === undefined || state.get(idx.name) !== idx) continue;
    const action = plan(idx, doc, req, script);
    if (action === 'noop') {
      c.noops++;
      continue;
    }
    const cond = { ifSeqNo: doc.seqNo, ifPrimaryTerm: doc.primaryTerm };
    try {
      if (action === 'delete') {
        deleteDocument(state, idx, doc.id, doc.routing, cond);
        c.deleted++;
      } else {
        indexDocument(state, idx, doc.id, action, doc.routing, cond);
        c.updated++;
      }
      touched.add(idx);
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
      if (e.status === 409) {
        c.versionConflicts++;
        if (req.proceedOnConflict) continue;
      }
      failures.push(failureOf(idx, doc.id, e));
    }
  }
  return failures;
}

/**
 * `_delete_by_query` / `_update_by_query` as OpenSearch's AbstractAsyncBulkByScrollAction runs them:
 * a scroll over the last refreshed view, `scroll_size` hits per batch, each batch one bulk. A batch
 * with failures (a version conflict counts unless `conflicts=proceed`) ends the request after that
 * batch; `max_docs` truncates each batch to what is left and stops once that many were processed.
 */
export function executeByQuery(state: EngineState, req: ByQueryRequest): ByQueryOutcome {
  const started = Date.now();
  const script = req.script === undefined ? undefined : compileScript(req.script);
  const docs = matchingDocs(req.views, req.query);
  const c: Counters = { updated: 0, deleted: 0, noops: 0, batches: 0, versionConflicts: 0 };
  const touched = new Set<IndexState>();
  const processed = (): number => c.updated + c.deleted;
  let failures: JsonObject[] = [];
  for (let start = 0; start < docs.length; start += req.scrollSize) {
    c.batches++;
    let batch = docs.slice(start, start + req.scrollSize);
    if (req.maxDocs !== undefined) batch = batch.slice(0, Math.max(0, req.maxDocs - processed()));
    failures = executeBatch(state, req, batch, script, c, touched);
    if (failures.length > 0) break;
    if (req.maxDocs !== undefined && processed() >= req.maxDocs) break;
  }
  const body: JsonObject = {
    took: Date.now() - started,
    timed_out: false,
    total: req.maxDocs === undefined ? docs.length : Math.min(docs.length, req.maxDocs),
    ...(req.kind === 'update' ? { updated: c.updated } : {}),
    deleted: c.deleted,
    batches: c.batches,
    version_conflicts: c.versionConflicts,
    noops: c.noops,
    retries: { bulk: 0, search: 0 },
    throttled_millis: 0,
    requests_per_second: -1.0,
    throttled_until_millis: 0,
    failures,
  };
  // BulkIndexByScrollResponseContentListener: the highest status among the failures, else 200.
  const status = failures.reduce((s, f) => Math.max(s, typeof f.status === 'number' ? f.status : 0), 200);
  return { status, body, touched: [...touched] };
}

export function parseConflicts(v: Json | undefined): boolean {
  if (v === undefined || v === 'abort') return false;
  if (v === 'proceed') return true;
  throw new EngineError(400, 'illegal_argument_exception', `conflicts may only be "proceed" or "abort" but was [${String(v)}]`);
}
