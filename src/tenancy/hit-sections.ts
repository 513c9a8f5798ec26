/**
 * Request sections that shape returned hits: highlight, script_fields, fields, docvalue_fields,
 * stored_fields, collapse, and the hit options of inner_hits and top_hits. Wildcards are allowed
 * (the response side strips reserved fields from every hit section); explicit reserved names are
 * refused, highlight queries walked, scripts follow the script rule.
 */
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { malformed } from './errors.ts';
import { listedFieldNames, valueFieldName } from './field-checks.ts';
import { asList, expectObject, expectString, isFlat } from './json-shape.ts';
import { isReservedField } from './reserved-fields.ts';
import type { RewriteContext } from './scope.ts';
import { checkScript } from './scripts.ts';
import { rewriteSort } from './sort-checks.ts';

/** `fields` / `docvalue_fields`: names or `{field, format}` objects, each expanded to the searched indexes' names. */
export function rewriteFieldList(list: Json, ctx: RewriteContext, path: string, docValues = false): Json[] {
  return asList(list).flatMap((entry, i) => {
    const at = Array.isArray(list) ? `${path}[${i}]` : path;
    const names = listedFieldNames(isObject(entry) ? entry.field : entry, ctx, at, { docValues });
    return names.map((name): Json => (isObject(entry) ? { ...entry, field: name } : name));
  });
}

/** `stored_fields`: names; metadata names are fine (hits map their metadata). */
export function rewriteDocvalueFields(list: Json, ctx: RewriteContext, path: string): Json[] {
  return rewriteFieldList(list, ctx, path, true);
}

export function rewriteStoredFields(list: Json, ctx: RewriteContext, path: string): Json {
  const out = asList(list).flatMap((entry, i) => listedFieldNames(entry, ctx, `${path}[${i}]`, { allowMeta: true }));
  return Array.isArray(list) || out.length > 1 ? out : out[0];
}

/** `_source`: `false`, a pattern or list of them, or `{includes, excludes}`, patterns expanded. */
export function rewriteSourceFilter(source: Json, ctx: RewriteContext, path: string): Json {
  if (typeof source === 'boolean' || ctx.fields.identity) return source;
  // Source filters only ever narrow what comes back (reserved fields are stripped from it anyway).
  const list = (v: Json, at: string): Json[] => asList(v).flatMap((p, i) => {
    const field = expectString(p, `${at}[${i}]`);
    return isReservedField(field, ctx.reserved) ? [field] : ctx.fields.names(field);
  });
  if (!isObject(source)) return list(source, path);
  const out: JsonObject = { ...source };
  for (const key of ['includes', 'excludes', 'include', 'exclude']) if (source[key] !== undefined) out[key] = list(source[key], `${path}.${key}`);
  return out;
}

export function checkScriptFields(scriptFields: Json, ctx: RewriteContext, path: string): void {
  for (const [name, def] of Object.entries(expectObject(scriptFields, path))) {
    checkScript(expectObject(def, `${path}.${name}`).script, ctx, `${path}.${name}.script`);
  }
}

/** Highlight: field names checked, `highlight_query` (global or per field) walked, `matched_fields` checked. */
export function rewriteHighlight(highlight: Json, ctx: RewriteContext, path: string): JsonObject {
  const out = rewriteHighlightOptions(expectObject(highlight, path), ctx, path);
  const fields = out.fields;
  if (fields === undefined) return out;
  if (Array.isArray(fields)) {
    out.fields = fields.map((f, i) => rewriteHighlightFields(f, ctx, `${path}.fields[${i}]`));
  } else {
    out.fields = rewriteHighlightFields(fields, ctx, `${path}.fields`);
  }
  return out;
}

function rewriteHighlightFields(fields: Json, ctx: RewriteContext, path: string): JsonObject {
  const entries = Object.entries(expectObject(fields, path)).flatMap(([name, options]): [string, Json][] => {
    const rewritten = rewriteHighlightOptions(expectObject(options, `${path}.${name}`), ctx, `${path}.${name}`);
    return listedFieldNames(name, ctx, path).map((physical): [string, Json] => [physical, rewritten]);
  });
  return Object.fromEntries(entries);
}

function rewriteHighlightOptions(options: JsonObject, ctx: RewriteContext, path: string): JsonObject {
  const out: JsonObject = { ...options };
  for (const [key, value] of Object.entries(options)) {
    const at = `${path}.${key}`;
    if (key === 'highlight_query') out.highlight_query = ctx.rewriteQuery(value, at);
    else if (key === 'matched_fields') out.matched_fields = asList(value).flatMap((f, i) => listedFieldNames(f, ctx, `${at}[${i}]`));
    else if (key !== 'fields' && !isFlat(value)) malformed('unsupported_parameter', `[${at}] is not supported by osproxy`);
  }
  return out;
}

const HIT_OPTION_KEYS = new Set([
  'name', 'from', 'size', '_source', 'explain', 'version', 'seq_no_primary_term', 'track_scores', 'ignore_unmapped',
]);

/** The options of inner_hits / top_hits; `collapse` only where OpenSearch allows it (collapse inner_hits). */
export function rewriteHitOptions(body: Json, ctx: RewriteContext, path: string, allowCollapse: boolean): JsonObject {
  const obj = expectObject(body, path);
  const out: JsonObject = { ...obj };
  for (const [key, value] of Object.entries(obj)) {
    const at = `${path}.${key}`;
    if (key === 'sort') out.sort = rewriteSort(value, ctx, at);
    else if (key === 'highlight') out.highlight = rewriteHighlight(value, ctx, at);
    else if (key === 'script_fields') checkScriptFields(value, ctx, at);
    else if (key === 'docvalue_fields' || key === 'fields') out[key] = rewriteFieldList(value, ctx, at, key === 'docvalue_fields');
    else if (key === 'stored_fields') out[key] = rewriteStoredFields(value, ctx, at);
    else if (key === '_source') out[key] = rewriteSourceFilter(value, ctx, at);
    else if (key === 'collapse' && allowCollapse) out.collapse = rewriteCollapse(value, ctx, at);
    else if (!HIT_OPTION_KEYS.has(key)) malformed('unsupported_parameter', `[${at}] is not supported by osproxy`);
  }
  return out;
}

/** inner_hits of nested / has_child / has_parent. */
export function rewriteInnerHits(body: Json, ctx: RewriteContext, path: string): JsonObject {
  return rewriteHitOptions(body, ctx, path, false);
}

const COLLAPSE_KEYS = new Set(['field', 'inner_hits', 'max_concurrent_group_searches']);

/** collapse: the field is returned in hits' `fields`, so reserved and physical metadata are refused. */
export function rewriteCollapse(collapse: Json, ctx: RewriteContext, path: string): JsonObject {
  const obj = expectObject(collapse, path);
  for (const key of Object.keys(obj)) if (!COLLAPSE_KEYS.has(key)) malformed('unsupported_parameter', `[${path}.${key}] is not supported by osproxy`);
  const field = valueFieldName(obj.field, ctx, `${path}.field`);
  if (obj.inner_hits === undefined) return { ...obj, field };
  const inner = obj.inner_hits;
  const at = `${path}.inner_hits`;
  const mapped = Array.isArray(inner)
    ? inner.map((ih, i) => rewriteHitOptions(ih, ctx, `${at}[${i}]`, true))
    : rewriteHitOptions(inner, ctx, at, true);
  return { ...obj, field, inner_hits: mapped };
}
