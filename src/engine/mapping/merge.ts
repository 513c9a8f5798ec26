import { EngineError } from '../errors.ts';
import { isObject, type Json, type JsonObject } from '../json.ts';
import type { FieldMapping, Mappings } from './types.ts';

const KNOWN_TYPES = new Set([
  'text', 'keyword', 'long', 'integer', 'short', 'byte', 'double', 'float', 'half_float',
  'scaled_float', 'unsigned_long', 'date', 'boolean', 'object', 'nested', 'ip', 'binary',
  'flat_object', 'match_only_text', 'date_nanos', 'geo_point', 'knn_vector', 'alias',
  'integer_range', 'long_range', 'float_range', 'double_range', 'date_range', 'ip_range',
  'completion', 'search_as_you_type', 'token_count', 'wildcard', 'constant_keyword',
]);

const ROOT_PARAMS = new Set(['properties', 'dynamic', 'enabled', '_source', '_routing', '_meta', 'date_detection', 'numeric_detection', 'dynamic_templates', 'dynamic_date_formats']);

function mapperParsing(reason: string): EngineError {
  return new EngineError(400, 'mapper_parsing_exception', reason);
}

/** Validates a client mapping body (`{properties: ...}` or `{_doc: {properties}}`) into Mappings. */
export function parseMappingBody(body: Json | undefined): Mappings {
  if (body === undefined || body === null) return { properties: {} };
  if (!isObject(body)) throw mapperParsing('Failed to parse mapping: mapping must be an object');
  const root = isObject(body._doc) && Object.keys(body).length === 1 ? body._doc : body;
  const out: Mappings = { properties: {} };
  for (const [key, value] of Object.entries(root)) {
    if (!ROOT_PARAMS.has(key)) {
      throw mapperParsing(`Root mapping definition has unsupported parameters:  [${key} : ${JSON.stringify(value)}]`);
    }
    if (key === 'properties') out.properties = parseProperties(value, '');
    else if (key === 'dynamic') out.dynamic = parseDynamic(value);
    else if (key === 'enabled') out.enabled = nodeBoolean(value, 'enabled.enabled');
    else if (key === 'date_detection' || key === 'numeric_detection') out[key] = nodeBoolean(value, key);
    else if (key === 'dynamic_date_formats') out.dynamic_date_formats = parseDynamicDateFormats(value);
    else out[key] = value;
  }
  return out;
}

/** XContentMapValues.nodeBooleanValue(node, name): only `true`/`false` (as booleans or strings). */
function nodeBoolean(v: Json, name: string): boolean {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  if (text === 'true' || text === 'false') return text === 'true';
  const inner = new EngineError(400, 'illegal_argument_exception', `Failed to parse value [${text}] as only [true] or [false] are allowed.`);
  throw new EngineError(400, 'illegal_argument_exception', `Could not convert [${name}] to boolean`, {}, inner);
}

/** RootObjectMapper's `dynamic_date_formats`: a list, a single format, or `none`; epoch formats are refused. */
function parseDynamicDateFormats(v: Json): string[] {
  if (v === 'none') return [];
  const list = (Array.isArray(v) ? v : [v]).map((f) => (typeof f === 'string' ? f : JSON.stringify(f)));
  for (const f of list) if (f.startsWith('epoch_')) throw mapperParsing(`Epoch [${f}] is not supported as dynamic date format`);
  return list;
}

/** MapperService.internalMerge: any failure to parse a mapping is reported wrapped in this. */
export function mappingParseFailure(e: EngineError): EngineError {
  return new EngineError(400, 'mapper_parsing_exception', `Failed to parse mapping [_doc]: ${e.message}`, {}, e);
}

function parseDynamic(v: Json): Mappings['dynamic'] {
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  if (v === 'strict') return 'strict';
  throw mapperParsing(`Could not convert [dynamic] to boolean`);
}

function parseProperties(v: Json, prefix: string): Record<string, FieldMapping> {
  if (!isObject(v)) throw mapperParsing(`Expected map for property [properties] on field [${prefix || '_doc'}]`);
  const out: Record<string, FieldMapping> = {};
  for (const [name, def] of Object.entries(v)) out[name] = parseField(def, prefix + name);
  return out;
}

/** TypeParsers' type derivation: `properties`, or a lone `enabled` (usually false), make an object. */
function derivedType(def: JsonObject): Json | undefined {
  if (def.type !== undefined) return def.type;
  if (def.properties !== undefined) return 'object';
  return Object.keys(def).length === 1 && def.enabled !== undefined ? 'object' : undefined;
}

function parseField(def: Json, path: string): FieldMapping {
  if (!isObject(def)) throw mapperParsing(`Expected map for property [fields] on field [${path}] but got a class java.lang.String`);
  const type = derivedType(def);
  if (type === undefined) throw mapperParsing(`No type specified for field [${path}]`);
  if (typeof type !== 'string' || !KNOWN_TYPES.has(type)) {
    throw mapperParsing(`No handler for type [${String(type)}] declared on field [${path}]`);
  }
  const field: FieldMapping = {};
  for (const [key, value] of Object.entries(def)) {
    if (key === 'properties') field.properties = parseProperties(value, path + '.');
    else if (key === 'fields') field.fields = parseProperties(value, path + '.');
    else if (key === 'type') {
      if (value !== 'object') field.type = value as FieldMapping['type'];
    } else if (key === 'enabled' && (type === 'object' || type === 'nested')) {
      // ObjectMapper.TypeParser: nodeBooleanValue(fieldNode, fieldName + ".enabled")
      field.enabled = nodeBoolean(value, 'enabled.enabled');
    } else field[key] = value;
  }
  if (type === 'object' || type === 'nested') field.properties ??= {};
  return field;
}

/** Merges `incoming` into `current` (in place) or throws like OpenSearch on a type change. */
export function mergeMappings(current: Mappings, incoming: Mappings): void {
  checkEnabledUnchanged(current.enabled, incoming.enabled, '_doc');
  mergeProperties(current.properties, incoming.properties, '');
  for (const [key, value] of Object.entries(incoming)) {
    if (key !== 'properties' && value !== undefined) current[key] = value;
  }
}

function mergeProperties(cur: Record<string, FieldMapping>, inc: Record<string, FieldMapping>, prefix: string): void {
  for (const [name, field] of Object.entries(inc)) {
    const existing = cur[name];
    if (existing === undefined) {
      cur[name] = structuredClone(field);
      continue;
    }
    const path = prefix + name;
    const curType = existing.type ?? 'object';
    const incType = field.type ?? 'object';
    if (curType !== incType) {
      throw new EngineError(400, 'illegal_argument_exception', `mapper [${path}] cannot be changed from type [${curType}] to [${incType}]`);
    }
    if (curType === 'object' || curType === 'nested') checkEnabledUnchanged(existing.enabled as boolean | undefined, field.enabled as boolean | undefined, path);
    if (field.properties !== undefined) mergeProperties((existing.properties ??= {}), field.properties, path + '.');
    if (field.fields !== undefined) mergeProperties((existing.fields ??= {}), field.fields, path + '.');
    for (const [key, value] of Object.entries(field)) {
      if (key !== 'properties' && key !== 'fields' && key !== 'type') existing[key] = value;
    }
  }
}

/** ObjectMapper.doMerge: an explicit `enabled` must match the object's (a MapperException, so a 500). */
function checkEnabledUnchanged(current: boolean | undefined, incoming: boolean | undefined, path: string): void {
  if (incoming === undefined || (current ?? true) === incoming) return;
  throw new EngineError(500, 'mapper_exception', `the [enabled] parameter can't be updated for the object mapping [${path}]`);
}
