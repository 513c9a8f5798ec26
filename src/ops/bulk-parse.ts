/** `_bulk` items: action-line parsing, per-item tenancy rewrite, per-item answers. */
import { randomBytes } from 'node:crypto';
import { isObject, MAX_JSON_DEPTH, nestsDeeperThan, type Json, type JsonObject } from '../core/json.ts';
import { asClientError, badGateway, errorBody, illegalArgument, OsproxyError, validationFailed } from '../http/errors.ts';
import { assertNoReservedFields, encodeId, type Target } from '../tenancy/index.ts';
import { tenantSource } from './doc-response.ts';
import type { OpContext } from './context.ts';
import { utf8Text } from './json-body.ts';
import { registerIndex } from './register-index.ts';
import { physicalDocumentBytesFor, physicalDocumentText } from './tenant-fields.ts';
import { checkDedicatedUpdate, checkSharedUpdate, sharedUpdateBody, stampDedicatedUpdate } from './update-body.ts';
import { isLayoutKey, keptAsItIs, mapUpstreamError } from './upstream-call.ts';

export const ACTIONS = ['index', 'create', 'update', 'delete'] as const;
export type Action = (typeof ACTIONS)[number];
/** Action metadata a tenant may set; `_index`/`_id`/`routing` are rewritten, the rest forwarded. */
const META_KEYS = new Set(['_index', '_id', 'routing', 'if_seq_no', 'if_primary_term', 'version', 'version_type', 'retry_on_conflict', '_source']);

export interface Item {
  action: Action;
  lindex: string;
  id?: string;
  target?: Target;
  pid?: string;
  /** The item's NDJSON lines as sent upstream, each followed by a newline; bytes may hold more than one (the hot path writes the action and document lines as one buffer). */
  lines?: (string | Buffer)[];
  error?: OsproxyError;
}

export function malformed(line: number, detail: string): OsproxyError {
  return illegalArgument('malformed_bulk', `Malformed action/metadata line [${line}], ${detail}`);
}

/** One NDJSON line parsed; undefined when malformed or nested too deep to handle safely. */
export function parseLine(line: string): Json | undefined {
  if (nestsDeeperThan(line, MAX_JSON_DEPTH)) return undefined;
  try {
    return JSON.parse(line) as Json;
  } catch {
    return undefined;
  }
}

export interface ParsedAction {
  action: Action;
  meta: JsonObject;
  /** The document line's bytes (valid UTF-8, checked by the reader). */
  doc?: Buffer;
  lineNo: number;
}

/** Parses one action line; a bad action line fails the request like OpenSearch (throws). */
export function parseAction(text: string, lineNo: number): ParsedAction {
  const parsed = parseLine(text);
  if (!isObject(parsed) || Object.keys(parsed).length !== 1) throw malformed(lineNo, 'expected one action object');
  const action = Object.keys(parsed)[0];
  if (!(ACTIONS as readonly string[]).includes(action)) throw malformed(lineNo, `expected field [create], [delete], [index] or [update] but found [${action}]`);
  const meta = parsed[action];
  if (!isObject(meta)) throw malformed(lineNo, 'expected START_OBJECT');
  return { action: action as Action, meta, lineNo };
}

/** Whether a line looks like an action line (used to resynchronise after an over-long line). */
export function looksLikeAction(text: string): boolean {
  try {
    parseAction(text, 0);
    return true;
  } catch {
    return false;
  }
}

/** The current target of each logical index of one bulk request: registered once, updated as fields are added. */
export class BulkTargets {
  private readonly known = new Map<string, Target>();
  private readonly registering = new Map<string, Promise<Target>>();

  constructor(private readonly ctx: OpContext) {}

  /** For a write: the logical index is registered first (once per request). */
  forWrite(lindex: string): Promise<Target> {
    const known = this.known.get(lindex);
    if (known !== undefined) return Promise.resolve(known);
    let pending = this.registering.get(lindex);
    if (pending === undefined) {
      pending = registerIndex(this.ctx, this.ctx.scope.target(lindex)).then((r) => {
        this.known.set(lindex, r.target);
        return r.target;
      });
      // A failed registration fails only the items that need it; the next item tries again.
      pending.catch(() => this.registering.delete(lindex));
      this.registering.set(lindex, pending);
    }
    return pending;
  }

  /** The target once registered in this request (no promise: the hot path of every later item). */
  registered(lindex: string): Target | undefined {
    return this.known.get(lindex);
  }

  /** The target as it stands now (for a delete: nothing is created). */
  current(lindex: string): Target {
    return this.known.get(lindex) ?? this.ctx.services.control.snapshot()?.target(this.ctx.scope.tenant, lindex) ?? this.ctx.scope.target(lindex);
  }

  update(target: Target): void {
    this.known.set(target.lindex, target);
  }

  /** The targets this request wrote to (for its explain record). */
  all(): Target[] {
    return [...this.known.values()];
  }
}

