/** Document requests and answers in shared or dedicated placement: upstream parameters, mapped names. */
import { isObject, putKey, type JsonObject } from '../core/json.ts';
import type { ReservedFields, Target } from '../tenancy/index.ts';
import { fieldResolver, type FieldResolver } from '../tenancy/mapping/field-resolver.ts';
import { logicalKey, logicalSource } from '../tenancy/mapping/physical-names.ts';
import { reservedNames } from '../tenancy/reserved-fields.ts';
import type { OpContext } from './context.ts';

const SOURCE_PARAMS = new Set(['_source', '_source_includes', '_source_excludes', 'stored_fields']);

/** URL parameters forwarded upstream; for shared placement `routing` is always the tenant's. */
export function upstreamQuery(ctx: OpContext, target: Target, drop: readonly string[] = []): URLSearchParams {
  const q = new URLSearchParams();
  let names: FieldResolver | undefined; // built only for a request that filters its source
  for (const [k, v] of ctx.query) {
    if (drop.includes(k)) continue;
    if (k === 'routing' && target.placement === 'shared') continue;
    // Source filters and stored fields name the tenant's fields: the index's names for them.
    const filter = SOURCE_PARAMS.has(k) && v !== 'true' && v !== 'false';
    if (filter) names ??= fieldResolver([target]);
    const renamed = filter && names !== undefined && !names.identity ? v.split(',').flatMap((f) => (names as FieldResolver).names(f)).join(',') : v;
    q.append(k, renamed);
  }
  if (target.routing === 'tenant') q.set('routing', ctx.scope.tenant);
  return q;
}

/** `name` itself or one of its sub-fields (`_tenant`, `_tenant.keyword`). */
function namesField(key: string, name: string | undefined): boolean {
  return name !== undefined && key.startsWith(name) && (key.length === name.length || key.charCodeAt(name.length) === 46 /* . */);
}

/** isReservedField (tenancy/reserved-fields.ts) over the memoized list of names, without building one per key. */
function isReserved(key: string, r: ReservedFields): boolean {
  // The memoized list of every reserved name: a field added to ReservedFields is never missed here.
  for (const name of reservedNames(r)) if (namesField(key, name)) return true;
  return false;
}

/** A stored `_source` as the tenant wrote it: reserved fields removed, its own field names back. */
export function tenantSource(ctx: OpContext, target: Target, source: JsonObject): JsonObject {
  // One pass: the reserved fields left out (as stripReservedFields does), the rest renamed.
  const reserved = ctx.scope.reserved;
  const logical = target.fields !== undefined;
  const out: JsonObject = {};
  for (const key of Object.keys(source)) {
    if (isReserved(key, reserved)) continue;
    const value = source[key];
    if (!logical) putKey(out, key, value);
    else putKey(out, logicalKey(key), typeof value === 'object' && value !== null ? logicalSource(value) : value);
  }
  return out;
}

/**
 * A response object with `_routing` left out and `_source` as the tenant wrote it. Built key by
 * key rather than copied and `delete`d: a deleted key turns an object into a dictionary, which
 * JSON.stringify then walks on its slow path.
 */
function withoutRouting(body: JsonObject, ctx: OpContext, target: Target, fixed?: { index: string; id: string }): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(body)) {
    const value = body[key];
    if (key === '_routing') continue;
    if (fixed !== undefined && key === '_index') out._index = fixed.index;
    else if (fixed !== undefined && key === '_id') out._id = fixed.id;
    else if (key === '_source' && isObject(value)) out._source = tenantSource(ctx, target, value);
    else if (key === 'get' && fixed !== undefined && isObject(value)) out.get = withoutRouting(value, ctx, target);
    else putKey(out, key, value);
  }
  return out;
}

/** Maps a write/get response's names back to the tenant's (as `{ ...body, _index, _id }` without `_routing`). */
export function mapDocResponse(body: JsonObject, target: Target, id: string, ctx: OpContext): JsonObject {
  const out = withoutRouting(body, ctx, target, { index: target.lindex, id });
  if (!Object.hasOwn(body, '_index')) out._index = target.lindex;
  if (!Object.hasOwn(body, '_id')) out._id = id;
  return out;
}
