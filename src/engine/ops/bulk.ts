import { EngineError } from '../errors.ts';
import { isObject, type Json, type JsonObject } from '../json.ts';
import type { EngineState } from '../store/engine-state.ts';
import type { IndexState } from '../store/index-state.ts';
import { deleteDocument, indexDocument, requireSource, validateIndexRequest } from './documents.ts';
import { parseUpdateBody, updateDocument } from './update.ts';
import { validateVersioning, type WriteConditions } from './versioning.ts';

const ACTIONS = ['index', 'create', 'update', 'delete'] as const;
type BulkAction = (typeof ACTIONS)[number];

export interface BulkDefaults {
  index?: string;
  routing?: string;
  /** The URL's `require_alias`, for items that do not say. */
  requireAlias?: boolean;
}

interface BulkItem {
  action: BulkAction;
  meta: JsonObject;
  line: number;
  /** The raw source line for index/create/update (parsed per item, so a bad one fails only it). */
  doc?: string;
}

function malformed(line: number, detail: string): EngineError {
  return new EngineError(400, 'illegal_argument_exception', `Malformed action/metadata line [${line}], ${detail}`);
}

/** Splits the NDJSON body into action items; a bad action line fails the whole request. */
export function parseBulk(lines: string[]): BulkItem[] {
  const items: BulkItem[] = [];
  for (let i = 0; i < lines.length; i++) {
    let action: Json;
    try {
      action = JSON.parse(lines[i]) as Json;
    } catch {
      throw malformed(i + 1, 'expected START_OBJECT but found [VALUE_STRING]');
    }
    if (!isObject(action) || Object.keys(action).length !== 1) {
      throw malformed(i + 1, 'expected START_OBJECT or END_OBJECT but found [VALUE_STRING]');
    }
    const name = Object.keys(action)[0];
    if (!(ACTIONS as readonly string[]).includes(name)) {
      throw malformed(i + 1, `expected field [create], [delete], [index] or [update] but found [${name}]`);
    }
    const meta = action[name];
    if (!isObject(meta)) throw malformed(i + 1, 'expected START_OBJECT');
    const item: BulkItem = { action: name as BulkAction, meta, line: i + 1 };
    if (name !== 'delete') {
      if (i + 1 >= lines.length) throw new EngineError(400, 'illegal_argument_exception', 'The bulk request must be terminated by a newline [\\n]');
      item.doc = lines[++i];
    }
    items.push(item);
  }
  return items;
}

function metaString(meta: JsonObject, key: string): string | undefined {
  const v = meta[key];
  return v === undefined || v === null ? undefined : String(v);
}

function metaInt(meta: JsonObject, key: string): number | undefined {
  const v = meta[key];
  return typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : undefined;
}

function conditions(meta: JsonObject): WriteConditions {
  return {
    ifSeqNo: metaInt(meta, 'if_seq_no'),
    ifPrimaryTerm: metaInt(meta, 'if_primary_term'),
    version: metaInt(meta, 'version'),
    versionType: metaString(meta, 'version_type') as WriteConditions['versionType'],
  };
}

function parseDoc(raw: string | undefined): Json {
  try {
    return JSON.parse(raw ?? '') as Json;
  } catch {
    throw new EngineError(400, 'mapper_parsing_exception', 'failed to parse');
  }
}

/** An action line's `require_alias` (a boolean, or its string form), else the request's. */
function metaRequireAlias(meta: JsonObject, fallback: boolean): boolean {
  const v = meta.require_alias;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  return fallback;
}

/** Where an item failed: before its index was resolved, or at (or on the way to) that index. */
interface ItemProgress {
  idx?: IndexState;
  /** The failure came from the shard operation (its error carries the shard). */
  atShard: boolean;
}

interface ItemResult {
  status: number;
  body: JsonObject;
  idx: IndexState;
}

function runItem(state: EngineState, item: BulkItem, defaults: BulkDefaults, progress: ItemProgress): ItemResult {
  const index = metaString(item.meta, '_index') ?? defaults.index;
  if (index === undefined) {
    throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: index is missing;');
  }
  const id = metaString(item.meta, '_id');
  const requested = metaString(item.meta, 'routing') ?? metaString(item.meta, '_routing') ?? defaults.routing;
  const cond = conditions(item.meta);
  // DeleteRequest has no require_alias; the others take the action line's, else the URL's.
  const requireAlias = item.action !== 'delete' && metaRequireAlias(item.meta, defaults.requireAlias === true);
  const resolve = (create: boolean): { idx: IndexState; routing: string | undefined } => {
    const idx = state.writeTarget(index, { requireAlias, create });
    progress.idx = idx;
    const routing = state.lookup.routing(index, requested, true);
    progress.atShard = true;
    return { idx, routing };
  };
  if (item.action === 'delete') {
    if (id === undefined) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: id is missing;');
    validateVersioning(cond);
    // A delete creates a missing index only with external versioning (TransportBulkAction).
    const { idx, routing } = resolve(cond.versionType === 'external' || cond.versionType === 'external_gte');
    return { ...deleteDocument(state, idx, id, routing, cond), idx };
  }
  if (item.action === 'update') {
    if (id === undefined) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: id is missing;');
    const body = parseUpdateBody(parseDoc(item.doc));
    const { idx, routing } = resolve(true);
    return { ...updateDocument(state, { index: idx, id, body, routing, cond: { ifSeqNo: cond.ifSeqNo, ifPrimaryTerm: cond.ifPrimaryTerm } }), idx };
  }
  if (item.action === 'create') cond.opType = 'create';
  const source = requireSource(parseDoc(item.doc));
  validateIndexRequest(id, cond);
  const { idx, routing } = resolve(true);
  return { ...indexDocument(state, idx, id, source, routing, cond), idx };
}

export interface BulkOutcome {
  body: JsonObject;
  touched: IndexState[];
}

/** Executes a bulk request item by item; one item's failure never fails another. */
export function executeBulk(state: EngineState, lines: string[], defaults: BulkDefaults): BulkOutcome {
  const started = Date.now();
  const items = parseBulk(lines);
  const results: JsonObject[] = [];
  const touched = new Map<string, IndexState>();
  let errors = false;
  for (const item of items) {
    const index = metaString(item.meta, '_index') ?? defaults.index ?? '';
    const progress: ItemProgress = { atShard: false };
    try {
      const res = runItem(state, item, defaults, progress);
      touched.set(res.idx.name, res.idx);
      const { get: _get, ...rest } = res.body;
      results.push({ [item.action]: { ...rest, status: res.status } });
      if (res.status >= 400 && res.body.result !== 'not_found') errors = true;
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
      errors = true;
      results.push({ [item.action]: itemError(index, progress, metaString(item.meta, '_id'), e) });
    }
  }
  return { body: { took: Date.now() - started, errors, items: results }, touched: [...touched.values()] };
}

/**
 * BulkItemResponse.Failure: a failure before the index was resolved names the index as requested
 * (an alias, a missing index); later ones name the concrete index, and shard failures carry the shard.
 */
function itemError(index: string, progress: ItemProgress, id: string | undefined, e: EngineError): JsonObject {
  const idx = progress.idx;
  const error: JsonObject = e.toCauseObject();
  if (idx !== undefined && progress.atShard) {
    error.index = idx.name;
    error.index_uuid ??= idx.uuid;
    error.shard ??= '0';
  }
  const out: JsonObject = { _index: idx?.name ?? index, status: e.status, error };
  if (id !== undefined) out._id = id;
  return out;
}