/** The parsed document line, checked before anything is created. */
function checkedDoc(ctx: OpContext, action: Action, raw: string, placement: Target['placement']): JsonObject {
  const doc = parseLine(raw);
  if (!isObject(doc)) throw new OsproxyError({ status: 400, type: 'mapper_parsing_exception', code: 'malformed_document', reason: 'failed to parse the document line' });
  if (action !== 'update') assertNoReservedFields(doc, ctx.scope.reserved, 'document');
  else if (placement === 'shared') checkSharedUpdate(ctx, doc);
  else checkDedicatedUpdate(doc, ctx.scope.reserved);
  return doc;
}

/** The document line as sent: dedicated placements forward it as it is. */
async function physicalLine(ctx: OpContext, action: Action, raw: string, doc: JsonObject, target: Target, id: string, targets: BulkTargets): Promise<string> {
  if (target.placement !== 'shared' && target.stampEpoch !== true) return raw;
  if (target.placement !== 'shared' && action === 'update') return JSON.stringify(stampDedicatedUpdate(doc, target, ctx.scope.reserved));
  if (action !== 'update') {
    const prepared = await physicalDocumentText(ctx, target, doc, raw, id, 'document');
    targets.update(prepared.target);
    return prepared.text;
  }
  const prepared = await sharedUpdateBody(ctx, doc, target, id);
  targets.update(prepared.target);
  return JSON.stringify(prepared.body);
}

/** Random bytes for automatic ids, drawn in blocks (one CSPRNG call per 256 ids, not per item). */
const ID_BYTES = 15;
let idPool = Buffer.alloc(0);
let idAt = 0;

/** An automatic id: 15 random bytes as base64url (20 characters), like OpenSearch's own length. */
function autoId(): string {
  if (idAt + ID_BYTES > idPool.length) {
    idPool = randomBytes(ID_BYTES * 256);
    idAt = 0;
  }
  const id = idPool.toString('base64url', idAt, idAt + ID_BYTES);
  idAt += ID_BYTES;
  return id;
}

/**
 * An item rewritten for its target. Synchronous (no promise) on the hot path — a document of an
 * index already registered in this request, settled by documentBytes — else asynchronous.
 */
export function prepareItem(ctx: OpContext, p: ParsedAction, targets: BulkTargets): Item | Promise<Item> {
  const lindex = typeof p.meta._index === 'string' ? p.meta._index : ctx.scope.defaultIndex();
  const item: Item = { action: p.action, lindex: lindex ?? '' };
  try {
    if (lindex === undefined) throw validationFailed('index_missing', 'Validation Failed: 1: index is missing;');
    for (const key of Object.keys(p.meta)) {
      if (!META_KEYS.has(key)) throw illegalArgument('bulk_meta_not_allowed', `bulk action parameter [${key}] is not allowed`);
    }
    const provisional = ctx.scope.target(lindex);
    const given = p.meta._id === undefined || p.meta._id === null ? undefined : String(p.meta._id);
    if (given === undefined && (p.action === 'update' || p.action === 'delete')) {
      throw validationFailed('id_missing', 'Validation Failed: 1: id is missing;');
    }
    const id = given ?? autoId();
    item.id = id;
    encodeId(provisional, ctx.scope.tenant, id);
    const registered = p.doc !== undefined && p.action !== 'update' ? targets.registered(lindex) : undefined;
    if (registered !== undefined && p.doc !== undefined) {
      // The action line first: it and the document are written as one buffer (the document's target cannot change here).
      const pid = encodeIdOrUndefined(registered, ctx.scope.tenant, id);
      const head = pid === undefined ? undefined : actionLine(ctx, p.meta, p.action === 'index' && given === undefined ? 'create' : p.action, registered, pid);
      const lines = head === undefined ? undefined : physicalDocumentBytesFor(ctx, registered, p.doc, id, `${head}\n`);
      if (lines !== undefined) {
        item.target = registered;
        item.pid = pid;
        item.lines = [lines];
        return item;
      }
    }
    return generalItem(ctx, item, p, lindex, given, provisional, targets);
  } catch (e) {
    item.error = asClientError(e);
    return item;
  }
}

/** encodeId, or undefined where it refuses (the general path then refuses in its own order). */
function encodeIdOrUndefined(target: Target, tenant: string, id: string): string | undefined {
  try {
    return encodeId(target, tenant, id);
  } catch {
    return undefined;
  }
}

/** The general path: the document parsed and checked before its index is registered, then rewritten. */
async function generalItem(ctx: OpContext, item: Item, p: ParsedAction, lindex: string, given: string | undefined, provisional: Target, targets: BulkTargets): Promise<Item> {
  try {
    const text = p.doc === undefined ? undefined : utf8Text(p.doc);
    const doc = text === undefined ? undefined : checkedDoc(ctx, p.action, text, provisional.placement);
    const written = p.action === 'delete' ? targets.current(lindex) : await targets.forWrite(lindex);
    const line = text === undefined || doc === undefined ? undefined : await physicalLine(ctx, p.action, text, doc, written, item.id as string, targets);
    // Its new fields (if any) are part of the target now.
    return finishItem(ctx, item, p, given, p.action === 'delete' ? written : targets.current(lindex), line);
  } catch (e) {
    item.error = asClientError(e);
    return item;
  }
}

