/**
 * `_field_caps` computed from a tenant's mapping (SPEC §4.2): what OpenSearch's field capabilities
 * action reports, per index (`IndexFieldCap`, as TransportFieldCapabilitiesIndexAction finds it)
 * and merged over the tenant's indexes (`FieldCapabilities.Builder`). In shared placement the
 * mapping is the tenant's logical one, so only its own fields, under its own names, can appear.
 */
import { isObject, type Json, type JsonObject } from '../../core/json.ts';
import { isReservedField, type ReservedFields } from '../reserved-fields.ts';

/** One field's capabilities in one index. */
export interface IndexFieldCap {
  type: string;
  searchable: boolean;
  aggregatable: boolean;
  meta: Record<string, string>;
}

/**
 * The metadata fields of an OpenSearch 2.x index (IndicesModule's metadata mappers) with their
 * searchable/aggregatable; reported when a pattern matches them, as OpenSearch does.
 */
const METADATA_CAPS: readonly [string, boolean, boolean][] = [
  ['_ignored', true, false],
  ['_id', true, true],
  ['_routing', true, false],
  ['_index', true, true],
  ['_data_stream_timestamp', false, false],
  ['_source', false, false],
  ['_nested_path', true, false],
  ['_version', false, false],
  ['_seq_no', true, true],
  ['_doc_count', false, false],
  ['_field_names', true, false],
];

const POINT_TYPES = new Set([
  'long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float', 'unsigned_long',
  'date', 'date_nanos', 'boolean', 'ip', 'token_count',
]);

/** OpenSearch's Regex.simpleMatch: `*` matches any run of characters. */
export function simpleMatch(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name;
  const parts = pattern.split('*');
  if (!name.startsWith(parts[0])) return false;
  let at = parts[0].length;
  for (let i = 1; i < parts.length - 1; i++) {
    const found = name.indexOf(parts[i], at);
    if (found < 0) return false;
    at = found + parts[i].length;
  }
  const last = parts[parts.length - 1];
  return name.length - last.length >= at && name.endsWith(last);
}

/** A leaf field's type, searchable and aggregatable, as its MappedFieldType reports them. */
function leafCaps(f: JsonObject): Omit<IndexFieldCap, 'meta'> {
  const type = typeof f.type === 'string' ? f.type : 'object';
  const indexed = f.index !== false;
  const docValues = f.doc_values !== false;
  if (type === 'text') return { type, searchable: indexed, aggregatable: f.fielddata === true };
  if (type === 'match_only_text' || type === 'completion' || type === 'search_as_you_type') return { type, searchable: true, aggregatable: false };
  if (type === 'keyword' || type === 'constant_keyword' || type === 'wildcard' || POINT_TYPES.has(type)) return { type, searchable: indexed, aggregatable: docValues };
  if (type === 'binary') return { type, searchable: false, aggregatable: f.doc_values === true };
  if (type === 'geo_point' || type === 'flat_object' || type.endsWith('_range')) return { type, searchable: true, aggregatable: true };
  return { type, searchable: indexed, aggregatable: false };
}

function metaOf(f: JsonObject): Record<string, string> {
  return isObject(f.meta) ? Object.fromEntries(Object.entries(f.meta).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])) : {};
}

interface Walked {
  leaves: Map<string, JsonObject>;
  objects: Map<string, 'object' | 'nested'>;
}

/** An object mapper: a node with properties, or typed object/nested, or with no type at all. */
function isObjectMapper(node: JsonObject): boolean {
  return node.properties !== undefined || node.type === undefined || node.type === 'object' || node.type === 'nested';
}

/** Every field mapper by full name (multi-fields included) and every object mapper by path. */
function walk(props: JsonObject, prefix: string, reserved: ReservedFields | undefined, out: Walked): void {
  for (const [name, node] of Object.entries(props)) {
    const path = prefix + name;
    if (!isObject(node) || (reserved !== undefined && prefix === '' && isReservedField(name, reserved))) continue;
    if (isObjectMapper(node)) {
      out.objects.set(path, node.type === 'nested' ? 'nested' : 'object');
      if (isObject(node.properties)) walk(node.properties, `${path}.`, reserved, out);
      continue;
    }
    out.leaves.set(path, node);
    if (isObject(node.fields)) for (const [sub, subField] of Object.entries(node.fields)) if (isObject(subField)) out.leaves.set(`${path}.${sub}`, subField);
  }
}

/**
 * The capabilities of the fields of one index's mapping (`{properties…}`) whose names match a
 * pattern: metadata fields, leaves (aliases report their target) and the objects above each leaf.
 * Reserved fields (`_tenant`, …) are never reported.
 */
