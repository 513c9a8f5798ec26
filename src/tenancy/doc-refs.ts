/**
 * Queries that fetch stored documents by index and id (SPEC §4.4): terms lookup, more_like_this
 * `like`/`unlike` items, percolate of a stored document. The index must be one of the tenant's
 * logical indexes known to the request; it is mapped to its physical index and the id to its
 * physical id (exact: a shared physical id carries the tenant), routing to the tenant's routing.
 */
import { type Json, type JsonObject } from '../core/json.ts';
import { malformed, refuse } from './errors.ts';
import { checkQueryField, queryFieldList, valueFieldName } from './field-checks.ts';
import { encodeSharedId } from './id-codec.ts';
import { asList, assertKnownKeys, expectObject, expectScalarString, isFlat } from './json-shape.ts';
import type { Target } from './names.ts';
import { assertNoReservedFields } from './reserved-fields.ts';
import { unique, type RewriteContext } from './scope.ts';

export interface DocRef {
  index: string;
  id: string;
  routing?: string;
}

/** The target a document reference names; with no index, the single searched index. */
function refTarget(index: Json | undefined, ctx: RewriteContext, path: string): Target {
  if (index === undefined) {
    const searched = unique(ctx.targets.map((t) => t.lindex));
    if (searched.length === 1) return ctx.targets[0];
    refuse('lookup_refused', `[${path}] must name its index when the search spans several indexes`);
  }
  if (typeof index !== 'string') malformed('malformed_request', `[${path}] index must be a string`);
  const target = ctx.lookupTargets.find((t) => t.lindex === index);
  if (target === undefined) refuse('lookup_refused', `[${path}] reads from index [${index}], which is not one of the indexes this request may read`);
  return target;
}

/** Map (index, id, routing) to physical names. Client routing never moves a shared document. */
export function resolveDocRef(index: Json | undefined, id: Json | undefined, routing: Json | undefined, ctx: RewriteContext, path: string): DocRef {
  const target = refTarget(index, ctx, path);
  const clientId = expectScalarString(id, `${path}.id`);
  if (target.placement !== 'shared') {
    return { index: target.physicalIndex, id: clientId, ...(routing === undefined ? {} : { routing: expectScalarString(routing, `${path}.routing`) }) };
  }
  const ref: DocRef = { index: target.physicalIndex, id: encodeSharedId(ctx.tenant, target.lindex, clientId) };
  if (target.routing === 'tenant') ref.routing = ctx.tenant;
  return ref;
}

const LOOKUP_KEYS: ReadonlySet<string> = new Set(['index', 'id', 'path', 'routing']);

/** `{"terms":{"f":{"index":..,"id":..,"path":..}}}` → physical index, id and routing. */
export function rewriteTermsLookup(lookup: JsonObject, ctx: RewriteContext, path: string): JsonObject {
  assertKnownKeys(lookup, LOOKUP_KEYS, path);
  const fieldPath = valueFieldName(lookup.path, ctx, `${path}.path`);
  const ref = resolveDocRef(lookup.index, lookup.id, lookup.routing, ctx, path);
  const out: JsonObject = { index: ref.index, id: ref.id, path: fieldPath };
  if (ref.routing !== undefined) out.routing = ref.routing;
  return out;
}

const MLT_ITEM_KEYS: ReadonlySet<string> = new Set(['_index', '_id', 'doc', 'fields', 'per_field_analyzer', 'routing', 'version', 'version_type']);

