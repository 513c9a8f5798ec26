import { isObject, type Json, type JsonObject } from '../json.ts';
import { globToRegExp } from './fields/glob.ts';

/** Compiled include/exclude patterns: a path matches a pattern, or lies under a path that does. */
interface Patterns {
  includes: RegExp[];
  excludes: RegExp[];
}

const compile = (list: string[] | undefined): RegExp[] => (list ?? []).filter((p) => p !== '').map((p) => globToRegExp(p));

/**
 * `_source` filtering as OpenSearch does it: includes keep matching paths (an object path keeps
 * everything under it), excludes drop matching paths; `*` wildcards, dotted paths, arrays of
 * objects filtered element-wise, objects left empty by filtering dropped.
 */
export function filterSource(source: JsonObject, includes: string[] | undefined, excludes: string[] | undefined): JsonObject {
  const patterns = { includes: compile(includes), excludes: compile(excludes) };
  if (patterns.includes.length === 0 && patterns.excludes.length === 0) return source;
  return filterObject(source, '', patterns, patterns.includes.length === 0);
}

function filterObject(obj: JsonObject, prefix: string, p: Patterns, included: boolean): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(obj)) {
    const path = prefix + key;
    if (p.excludes.some((re) => re.test(path))) continue;
    const fullyIncluded = included || p.includes.some((re) => re.test(path));
    const kept = filterValue(value, path, p, fullyIncluded);
    if (kept !== undefined) out[key] = kept;
  }
  return out;
}

function filterValue(value: Json, path: string, p: Patterns, included: boolean): Json | undefined {
  if (isObject(value)) {
    const inner = filterObject(value, `${path}.`, p, included);
    return included || Object.keys(inner).length > 0 ? inner : undefined;
  }
  if (Array.isArray(value)) {
    const items: Json[] = [];
    for (const item of value) {
      const kept = isObject(item) || Array.isArray(item) ? filterValue(item, path, p, included) : included ? item : undefined;
      // Objects emptied by filtering are dropped from arrays (OpenSearch's XContentMapValues.filter).
      if (kept !== undefined && !(isObject(kept) && Object.keys(kept).length === 0 && isObject(item) && Object.keys(item).length > 0)) items.push(kept);
    }
    return included || items.length > 0 ? items : undefined;
  }
  return included ? value : undefined;
}
