import { randomBytes } from 'node:crypto';
import { isObject, MAX_JSON_DEPTH, nestsDeeperThan, type Json, type JsonObject } from '../core/json.ts';
import { errorBody, ProxyError, type ShapedError } from '../http/errors.ts';
import { assertNoReservedFields, encodeId, injectReservedFields, stripReservedFields, type Target } from '../tenancy/index.ts';
import { sendJson, toShaped } from '../server/respond.ts';
import type { OpContext } from './context.ts';
import { clusterFor, targetFor } from './targets.ts';
import { checkDedicatedUpdate, sharedUpdateBody } from './update.ts';
import { callUpstream, mapUpstreamError, readUpstreamJson } from './upstream-call.ts';
import { checkContentType, utf8Text } from './json-body.ts';
import { ensureSharedHome } from './index-admin.ts';

const ACTIONS = ['index', 'create', 'update', 'delete'] as const;
type Action = (typeof ACTIONS)[number];
/** Action metadata a tenant may set; `_index`/`_id`/`routing` are rewritten, the rest forwarded. */
const META_KEYS = new Set(['_index', '_id', 'routing', 'if_seq_no', 'if_primary_term', 'version', 'version_type', 'retry_on_conflict', '_source']);

interface Item {
  action: Action;
  lindex: string;
  id?: string;
  target?: Target;
  pid?: string;
  lines?: string[];
  error?: ShapedError;
}

function malformed(line: number, detail: string): ProxyError {
  return new ProxyError(400, 'illegal_argument_exception', 'malformed_bulk', `Malformed action/metadata line [${line}], ${detail}`);
}

/** One NDJSON line parsed; undefined when malformed or nested too deep to handle safely. */
function parseLine(line: string): Json | undefined {
  if (nestsDeeperThan(line, MAX_JSON_DEPTH)) return undefined;
  try {
    return JSON.parse(line) as Json;
  } catch {
    return undefined;
  }
}

/** Splits NDJSON into action items; a bad action line fails the request like OpenSearch. */
function parseItems(lines: string[]): { action: Action; meta: JsonObject; doc?: string; lineNo: number }[] {
  const out: { action: Action; meta: JsonObject; doc?: string; lineNo: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const parsed = parseLine(lines[i]);
    if (!isObject(parsed) || Object.keys(parsed).length !== 1) throw malformed(i + 1, 'expected one action object');
    const action = Object.keys(parsed)[0];
    if (!(ACTIONS as readonly string[]).includes(action)) throw malformed(i + 1, `expected field [create], [delete], [index] or [update] but found [${action}]`);
    const meta = parsed[action];
    if (!isObject(meta)) throw malformed(i + 1, 'expected START_OBJECT');
    const item = { action: action as Action, meta, lineNo: i + 1, doc: undefined as string | undefined };
    if (action !== 'delete') {
      if (i + 1 >= lines.length) throw new ProxyError(400, 'illegal_argument_exception', 'malformed_bulk', 'The bulk request must be terminated by a newline [\\n]');
      item.doc = lines[++i];
    }
    out.push(item);
  }
  return out;
}

function prepareDoc(ctx: OpContext, action: Action, raw: string | undefined, target: Target): string | undefined {
  if (raw === undefined) return undefined;
  const doc = parseLine(raw);
  if (!isObject(doc)) throw new ProxyError(400, 'mapper_parsing_exception', 'malformed_document', 'failed to parse the document line');
  const reserved = ctx.services.config.tenancy.reserved_fields;
  if (action === 'update') {
    if (target.placement === 'shared') return JSON.stringify(sharedUpdateBody(doc, ctx, target.lindex));
    checkDedicatedUpdate(doc, reserved);
    return raw;
  }
  assertNoReservedFields(doc, reserved, 'document');
  return target.placement === 'shared' ? JSON.stringify(injectReservedFields(doc, ctx.binding.tenant, target.lindex, reserved)) : raw;
}

function prepareItem(ctx: OpContext, p: ReturnType<typeof parseItems>[number]): Item {
  const lindex = typeof p.meta._index === 'string' ? p.meta._index : ctx.endpoint.index;
  const item: Item = { action: p.action, lindex: lindex ?? '' };
  try {
    if (lindex === undefined) throw new ProxyError(400, 'action_request_validation_exception', 'index_missing', 'Validation Failed: 1: index is missing;');
    for (const key of Object.keys(p.meta)) {
      if (!META_KEYS.has(key)) throw new ProxyError(400, 'illegal_argument_exception', 'bulk_meta_not_allowed', `bulk action parameter [${key}] is not allowed`);
    }
    const target = targetFor(ctx, lindex);
    const given = p.meta._id === undefined || p.meta._id === null ? undefined : String(p.meta._id);
    if (given === undefined && (p.action === 'update' || p.action === 'delete')) {
      throw new ProxyError(400, 'action_request_validation_exception', 'id_missing', 'Validation Failed: 1: id is missing;');
    }
    item.id = given ?? randomBytes(15).toString('base64url');
    item.target = target;
    item.pid = encodeId(target, ctx.binding.tenant, item.id);
    const meta: JsonObject = { ...p.meta, _index: target.physicalIndex, _id: item.pid };
    if (target.placement === 'shared') delete meta.routing;
    if (target.routing === 'tenant') meta.routing = ctx.binding.tenant;
    const action = p.action === 'index' && given === undefined ? 'create' : p.action;
    const doc = prepareDoc(ctx, p.action, p.doc, target);
    item.lines = doc === undefined ? [JSON.stringify({ [action]: meta })] : [JSON.stringify({ [action]: meta }), doc];
  } catch (e) {
    item.error = toShaped(e);
  }
  return item;
}