export function mappingFieldCaps(mapping: Json | undefined, patterns: readonly string[], reserved?: ReservedFields): Map<string, IndexFieldCap> {
  const walked: Walked = { leaves: new Map(), objects: new Map() };
  if (isObject(mapping) && isObject(mapping.properties)) walk(mapping.properties, '', reserved, walked);
  const out = new Map<string, IndexFieldCap>();
  const wanted = (name: string): boolean => patterns.some((p) => simpleMatch(p, name));
  for (const [name, searchable, aggregatable] of METADATA_CAPS) if (wanted(name)) out.set(name, { type: name, searchable, aggregatable, meta: {} });
  for (const [name, f] of walked.leaves) {
    if (!wanted(name)) continue;
    const target = f.type === 'alias' && typeof f.path === 'string' ? walked.leaves.get(f.path) : f;
    if (target === undefined) continue;
    out.set(name, { ...leafCaps(target), meta: metaOf(target) });
    for (let dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
      const parent = name.slice(0, dot);
      if (out.has(parent)) break;
      const kind = walked.objects.get(parent);
      if (kind !== undefined) out.set(parent, { type: kind, searchable: false, aggregatable: false, meta: {} });
    }
  }
  return out;
}

/**
 * One index's caps read back from an upstream `_field_caps` answer for that index alone (each
 * field has one type there). Reserved fields are dropped.
 */
export function capsFromAnswer(answer: Json | undefined, reserved?: ReservedFields): Map<string, IndexFieldCap> {
  const out = new Map<string, IndexFieldCap>();
  const fields = isObject(answer) && isObject(answer.fields) ? answer.fields : {};
  for (const [name, types] of Object.entries(fields)) {
    if (!isObject(types) || (reserved !== undefined && isReservedField(name, reserved))) continue;
    for (const [type, cap] of Object.entries(types)) {
      if (!isObject(cap)) continue;
      const meta: Record<string, string> = {};
      // One index: each meta key has one value (a list of one in OpenSearch's answer).
      if (isObject(cap.meta)) for (const [k, v] of Object.entries(cap.meta)) meta[k] = String(Array.isArray(v) ? v[0] : v);
      out.set(name, { type, searchable: cap.searchable === true, aggregatable: cap.aggregatable === true, meta });
    }
  }
  return out;
}

/** FieldCapabilities.Builder: one type of one field across the indexes that have it as that type. */
interface TypeCaps {
  indices: string[];
  searchable: Map<string, boolean>;
  aggregatable: Map<string, boolean>;
  meta: Map<string, Set<string>>;
}

function addCap(byField: Map<string, Map<string, TypeCaps>>, field: string, index: string, cap: IndexFieldCap): void {
  let types = byField.get(field);
  if (types === undefined) byField.set(field, (types = new Map()));
  let t = types.get(cap.type);
  if (t === undefined) types.set(cap.type, (t = { indices: [], searchable: new Map(), aggregatable: new Map(), meta: new Map() }));
  t.indices.push(index);
  t.searchable.set(index, cap.searchable);
  t.aggregatable.set(index, cap.aggregatable);
  for (const [k, v] of Object.entries(cap.meta)) {
    let values = t.meta.get(k);
    if (values === undefined) t.meta.set(k, (values = new Set()));
    values.add(v);
  }
}

/** `indices` only when the field has several types; the `non_*` lists only when mixed. */
function buildType(type: string, t: TypeCaps, withIndices: boolean): JsonObject {
  const indices = [...t.indices].sort();
  const searchable = indices.every((i) => t.searchable.get(i) === true);
  const aggregatable = indices.every((i) => t.aggregatable.get(i) === true);
  const out: JsonObject = { type, searchable, aggregatable };
  if (withIndices) out.indices = indices;
  if (!searchable && indices.some((i) => t.searchable.get(i) === true)) out.non_searchable_indices = indices.filter((i) => t.searchable.get(i) !== true);
  if (!aggregatable && indices.some((i) => t.aggregatable.get(i) === true)) out.non_aggregatable_indices = indices.filter((i) => t.aggregatable.get(i) !== true);
  if (t.meta.size > 0) out.meta = Object.fromEntries([...t.meta.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, [...v].sort()]));
  return out;
}

/** The `_field_caps` answer over the given indexes (by the names the caller knows them by). */
export function mergeFieldCaps(perIndex: readonly { index: string; caps: Map<string, IndexFieldCap> }[], includeUnmapped: boolean): JsonObject {
  const byField = new Map<string, Map<string, TypeCaps>>();
  for (const { index, caps } of perIndex) for (const [field, cap] of caps) addCap(byField, field, index, cap);
  if (includeUnmapped) {
    for (const [field, types] of byField) {
      const mapped = new Set([...types.values()].flatMap((t) => t.indices));
      for (const { index } of perIndex) if (!mapped.has(index)) addCap(byField, field, index, { type: 'unmapped', searchable: false, aggregatable: false, meta: {} });
    }
  }
  const fields: JsonObject = {};
  for (const field of [...byField.keys()].sort()) {
    const types = byField.get(field) ?? new Map<string, TypeCaps>();
    fields[field] = Object.fromEntries([...types].map(([type, t]) => [type, buildType(type, t, types.size > 1)]));
  }
  return { indices: perIndex.map((p) => p.index).sort(), fields };
}