/** Per target, its physical index as JSON text (every item of a batch repeats it). */
const quotedIndexes = new WeakMap<Target, string>();

/**
 * The action line sent upstream: the client's metadata with `_index`/`_id` physical and the
 * routing the placement wants. Metadata of `_index`/`_id` only (the common case) is written
 * directly, as JSON.stringify would write it (key order included).
 */
export function actionLine(ctx: OpContext, given: JsonObject, action: Action, target: Target, pid: string): string {
  const keys = Object.keys(given);
  if (keys.every((k) => k === '_index' || k === '_id')) {
    let index = quotedIndexes.get(target);
    if (index === undefined) quotedIndexes.set(target, (index = `"_index":${JSON.stringify(target.physicalIndex)}`));
    const id = `"_id":${JSON.stringify(pid)}`;
    const routing = target.routing === 'tenant' ? `,"routing":${JSON.stringify(ctx.scope.tenant)}` : '';
    return `{"${action}":{${keys[0] === '_id' ? `${id},${index}` : `${index},${id}`}${routing}}}`;
  }
  const meta: JsonObject = { ...given, _index: target.physicalIndex, _id: pid };
  if (target.placement === 'shared') delete meta.routing;
  if (target.routing === 'tenant') meta.routing = ctx.scope.tenant;
  return JSON.stringify({ [action]: meta });
}

/** The item's physical id and action line, its document line after it. */
function finishItem(ctx: OpContext, item: Item, p: ParsedAction, given: string | undefined, target: Target, line: string | Buffer | undefined): Item {
  try {
    item.target = target;
    item.pid = encodeId(target, ctx.scope.tenant, item.id as string);
    const action = p.action === 'index' && given === undefined ? 'create' : p.action;
    const head = actionLine(ctx, p.meta, action, target, item.pid);
    item.lines = line === undefined ? [head] : [head, line];
  } catch (e) {
    item.error = asClientError(e);
  }
  return item;
}

export function itemError(item: Item, e: OsproxyError, requestId: string): JsonObject {
  const body = errorBody(e, requestId);
  const out: JsonObject = { _index: item.lindex, status: e.status, error: { type: body.error.type, reason: body.error.reason } };
  if (item.id !== undefined) out._id = item.id;
  return { [item.action]: out };
}

/**
 * The common upstream entry — scalars and a `_shards` of numbers, no string with anything to map —
 * mapped as mapItem's general path maps it (layout keys dropped, `_index`/`_id` the tenant's), or
 * undefined when it needs that path.
 */
function plainEntry(entry: JsonObject, item: Item, target: Target): JsonObject | undefined {
  const out: JsonObject = {};
  const pid = item.pid as string;
  let named = 0;
  for (const key of Object.keys(entry)) {
    const v = entry[key];
    if (isLayoutKey(key)) continue;
    if (key === '_index') {
      out._index = item.lindex;
      named |= 1;
    } else if (key === '_id') {
      out._id = item.id as string;
      named |= 2;
    } else if (key === '__proto__') {
      return undefined;
    } else if (typeof v === 'number' || typeof v === 'boolean' || v === null || (typeof v === 'string' && keptAsItIs(v, target, pid))) {
      out[key] = v;
    } else if (key === '_shards' && isObject(v)) {
      const shards: JsonObject = {};
      for (const k of Object.keys(v)) {
        if (isLayoutKey(k)) continue;
        if (typeof v[k] !== 'number' || k === '__proto__') return undefined;
        shards[k] = v[k];
      }
      out._shards = shards;
    } else {
      return undefined;
    }
  }
  if ((named & 1) === 0) out._index = item.lindex;
  if ((named & 2) === 0) out._id = item.id as string;
  return out;
}

export function mapItem(ctx: OpContext, item: Item, upstream: Json): JsonObject {
  const entry = isObject(upstream) ? Object.values(upstream)[0] : undefined;
  if (!isObject(entry) || item.target === undefined) return itemError(item, badGateway('upstream_bad_response', 'missing item in the upstream bulk response'), ctx.id);
  const plain = plainEntry(entry, item, item.target);
  if (plain !== undefined) return { [item.action]: plain };
  const mapped = mapUpstreamError(entry, [item.target], new Map([[item.pid as string, item.id as string]]));
  const out: JsonObject = { ...(isObject(mapped) ? mapped : {}), _index: item.lindex, _id: item.id as string };
  if (isObject(entry.get) && isObject(entry.get._source)) {
    out.get = { ...entry.get, _source: tenantSource(ctx, item.target, entry.get._source) };
  }
  return { [item.action]: out };
}

