/**
 * Physical field names in shared placement. Every field of a tenant is stored under a name of its
 * own — `<name>__osx_<tag>`, the tag a hash of (tenant, path, the field's defining parameters) —
 * so that no tenant's field, type or field count can make another tenant's write fail, its query
 * answer differently or its error reveal anything; term statistics of those fields are the
 * tenant's own too. The tenant's indexes that define a field alike name it alike, so that a search
 * over several of them aggregates and sorts on it as OpenSearch would. Defining parameters are
 * those OpenSearch never lets a field change (type, analyzer, format…): a re-created index that
 * defines a field differently gets a new name, its mapping fresh as on a real cluster, and an
 * update never renames a field. Multi-field names (`title.keyword`) stay as they are: they live
 * under their parent's own name.
 */
import { createHash } from 'node:crypto';
import { isObject, putKey, type Json, type JsonObject } from '../../core/json.ts';
import { isObjectNode, nodeType, type LogicalMapping } from './logical-mapping.ts';

export const PHYSICAL_MARK = '__osx_';
const TAG_LENGTH = 10;
const SUFFIX = new RegExp(`${PHYSICAL_MARK}[a-z2-7]{${TAG_LENGTH}}$`);
const SUFFIX_ANYWHERE = new RegExp(`${PHYSICAL_MARK}[a-z2-7]{${TAG_LENGTH}}`, 'g');
/** A name no field is ever mapped under: what a query on a field the tenant does not have uses. */
export const UNMAPPED_TAG = `${PHYSICAL_MARK}none`;

const B32 = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Buffer, length: number): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length >= length) break;
  }
  return out;
}

/** Whether a client key could collide with osproxy's physical names (refused in documents). */
export function namesPhysicalMark(key: string): boolean {
  return key.includes(PHYSICAL_MARK);
}

const UNMAPPED_SUFFIX = new RegExp(`${UNMAPPED_TAG}$`);
/** Keys already mapped back: every document of an index repeats the same few (bounded: emptied when full). */
const LOGICAL_KEYS = new Map<string, string>();
const LOGICAL_KEYS_MAX = 8192;

/** A physical key (possibly dotted) back to the tenant's name. */
export function logicalKey(key: string): string {
  if (!key.includes(PHYSICAL_MARK)) return key;
  let logical = LOGICAL_KEYS.get(key);
  if (logical === undefined) {
    logical = key.split('.').map((seg) => seg.replace(SUFFIX, '').replace(UNMAPPED_SUFFIX, '')).join('.');
    if (LOGICAL_KEYS.size >= LOGICAL_KEYS_MAX) LOGICAL_KEYS.clear();
    LOGICAL_KEYS.set(key, logical);
  }
  return logical;
}

/** Every physical name in a text (an upstream error reason) replaced by the tenant's. */
export function logicalText(text: string): string {
  if (!text.includes(PHYSICAL_MARK)) return text;
  return text.replace(SUFFIX_ANYWHERE, '').replaceAll(UNMAPPED_TAG, '');
}

/** A copy of a stored source (or `fields`/`highlight` object) with the tenant's own key names. */
export function logicalSource(node: Json): Json {
  if (Array.isArray(node)) return node.map(logicalSource);
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const key of Object.keys(node)) {
    const value = node[key];
    putKey(out, logicalKey(key), typeof value === 'object' && value !== null ? logicalSource(value) : value);
  }
  return out;
}

/** Parameters a field can never change once mapped (OpenSearch refuses the update): they name it. */
export const DEFINING_PARAMETERS = [
  'type', 'analyzer', 'normalizer', 'format', 'locale', 'index', 'doc_values', 'store', 'index_options', 'term_vector',
  'similarity', 'position_increment_gap', 'scaling_factor', 'dimension', 'dims', 'method', 'enabled', 'null_value',
] as const;

const definitions = new WeakMap<JsonObject, string>();

/** A mapping node's defining parameters, canonical (cached per node: mapping nodes are immutable). */
export function definitionOf(node: JsonObject): string {
  let def = definitions.get(node);
  if (def === undefined) {
    const picked: Json[] = [nodeType(node)];
    for (const key of DEFINING_PARAMETERS.slice(1)) if (node[key] !== undefined) picked.push(key, node[key] as Json);
    definitions.set(node, (def = JSON.stringify(picked)));
  }
  return def;
}

/** The names of one tenant's fields in shared indexes. */
export class PhysicalNamer {
  /** path + definition → physical segment: a hash per field once, not per document. */
  private readonly names = new Map<string, string>();

  /** Per mapping node, its JSON-quoted physical name (the text renamer's hot path: no path built). */
  private readonly quotedByNode = new WeakMap<JsonObject, { key: string; prefix: string; quoted: string }>();

  constructor(private readonly tenant: string) {}

  /** The physical name of the node under `key` at `prefix` (`a.b.`), as a JSON string. */
  quoted(key: string, prefix: string, node: JsonObject): string {
    const hit = this.quotedByNode.get(node);
    if (hit !== undefined && hit.key === key && hit.prefix === prefix) return hit.quoted;
    const quoted = JSON.stringify(this.segment(key, prefix + key, node));
    this.quotedByNode.set(node, { key, prefix, quoted });
    return quoted;
  }

