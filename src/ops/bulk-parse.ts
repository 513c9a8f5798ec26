/** `_bulk` items: action-line parsing, per-item tenancy rewrite, per-item answers. */
import { randomBytes } from 'node:crypto';
import { isObject, MAX_JSON_DEPTH, nestsDeeperThan, type Json, type JsonObject } from '../core/json.ts';
import { asClientError, badGateway, errorBody, illegalArgument, OsproxyError, validationFailed } from '../http/errors.ts';
import { assertNoReservedFields, encodeId, injectReservedFields, stripReservedFields, type Target } from '../tenancy/index.ts';
import type { OpContext } from './context.ts';
import { checkDedicatedUpdate, sharedUpdateBody } from './update-body.ts';
import { mapUpstreamError } from './upstream-call.ts';

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
  lines?: string[];
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
  doc?: string;
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

function prepareDoc(ctx: OpContext, action: Action, raw: string | undefined, target: Target): string | undefined {
  if (raw === undefined) return undefined;
  const doc = parseLine(raw);
  if (!isObject(doc)) throw new OsproxyError({ status: 400, type: 'mapper_parsing_exception', code: 'malformed_document', reason: 'failed to parse the document line' });
  const reserved = ctx.scope.reserved;
  if (action === 'update') {
    if (target.placement === 'shared') return JSON.stringify(sharedUpdateBody(doc, ctx.scope, target.lindex));
    checkDedicatedUpdate(doc, reserved);
    return raw;
  }
  assertNoReservedFields(doc, reserved, 'document');
  return target.placement === 'shared' ? JSON.stringify(injectReservedFields(doc, ctx.scope.tenant, target.lindex, reserved)) : raw;
}

export function prepareItem(ctx: OpContext, p: ParsedAction): Item {
  const lindex = typeof p.meta._index === 'string' ? p.meta._index : ctx.scope.defaultIndex();
  const item: Item = { action: p.action, lindex: lindex ?? '' };
  try {
    if (lindex === undefined) throw validationFailed('index_missing', 'Validation Failed: 1: index is missing;');
    for (const key of Object.keys(p.meta)) {
      if (!META_KEYS.has(key)) throw illegalArgument('bulk_meta_not_allowed', `bulk action parameter [${key}] is not allowed`);
    }
    const target = ctx.scope.target(lindex);
    const given = p.meta._id === undefined || p.meta._id === null ? undefined : String(p.meta._id);
    if (given === undefined && (p.action === 'update' || p.action === 'delete')) {
      throw validationFailed('id_missing', 'Validation Failed: 1: id is missing;');
    }
    item.id = given ?? randomBytes(15).toString('base64url');
    item.target = target;
    item.pid = encodeId(target, ctx.scope.tenant, item.id);
    const meta: JsonObject = { ...p.meta, _index: target.physicalIndex, _id: item.pid };
    if (target.placement === 'shared') delete meta.routing;
    if (target.routing === 'tenant') meta.routing = ctx.scope.tenant;
    const action = p.action === 'index' && given === undefined ? 'create' : p.action;
    const doc = prepareDoc(ctx, p.action, p.doc, target);
    item.lines = doc === undefined ? [JSON.stringify({ [action]: meta })] : [JSON.stringify({ [action]: meta }), doc];
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

export function mapItem(ctx: OpContext, item: Item, upstream: Json): JsonObject {
  const entry = isObject(upstream) ? Object.values(upstream)[0] : undefined;
  if (!isObject(entry) || item.target === undefined) return itemError(item, badGateway('upstream_bad_response', 'missing item in the upstream bulk response'), ctx.id);
  const mapped = mapUpstreamError(entry, [item.target], new Map([[item.pid as string, item.id as string]]));
  const out: JsonObject = { ...(isObject(mapped) ? mapped : {}), _index: item.lindex, _id: item.id as string };
  if (isObject(entry.get) && isObject(entry.get._source)) {
    out.get = { ...entry.get, _source: stripReservedFields(entry.get._source, ctx.scope.reserved) };
  }
  return { [item.action]: out };
}

