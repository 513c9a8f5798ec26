/**
 * A tenant's logical mapping of one logical index (SPEC §4.2): what `GET /{i}/_mapping` shows it,
 * kept in the fleet store — the explicit mappings it put plus the fields its own writes added.
 * Stored in OpenSearch's JSON shape (`{dynamic?, date_detection?, numeric_detection?, properties}`).
 */
import { isObject, type Json, type JsonObject } from '../../core/json.ts';
import { OsproxyError } from '../../http/errors.ts';

/** The mark of osproxy's physical field names (physical-names.ts): no tenant field may contain it. */
const PHYSICAL_MARK = '__osx_';

export interface LogicalMapping {
  dynamic?: boolean | 'strict';
  date_detection?: boolean;
  numeric_detection?: boolean;
  _meta?: JsonObject;
  properties: Record<string, JsonObject>;
}

/** Field types a shared index can hold for a tenant (everything that has no cross-document references). */
export const FIELD_TYPES: ReadonlySet<string> = new Set([
  'text', 'keyword', 'match_only_text', 'wildcard', 'constant_keyword', 'long', 'integer', 'short', 'byte', 'double', 'float',
  'half_float', 'scaled_float', 'unsigned_long', 'date', 'date_nanos', 'boolean', 'binary', 'ip', 'object', 'nested',
  'flat_object', 'geo_point', 'geo_shape', 'integer_range', 'long_range', 'float_range', 'double_range', 'date_range',
  'ip_range', 'token_count', 'search_as_you_type', 'completion', 'knn_vector', 'rank_feature', 'rank_features',
]);

/** Mapping features that reference other fields or parse with tenant-chosen rules: refused in shared placement. */
const SHARED_REFUSED_PARAMS = ['copy_to', 'path'];
const ROOT_KEYS = new Set(['properties', 'dynamic', 'date_detection', 'numeric_detection', '_meta']);
const SHARED_REFUSED_ROOT = new Set(['dynamic_templates', 'dynamic_date_formats', '_routing', '_source', 'runtime']);

function mapperParsing(reason: string): OsproxyError {
  return new OsproxyError({ status: 400, type: 'mapper_parsing_exception', code: 'mapper_parsing', reason });
}

function notInShared(what: string): OsproxyError {
  return new OsproxyError({ status: 400, type: 'illegal_argument_exception', code: 'mapping_not_supported_in_shared', reason: `${what} is not supported for an index in shared placement; ask for a dedicated index` });
}

export const emptyMapping = (): LogicalMapping => ({ properties: {} });

/** The type of a mapping node: `object` for a node with properties (or `enabled`) and no type. */
export function nodeType(node: JsonObject): string {
  if (typeof node.type === 'string') return node.type;
  return 'object';
}

export function isObjectNode(node: JsonObject): boolean {
  const t = nodeType(node);
  return t === 'object' || t === 'nested';
}

function parseDynamic(v: Json): LogicalMapping['dynamic'] {
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  if (v === 'strict') return 'strict';
  throw mapperParsing('Could not convert [dynamic] to boolean');
}

function parseBool(v: Json, name: string): boolean {
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw new OsproxyError({ status: 400, type: 'illegal_argument_exception', code: 'mapper_parsing', reason: `Could not convert [${name}] to boolean` });
}

function parseProperties(v: Json, prefix: string): Record<string, JsonObject> {
  if (!isObject(v)) throw mapperParsing(`Expected map for property [properties] on field [${prefix === '' ? '_doc' : prefix.slice(0, -1)}]`);
  const out: Record<string, JsonObject> = {};
  for (const [name, def] of Object.entries(v)) {
    if (name.includes(PHYSICAL_MARK)) throw new OsproxyError({ status: 400, type: 'illegal_argument_exception', code: 'reserved_field', reason: `field [${prefix + name}] contains [${PHYSICAL_MARK}], which osproxy reserves for tenant isolation` });
    out[name] = parseField(def, prefix + name);
  }
  return out;
}

