import { isObject, type Json, type JsonObject } from '../json.ts';
import type { FieldMapping, Mappings } from './types.ts';

/** A leaf field resolved by its full dotted path (`title.keyword`, `user.name`). */
export interface ResolvedField {
  path: string;
  /** Path of the value in `_source`: a multi-field (`title.keyword`) reads its parent's value. */
  sourcePath: string;
  mapping: FieldMapping;
}

/** Finds a field by dotted path, following object `properties` and multi-field `fields`. */
export function resolveField(mappings: Mappings, path: string): ResolvedField | undefined {
  // Nothing below a disabled root or object is indexed: such paths are not searchable fields.
  if (mappings.enabled === false) return undefined;
  const parts = path.split('.');
  let props: Record<string, FieldMapping> | undefined = mappings.properties;
  const sourceParts: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const field: FieldMapping | undefined = props?.[parts[i]];
    if (field === undefined) return undefined;
    sourceParts.push(parts[i]);
    if (i === parts.length - 1) return { path, sourcePath: sourceParts.join('.'), mapping: field };
    if (field.enabled === false) return undefined;
    if (field.properties !== undefined) {
      props = field.properties;
      continue;
    }
    const sub = field.fields?.[parts[i + 1]];
    if (sub !== undefined && i + 1 === parts.length - 1) {
      return { path, sourcePath: sourceParts.join('.'), mapping: sub };
    }
    return undefined;
  }
  return undefined;
}

/** Every leaf field path of a mapping, multi-fields included (for `*` patterns and `exists`). */
export function leafFields(mappings: Mappings): ResolvedField[] {
  const out: ResolvedField[] = [];
  const walk = (props: Record<string, FieldMapping>, prefix: string): void => {
    for (const [name, field] of Object.entries(props)) {
      const path = prefix + name;
      if (field.enabled === false) continue;
      if (field.properties !== undefined) {
        walk(field.properties, path + '.');
        continue;
      }
      out.push({ path, sourcePath: path, mapping: field });
      for (const [sub, subField] of Object.entries(field.fields ?? {})) {
        out.push({ path: `${path}.${sub}`, sourcePath: path, mapping: subField });
      }
    }
  };
  if (mappings.enabled !== false) walk(mappings.properties, '');
  return out;
}

/**
 * All values at a dotted source path, flattening arrays the way OpenSearch indexes them:
 * `{"a":[{"b":1},{"b":[2,3]}]}` at `a.b` gives [1,2,3]. Keys that themselves contain dots
 * (`{"a.b":1}`) are found too. Nulls are dropped (they are not indexed).
 */
export function extractValues(source: JsonObject, path: string): Json[] {
  const out: Json[] = [];
  collect(source, path.split('.'), 0, out);
  return out;
}

function collect(node: Json, parts: string[], at: number, out: Json[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collect(item, parts, at, out);
    return;
  }
  if (at === parts.length) {
    if (node !== null) out.push(node);
    return;
  }
  if (!isObject(node)) return;
  // Try the longest dotted key first, then shorter prefixes: {"a.b": 1} and {"a": {"b": 1}}.
  for (let end = parts.length; end > at; end--) {
    const key = parts.slice(at, end).join('.');
    if (Object.prototype.hasOwnProperty.call(node, key)) collect(node[key], parts, end, out);
  }
}
