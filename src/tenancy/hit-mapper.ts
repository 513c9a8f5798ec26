/**
 * Response side of a search (SPEC §4.4, §4.5): one hit from a physical index back to the tenant's
 * view — logical `_index` and `_id`, no `_routing`, no reserved fields in any section, no
 * `_explanation`/`_shard`/`_node` (they carry physical names and the scope filter). A hit that
 * does not provably belong to this tenant is dropped (defense in depth behind the query filter).
 */
import { testBreakOn } from '../core/test-break.ts';
import { isObject, putKey, type Json, type JsonObject } from '../core/json.ts';
import { splitSharedId } from './id-codec.ts';
import type { Target } from './names.ts';
import { isReservedField, stripReservedFields, type ReservedFields } from './reserved-fields.ts';
import { logicalKey, logicalSource } from './mapping/physical-names.ts';

export interface HitContext {
  tenant: string;
  reserved: ReservedFields;
  /** Physical index → the targeted logical indexes stored in it (several when shared). */
  byPhysical: ReadonlyMap<string, readonly Target[]>;
}

export function buildHitContext(tenant: string, targets: readonly Target[], reserved: ReservedFields): HitContext {
  const byPhysical = new Map<string, Target[]>();
  for (const t of targets) byPhysical.set(t.physicalIndex, [...(byPhysical.get(t.physicalIndex) ?? []), t]);
  return { tenant, reserved, byPhysical };
}

interface HitIdentity {
  target: Target;
  /** The logical id; undefined when the hit carries no `_id` (e.g. `stored_fields: _none_`). */
  id: string | undefined;
}

/** Removed outright: physical routing, and debug sections naming physical indexes and the filter. */
const DROPPED = new Set(['_routing', '_explanation', '_shard', '_node']);
/** Sections keyed by field name. */
const FIELD_SECTIONS = new Set(['_source', 'fields', 'highlight', 'docvalue_fields']);

export function mapHit(hit: JsonObject, ctx: HitContext): JsonObject | undefined {
  const identity = identify(hit, ctx);
  if (identity === undefined) return undefined;
  const out: JsonObject = {};
  for (const key of Object.keys(hit)) {
    const value = hit[key];
    if (DROPPED.has(key)) continue;
    if (key === '_index') out._index = identity.target.lindex;
    else if (key === '_id') out._id = identity.id ?? value;
    else if (FIELD_SECTIONS.has(key) && isObject(value)) out[key] = tenantSection(key, value, identity.target, ctx);
    else if (key === '_ignored' && Array.isArray(value)) {
      const own = value.filter((f) => typeof f !== 'string' || !isReservedField(f, ctx.reserved));
      out._ignored = identity.target.fields === undefined ? own : own.map((f) => (typeof f === 'string' ? logicalKey(f) : f));
    }
    else if (key === 'inner_hits' && isObject(value)) out.inner_hits = mapInnerHits(value, ctx);
    else putKey(out, key, value);
  }
  return out;
}

/**
 * A field section of a hit as the tenant sees it: reserved fields removed, its own field names
 * back; the logical id field (asked for as `_id`) shows as `_id`.
 */
function tenantSection(key: string, value: JsonObject, target: Target, ctx: HitContext): JsonObject {
  const idField = ctx.reserved.id;
  const withId = (key === 'fields' || key === 'docvalue_fields') && idField !== undefined && value[idField] !== undefined && target.fields !== undefined
    ? { ...value, _id: value[idField] }
    : value;
  const own = stripReservedFields(withId, ctx.reserved);
  return target.fields === undefined ? own : (logicalSource(own) as JsonObject);
}

/** Map a list of hits, dropping the ones that are not this tenant's. */
export function mapHits(hits: readonly Json[], ctx: HitContext): JsonObject[] {
  return hits.flatMap((h) => {
    const mapped = isObject(h) ? mapHit(h, ctx) : undefined;
    return mapped === undefined ? [] : [mapped];
  });
}

/** `inner_hits: {name: {hits: {total, max_score, hits: [...]}}}` */
function mapInnerHits(inner: JsonObject, ctx: HitContext): JsonObject {
  const entries = Object.entries(inner).map(([name, result]): [string, Json] => {
    if (!isObject(result) || !isObject(result.hits) || !Array.isArray(result.hits.hits)) return [name, result];
    return [name, { ...result, hits: { ...result.hits, hits: mapHits(result.hits.hits, ctx) } }];
  });
  return Object.fromEntries(entries);
}

/** Which targeted logical index (and id) a hit belongs to, or undefined when not provably ours. */
function identify(hit: JsonObject, ctx: HitContext): HitIdentity | undefined {
  if (typeof hit._index !== 'string') return undefined;
  const targets = ctx.byPhysical.get(hit._index);
  if (targets === undefined || targets.length === 0) return undefined;
  const source = isObject(hit._source) ? hit._source : undefined;
  const tagged = source?.[ctx.reserved.tenant];
  if (tagged !== undefined && tagged !== ctx.tenant && !testBreakOn('skip-tenant-filter')) return undefined;
  const shared = targets.filter((t) => t.placement === 'shared');
  if (shared.length === 0) return { target: targets[0], id: typeof hit._id === 'string' ? hit._id : undefined };
  return identifyShared(hit, shared, source?.[ctx.reserved.lindex], ctx);
}

function identifyShared(hit: JsonObject, shared: readonly Target[], taggedLindex: Json | undefined, ctx: HitContext): HitIdentity | undefined {
  if (typeof hit._id !== 'string') {
    // No id to verify (stored_fields: _none_): rely on the query filter, but only when unambiguous.
    const byTag = shared.find((t) => t.lindex === taggedLindex);
    const target = byTag ?? (shared.length === 1 && taggedLindex === undefined ? shared[0] : undefined);
    return target === undefined ? undefined : { target, id: undefined };
  }
  const parts = splitSharedId(hit._id);
  if (parts === undefined || (parts.tenant !== ctx.tenant && !testBreakOn('skip-tenant-filter'))) return undefined;
  if (taggedLindex !== undefined && taggedLindex !== parts.lindex) return undefined;
  const target = shared.find((t) => t.lindex === parts.lindex);
  return target === undefined ? undefined : { target, id: parts.id };
}
