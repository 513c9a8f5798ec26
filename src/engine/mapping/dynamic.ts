import { EngineError } from '../errors.ts';
import { isObject, type Json, type JsonObject } from '../json.ts';
import { DEFAULT_DATE_FORMAT, parseDateValue } from '../search/fields/dates.ts';
import { inferMapping } from './detect.ts';
import { isNumericType, type FieldMapping, type Mappings } from './types.ts';

type DynamicSetting = Mappings['dynamic'];

interface Walk {
  docId: string;
  /** The root mapping: its date_detection, numeric_detection and dynamic_date_formats steer inference. */
  root: Mappings;
  /** false: only check (values against types, strict mode) and report whether fields are new. */
  mutate: boolean;
}

/**
 * Walks a document against the mapping: adds new fields (dynamic: true), rejects them
 * (strict) or ignores them (false), and checks values against existing field types.
 * With `mutate` it changes `mappings` in place; either way it returns true when the document
 * brings new fields, so a caller can check cheaply first and copy the mapping only then.
 */
export function applyDynamicMapping(mappings: Mappings, doc: JsonObject, docId: string, mutate = true): boolean {
  // DocumentParser: a disabled root skips the whole document.
  if (mappings.enabled === false) return false;
  return walkObject(mappings.properties, doc, '', mappings.dynamic, { docId, root: mappings, mutate });
}

function walkObject(props: Record<string, FieldMapping>, obj: JsonObject, prefix: string, dynamic: DynamicSetting, w: Walk): boolean {
  let changed = false;
  for (const key in obj) {
    if (key === '') throw mapperParsing(`field name cannot be an empty string`);
    changed = walkField(props, key, obj[key], prefix, dynamic, w) || changed;
    if (changed && !w.mutate) return true;
  }
  return changed;
}

function walkField(props: Record<string, FieldMapping>, key: string, value: Json, prefix: string, dynamic: DynamicSetting, w: Walk): boolean {
  const path = prefix + key;
  checkDepth(path);
  // A dotted key ("a.b": 1) is the object path a → b, as in OpenSearch.
  const dot = key.indexOf('.');
  if (dot > 0) {
    const head = key.slice(0, dot);
    return walkField(props, head, { [key.slice(dot + 1)]: value }, prefix, dynamic, w);
  }
  let field = Object.prototype.hasOwnProperty.call(props, key) ? props[key] : undefined;
  // parseObjectOrNested: a disabled object's value (any JSON) is skipped, never parsed or mapped.
  if (field !== undefined && field.enabled === false && isObjectMapping(field)) return false;
  let changed = false;
  if (field === undefined) {
    const inferred = inferMapping(value, w.root);
    if (inferred === undefined) return false;
    if (dynamic === 'strict') {
      throw new EngineError(
        400,
        'strict_dynamic_mapping_exception',
        `mapping set to strict, dynamic introduction of [${key}] within [${prefix === '' ? '_doc' : prefix.slice(0, -1)}] is not allowed`,
      );
    }
    if (dynamic === false || dynamic === 'false') return false;
    if (!w.mutate) return true;
    props[key] = inferred;
    field = inferred;
    changed = true;
  }
  const fieldDynamic = (field.dynamic as DynamicSetting | undefined) ?? dynamic;
  for (const item of Array.isArray(value) ? value : [value]) {
    if (item === null) continue;
    if (field.properties !== undefined || field.type === 'object' || field.type === 'nested') {
      if (!isObject(item)) throw mapperParsing(objectExpected(path, w.docId));
      if (field.properties === undefined && !w.mutate) return true;
      field.properties ??= {};
      changed = walkObject(field.properties, item, path + '.', fieldDynamic, w) || changed;
      if (changed && !w.mutate) return true;
    } else {
      checkLeafValue(field, item, path, w.docId);
    }
  }
  return changed;
}

const isObjectMapping = (f: FieldMapping): boolean => f.properties !== undefined || f.type === 'object' || f.type === 'nested';

/** OpenSearch's index.mapping.depth.limit default. */
const MAX_OBJECT_DEPTH = 20;

function checkDepth(path: string): void {
  let depth = 1;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 46) depth++;
  if (depth > MAX_OBJECT_DEPTH) {
    throw new EngineError(400, 'illegal_argument_exception', `Limit of mapping depth [${MAX_OBJECT_DEPTH}] has been exceeded due to object field [${path.slice(0, 200)}]`);
  }
}

function objectExpected(path: string, docId: string): string {
  return `object mapping for [${path}] tried to parse field [${path}] as object, but found a concrete value (document id '${docId}')`;
}

function checkLeafValue(field: FieldMapping, value: Json, path: string, docId: string): void {
  const type = field.type ?? 'object';
  if (isObject(value) && type !== 'flat_object') {
    throw mapperParsing(
      `failed to parse field [${path}] of type [${type}] in document with id '${docId}'. Preview of field's value: '${preview(value)}'`,
    );
  }
  const bad =
    (isNumericType(type) && !isNumeric(value)) ||
    (type === 'date' && Number.isNaN(parseDateValue(value, typeof field.format === 'string' ? field.format : DEFAULT_DATE_FORMAT))) ||
    (type === 'boolean' && !(typeof value === 'boolean' || value === 'true' || value === 'false' || value === ''));
  if (bad) {
    throw mapperParsing(
      `failed to parse field [${path}] of type [${type}] in document with id '${docId}'. Preview of field's value: '${preview(value)}'`,
    );
  }
}

function isNumeric(v: Json): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  return typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v));
}

function preview(v: Json): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 20 ? s.slice(0, 20) : s;
}

export function mapperParsing(reason: string): EngineError {
  return new EngineError(400, 'mapper_parsing_exception', reason);
}
