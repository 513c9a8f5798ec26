/**
 * The fields a document adds to its tenant's logical mapping, as OpenSearch's dynamic mapping
 * would add them to a fresh index (DocumentParser: booleans, long/float, strings as text with a
 * keyword multi-field, dates by `date_detection`, numbers in strings by `numeric_detection`,
 * objects; `dynamic: strict` refuses a new field, `false` leaves it unmapped).
 */
import { isObject, type Json, type JsonObject } from '../../core/json.ts';
import { OsproxyError } from '../../http/errors.ts';
import { isObjectNode, type LogicalMapping } from './logical-mapping.ts';

type Dynamic = boolean | 'strict';

/** strict_date_optional_time: yyyy[-MM[-dd[THH[:mm[:ss[.S…]]]]]] with a zone only after a time. */
const ISO_DATE = /^\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}(?::\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/;
/** yyyy/MM/dd HH:mm:ss || yyyy/MM/dd (the second default dynamic date format). */
const SLASH_DATE = /^\d{4}\/\d{2}\/\d{2}(?: \d{2}:\d{2}:\d{2})?$/;
const LONG = /^[+-]?\d+$/;
const DOUBLE = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/;

function validCalendar(text: string): boolean {
  const m = /^(\d{4})(?:[-/](\d{2})(?:[-/](\d{2}))?)?/.exec(text);
  if (m === null) return false;
  const month = m[2] === undefined ? 1 : Number(m[2]);
  const day = m[3] === undefined ? 1 : Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(Number(m[1]), month, 0)).getUTCDate();
}

function stringMapping(text: string, root: LogicalMapping): JsonObject {
  const asLong = LONG.test(text);
  const asDouble = DOUBLE.test(text.trim());
  if (root.numeric_detection === true && asLong) return { type: 'long' };
  if (root.numeric_detection === true && asDouble) return { type: 'float' };
  if (!asLong && !asDouble && root.date_detection !== false && validCalendar(text)) {
    if (ISO_DATE.test(text)) return { type: 'date' };
    if (SLASH_DATE.test(text)) return { type: 'date', format: 'yyyy/MM/dd HH:mm:ss||yyyy/MM/dd||epoch_millis' };
  }
  return { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } };
}

/** The mapping a new value gets, or undefined for null and empty arrays (nothing to map yet). */
function valueMapping(value: Json, root: LogicalMapping): JsonObject | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const m = valueMapping(item, root);
      if (m !== undefined) return m;
    }
    return undefined;
  }
  if (value === null) return undefined;
  if (typeof value === 'boolean') return { type: 'boolean' };
  if (typeof value === 'number') return { type: Number.isInteger(value) ? 'long' : 'float' };
  if (typeof value === 'string') return stringMapping(value, root);
  return { properties: {} };
}

function strict(field: string, parent: string): OsproxyError {
  return new OsproxyError({ status: 400, type: 'strict_dynamic_mapping_exception', code: 'strict_dynamic_mapping', reason: `mapping set to strict, dynamic introduction of [${field}] within [${parent}] is not allowed` });
}

function dynamicOf(node: JsonObject | undefined, inherited: Dynamic): Dynamic {
  const d = node?.dynamic;
  if (d === true || d === 'true') return true;
  if (d === false || d === 'false') return false;
  if (d === 'strict') return 'strict';
  return inherited;
}

/** Object values at a key, arrays of objects flattened as OpenSearch indexes them. */
function objectsIn(value: Json): JsonObject[] {
  if (Array.isArray(value)) return value.flatMap(objectsIn);
  return isObject(value) ? [value] : [];
}

/** `{"a.b": 1}` is `{"a": {"b": 1}}` to the mapper. */
function expandDots(doc: JsonObject): [string, Json][] {
  return Object.entries(doc).map(([key, value]): [string, Json] => {
    if (!key.includes('.') || key.startsWith('.') || key.endsWith('.')) return [key, value];
    const parts = key.split('.');
    let nested: Json = value;
    for (let i = parts.length - 1; i >= 1; i--) nested = { [parts[i]]: nested };
    return [parts[0], nested];
  });
}

/**
 * Walks `doc` against `props`; returns the new properties (only what is new, as a mapping
 * update), or undefined when nothing is new. `dynamic` is what applies at this level.
 */
function walk(doc: JsonObject, props: Record<string, JsonObject>, dynamic: Dynamic, parent: string, root: LogicalMapping): Record<string, JsonObject> | undefined {
  let added: Record<string, JsonObject> | undefined;
  for (const [key, value] of expandDots(doc)) {
    const path = parent === '' ? key : `${parent}.${key}`;
    const node = Object.hasOwn(props, key) ? props[key] : undefined;
    if (node !== undefined) {
      if (!isObjectNode(node) || node.enabled === false) continue;
      const childProps = (isObject(node.properties) ? node.properties : {}) as Record<string, JsonObject>;
      const childDynamic = dynamicOf(node, dynamic);
      let childAdded: Record<string, JsonObject> | undefined;
      for (const obj of objectsIn(value)) {
        const more = walk(obj, { ...childProps, ...childAdded }, childDynamic, path, root);
        if (more !== undefined) childAdded = { ...childAdded, ...more };
      }
      if (childAdded !== undefined) (added ??= {})[key] = { ...node, properties: childAdded };
      continue;
    }
    if (dynamic === 'strict') throw strict(key, parent === '' ? '_doc' : parent);
    if (dynamic === false) continue;
    const mapping = valueMapping(value, root);
    if (mapping === undefined) continue;
    if (isObjectNode(mapping)) {
      let childAdded: Record<string, JsonObject> = {};
      for (const obj of objectsIn(value)) childAdded = { ...childAdded, ...(walk(obj, childAdded, dynamic, path, root) ?? {}) };
      mapping.properties = childAdded;
    }
    (added ??= {})[key] = mapping;
  }
  return added;
}

/** What `doc` adds to `mapping` under dynamic mapping, as a mapping update (undefined: nothing). */
export function inferNewFields(doc: JsonObject, mapping: LogicalMapping): LogicalMapping | undefined {
  const added = walk(doc, mapping.properties, mapping.dynamic ?? true, '', mapping);
  return added === undefined ? undefined : { properties: added };
}