/** One `like`/`unlike` entry: free text stays; stored and artificial documents are mapped/checked. */
function rewriteMltItem(item: Json, ctx: RewriteContext, path: string): Json {
  if (typeof item === 'string') return item;
  const obj = expectObject(item, path);
  assertKnownKeys(obj, MLT_ITEM_KEYS, path);
  const own: JsonObject = { ...obj };
  if (obj.fields !== undefined) own.fields = queryFieldList(obj.fields, ctx, `${path}.fields`);
  if (obj.per_field_analyzer !== undefined) {
    const entries = Object.entries(expectObject(obj.per_field_analyzer, `${path}.per_field_analyzer`));
    own.per_field_analyzer = Object.fromEntries(entries.map(([f, a]) => [valueFieldName(f, ctx, `${path}.per_field_analyzer`), a]));
  }
  if (obj.doc !== undefined) {
    if (!ctx.fields.identity) refuse('artificial_doc_refused', `[${path}.doc] artificial documents are not supported for indexes with per-tenant fields; use [_index] and [_id]`);
    return rewriteArtificialDoc(own, ctx, path);
  }
  if (obj._id === undefined) malformed('malformed_request', `[${path}] must have [_id] or [doc]`);
  const ref = resolveDocRef(obj._index, obj._id, obj.routing, ctx, path);
  const out: JsonObject = { ...own, _index: ref.index, _id: ref.id };
  delete out.routing;
  if (ref.routing !== undefined) out.routing = ref.routing;
  return out;
}

function rewriteArtificialDoc(obj: JsonObject, ctx: RewriteContext, path: string): JsonObject {
  if (obj._id !== undefined) malformed('malformed_request', `[${path}] cannot have both [_id] and [doc]`);
  assertNoReservedFields(obj.doc, ctx.reserved, `${path}.doc`);
  if (obj._index === undefined) return obj;
  // `_index` only picks the mapping used to analyze the artificial document.
  return { ...obj, _index: refTarget(obj._index, ctx, path).physicalIndex };
}

const MLT_DOC_KEYS = ['like', 'unlike'];
const MLT_FIELD_KEYS = ['fields'];

/** more_like_this: `fields` checked, `like`/`unlike` items mapped, legacy `ids`/`docs` refused. */
export function rewriteMoreLikeThis(body: JsonObject, ctx: RewriteContext, path: string): JsonObject {
  const out: JsonObject = { ...body };
  for (const [key, value] of Object.entries(body)) {
    const at = `${path}.${key}`;
    if (MLT_DOC_KEYS.includes(key)) {
      const items = asList(value).map((item, i) => rewriteMltItem(item, ctx, `${at}[${i}]`));
      out[key] = Array.isArray(value) ? items : items[0];
    } else if (MLT_FIELD_KEYS.includes(key)) {
      out[key] = queryFieldList(value, ctx, at);
    } else if (key === 'ids' || key === 'docs') {
      refuse('lookup_refused', `[${at}] is not supported; use [like] items with [_index] and [_id]`);
    } else if (!isFlat(value)) {
      malformed('unsupported_parameter', `[${at}] is not supported by osproxy`);
    }
  }
  return { more_like_this: out };
}

const PERCOLATE_KEYS: ReadonlySet<string> = new Set(['field', 'document', 'documents', 'index', 'id', 'routing', 'preference', 'version', 'name', 'boost', '_name']);

/** percolate: candidate documents checked for reserved fields; a stored document is mapped. */
export function rewritePercolate(body: JsonObject, ctx: RewriteContext, path: string): JsonObject {
  assertKnownKeys(body, PERCOLATE_KEYS, path);
  checkQueryField(body.field, ctx, `${path}.field`);
  if (!ctx.fields.identity && (body.document !== undefined || body.documents !== undefined)) {
    refuse('percolate_refused', `[${path}] percolating documents is not supported for indexes with per-tenant fields`);
  }
  for (const key of ['document', 'documents']) {
    if (body[key] !== undefined) assertNoReservedFields(body[key], ctx.reserved, `${path}.${key}`);
  }
  if (body.id === undefined && body.index === undefined) return { percolate: body };
  const ref = resolveDocRef(body.index, body.id, body.routing, ctx, path);
  const out: JsonObject = { ...body, index: ref.index, id: ref.id };
  delete out.routing;
  if (ref.routing !== undefined) out.routing = ref.routing;
  return { percolate: out };
}