  /** The physical name of the mapping node at `path` (its last segment is `name`). */
  segment(name: string, path: string, node: JsonObject): string {
    const key = `${path}\0${definitionOf(node)}`;
    let physical = this.names.get(key);
    if (physical === undefined) {
      const digest = createHash('sha256').update(`${this.tenant}\0${key}`).digest();
      physical = `${name}${PHYSICAL_MARK}${base32(digest, TAG_LENGTH)}`;
      if (this.names.size < 10_000) this.names.set(key, physical);
    }
    return physical;
  }

  /** The physical mapping of logical properties (as put on the shared index). */
  properties(props: Record<string, JsonObject>, prefix = ''): JsonObject {
    const out: JsonObject = {};
    for (const [name, node] of Object.entries(props)) {
      const path = prefix + name;
      const physical: JsonObject = { ...node };
      if (isObjectNode(node) && isObject(node.properties)) physical.properties = this.properties(node.properties as Record<string, JsonObject>, `${path}.`);
      out[this.segment(name, path, node)] = physical;
    }
    return out;
  }

  /**
   * The physical path of a logical field path (`user.name`, `title.keyword`), or undefined when the
   * mapping has no such field.
   */
  path(mapping: LogicalMapping, logical: string): string | undefined {
    const parts = logical.split('.');
    let props: Record<string, JsonObject> | undefined = mapping.properties;
    const out: string[] = [];
    let prefix = '';
    for (let i = 0; i < parts.length; i++) {
      const node: JsonObject | undefined = props?.[parts[i]];
      if (node === undefined) return undefined;
      const path = prefix + parts[i];
      out.push(this.segment(parts[i], path, node));
      if (i === parts.length - 1) return out.join('.');
      if (isObjectNode(node)) {
        props = isObject(node.properties) ? (node.properties as Record<string, JsonObject>) : {};
        prefix = `${path}.`;
        continue;
      }
      // A multi-field: the rest is its name under the parent, unrenamed.
      const sub = parts.slice(i + 1).join('.');
      return isObject(node.fields) && isObject(node.fields[sub]) ? `${out.join('.')}.${sub}` : undefined;
    }
    return undefined;
  }

  /** A document with its keys renamed to physical names; keys the mapping lacks (dynamic: false) stay. */
  document(doc: JsonObject, mapping: LogicalMapping): JsonObject {
    return this.renameObject(doc, mapping.properties, '');
  }

  private renameObject(doc: JsonObject, props: Record<string, JsonObject>, prefix: string): JsonObject {
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(doc)) {
      if (key.includes('.')) {
        const renamed = this.renameDotted(key, value, props, prefix);
        out[renamed[0]] = renamed[1];
        continue;
      }
      const node = Object.hasOwn(props, key) ? props[key] : undefined;
      if (node === undefined) {
        out[key] = value;
        continue;
      }
      const path = prefix + key;
      out[this.segment(key, path, node)] = isObjectNode(node) ? this.renameValue(value, (node.properties ?? {}) as Record<string, JsonObject>, `${path}.`) : value;
    }
    return out;
  }

  private renameValue(value: Json, props: Record<string, JsonObject>, prefix: string): Json {
    if (Array.isArray(value)) return value.map((v) => this.renameValue(v, props, prefix));
    return isObject(value) ? this.renameObject(value, props, prefix) : value;
  }

  /** `{"a.b": v}`: each segment renamed along the object path, the dotted form kept. */
  private renameDotted(key: string, value: Json, props: Record<string, JsonObject>, prefix: string): [string, Json] {
    const parts = key.split('.');
    const out: string[] = [];
    let current = props;
    let path = prefix;
    for (let i = 0; i < parts.length; i++) {
      const node: JsonObject | undefined = Object.hasOwn(current, parts[i]) ? current[parts[i]] : undefined;
      if (node === undefined) return [[...out, ...parts.slice(i)].join('.'), value];
      const at = path + parts[i];
      out.push(this.segment(parts[i], at, node));
      if (i === parts.length - 1) {
        return [out.join('.'), isObjectNode(node) ? this.renameValue(value, (node.properties ?? {}) as Record<string, JsonObject>, `${at}.`) : value];
      }
      if (!isObjectNode(node)) return [[...out, ...parts.slice(i + 1)].join('.'), value];
      current = (node.properties ?? {}) as Record<string, JsonObject>;
      path = `${at}.`;
    }
    return [out.join('.'), value];
  }
}

/** Bound on remembered namers; cleared whole when reached (a namer is only a memo). */
const MAX_NAMERS = 20_000;
const namers = new Map<string, PhysicalNamer>();

/** The tenant's namer, shared by all its indexes (and snapshots) so the names are hashed once. */
export function namerFor(tenant: string): PhysicalNamer {
  let namer = namers.get(tenant);
  if (namer === undefined) {
    if (namers.size >= MAX_NAMERS) namers.clear();
    namers.set(tenant, (namer = new PhysicalNamer(tenant)));
  }
  return namer;
}