function parseField(def: Json, path: string): JsonObject {
  if (!isObject(def)) throw mapperParsing(`Expected map for property [fields] on field [${path}] but got a class java.lang.String`);
  const type = def.type ?? (def.properties !== undefined || def.enabled !== undefined ? 'object' : undefined);
  if (type === undefined) throw mapperParsing(`No type specified for field [${path}]`);
  if (typeof type !== 'string' || !FIELD_TYPES.has(type)) {
    if (type === 'alias' || type === 'join' || type === 'percolator') throw notInShared(`the [${String(type)}] field type (field [${path}])`);
    throw mapperParsing(`No handler for type [${String(type)}] declared on field [${path}]`);
  }
  const refused = SHARED_REFUSED_PARAMS.find((p) => def[p] !== undefined);
  if (refused !== undefined) throw notInShared(`the mapping parameter [${refused}] (field [${path}])`);
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(def)) {
    if (key === 'properties') out.properties = parseProperties(value, `${path}.`);
    else if (key === 'fields') out.fields = parseProperties(value, `${path}.`);
    else if (key !== 'type' || value !== 'object') out[key] = value;
  }
  return out;
}

/** A client mapping body (`{properties…}` or `{_doc:{…}}`) as a logical mapping, or a 400 like OpenSearch's. */
export function parseLogicalMapping(body: Json | undefined): LogicalMapping {
  if (body === undefined || body === null) return emptyMapping();
  if (!isObject(body)) throw mapperParsing('Failed to parse mapping: mapping must be an object');
  const root = isObject(body._doc) && Object.keys(body).length === 1 ? body._doc : body;
  const out = emptyMapping();
  for (const [key, value] of Object.entries(root)) {
    if (SHARED_REFUSED_ROOT.has(key)) throw notInShared(`the root mapping parameter [${key}]`);
    if (!ROOT_KEYS.has(key)) throw mapperParsing(`Root mapping definition has unsupported parameters:  [${key} : ${JSON.stringify(value)}]`);
    if (key === 'properties') out.properties = parseProperties(value, '');
    else if (key === 'dynamic') out.dynamic = parseDynamic(value);
    else if (key === 'date_detection' || key === 'numeric_detection') out[key] = parseBool(value, key);
    else if (key === '_meta') {
      if (!isObject(value)) throw mapperParsing('[_meta] must be an object');
      out._meta = value;
    }
  }
  return out;
}

/** The logical mapping as stored and shown (a plain JSON object). */
export function mappingJson(m: LogicalMapping): JsonObject {
  const out: JsonObject = {};
  if (m.dynamic !== undefined) out.dynamic = m.dynamic === 'strict' ? 'strict' : String(m.dynamic);
  if (m.date_detection !== undefined) out.date_detection = m.date_detection;
  if (m.numeric_detection !== undefined) out.numeric_detection = m.numeric_detection;
  if (m._meta !== undefined) out._meta = m._meta;
  if (Object.keys(m.properties).length > 0) out.properties = sortProperties(m.properties);
  return out;
}

/** Properties by name, as OpenSearch renders them. */
function sortProperties(props: Record<string, JsonObject>): JsonObject {
  const out: JsonObject = {};
  for (const name of Object.keys(props).sort()) {
    const node = { ...props[name] };
    if (isObject(node.properties)) node.properties = sortProperties(node.properties as Record<string, JsonObject>);
    if (isObject(node.fields)) node.fields = sortProperties(node.fields as Record<string, JsonObject>);
    out[name] = node;
  }
  return out;
}

/** A stored logical mapping read back (from the fleet store); malformed parts are dropped. */
export function fromStored(json: Json | undefined): LogicalMapping {
  if (!isObject(json)) return emptyMapping();
  try {
    return parseLogicalMapping(json);
  } catch {
    return emptyMapping();
  }
}

/** Fields as OpenSearch's total-fields limit counts them: every field, multi-field and object. */
export function countFields(props: Record<string, JsonObject>): number {
  let n = 0;
  for (const node of Object.values(props)) {
    n++;
    if (isObject(node.properties)) n += countFields(node.properties as Record<string, JsonObject>);
    if (isObject(node.fields)) n += countFields(node.fields as Record<string, JsonObject>);
  }
  return n;
}