function itemError(item: Item, e: ShapedError, requestId: string): JsonObject {
  const body = errorBody(e, requestId);
  const out: JsonObject = { _index: item.lindex, status: e.status, error: { type: body.error.type, reason: body.error.reason } };
  if (item.id !== undefined) out._id = item.id;
  return { [item.action]: out };
}

function mapItem(ctx: OpContext, item: Item, upstream: Json): JsonObject {
  const entry = isObject(upstream) ? Object.values(upstream)[0] : undefined;
  if (!isObject(entry) || item.target === undefined) return itemError(item, new ProxyError(502, 'bad_gateway_exception', 'upstream_bad_response', 'missing item in the upstream bulk response'), ctx.id);
  const mapped = mapUpstreamError(entry, [item.target], new Map([[item.pid as string, item.id as string]]));
  const out: JsonObject = { ...(isObject(mapped) ? mapped : {}), _index: item.lindex, _id: item.id as string };
  if (isObject(entry.get) && isObject(entry.get._source)) {
    out.get = { ...entry.get, _source: stripReservedFields(entry.get._source, ctx.services.config.tenancy.reserved_fields) };
  }
  return { [item.action]: out };
}

/** Registers every logical index the valid write items create (implicit create), once each. */
async function registerWritten(ctx: OpContext, items: Item[]): Promise<void> {
  const names = new Set(items.filter((i) => i.error === undefined && i.action !== 'delete').map((i) => i.lindex));
  for (const name of names) await ctx.services.registry.register(ctx.binding.tenant, name);
}

/** Sends each cluster's items as one upstream `_bulk` and writes the answers back by position. */
async function sendGroup(ctx: OpContext, items: Item[], out: JsonObject[], positions: number[]): Promise<void> {
  const query = new URLSearchParams();
  for (const k of ['refresh', 'timeout', 'wait_for_active_shards']) {
    const v = ctx.query.get(k);
    if (v !== null) query.set(k, v);
  }
  try {
    for (const target of new Map(items.map((i) => [(i.target as Target).physicalIndex, i.target as Target])).values()) await ensureSharedHome(ctx, target);
    const res = await callUpstream(ctx, clusterFor(ctx, items[0].target as Target), {
      method: 'POST',
      path: '/_bulk',
      query,
      body: items.flatMap((i) => i.lines as string[]).join('\n') + '\n',
      idempotent: false,
    });
    const answer = await readUpstreamJson(ctx, res);
    const upstreamItems = isObject(answer) && Array.isArray(answer.items) ? answer.items : [];
    if (res.status >= 400 || upstreamItems.length !== items.length) {
      throw new ProxyError(502, 'bad_gateway_exception', 'upstream_bulk_failed', 'the upstream refused the bulk request');
    }
    items.forEach((item, i) => (out[positions[i]] = mapItem(ctx, item, upstreamItems[i])));
  } catch (e) {
    items.forEach((item, i) => (out[positions[i]] = itemError(item, toShaped(e), ctx.id)));
  }
}

/** `POST /_bulk`, `/{i}/_bulk` (buffered; items in order, failures per item). */
export async function bulk(ctx: OpContext): Promise<void> {
  const started = Date.now();
  const raw = await ctx.body();
  checkContentType(ctx);
  if (raw.length === 0) throw new ProxyError(400, 'action_request_validation_exception', 'no_requests', 'Validation Failed: 1: no requests added;');
  const lines = utf8Text(raw).split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
  const items = parseItems(lines).map((p) => prepareItem(ctx, p));
  await registerWritten(ctx, items);
  const out: JsonObject[] = new Array<JsonObject>(items.length);
  const groups = new Map<string, { items: Item[]; positions: number[] }>();
  items.forEach((item, pos) => {
    if (item.error !== undefined) {
      out[pos] = itemError(item, item.error, ctx.id);
      return;
    }
    const key = (item.target as Target).cluster;
    const g = groups.get(key) ?? { items: [], positions: [] };
    g.items.push(item);
    g.positions.push(pos);
    groups.set(key, g);
  });
  await Promise.all([...groups.values()].map((g) => sendGroup(ctx, g.items, out, g.positions)));
  const errors = out.some((o) => {
    const entry = Object.values(o)[0];
    return isObject(entry) && entry.error !== undefined;
  });
  ctx.addBytesOut(sendJson(ctx.res, 200, { took: Date.now() - started, errors, items: out }));
}
