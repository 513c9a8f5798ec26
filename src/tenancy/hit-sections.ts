/**
 * Request sections that shape returned hits: highlight, script_fields, fields, docvalue_fields,
 * stored_fields, collapse, and the hit options of inner_hits and top_hits. Wildcards are allowed
 * (the response side strips reserved fields from every hit section); explicit reserved names are
 * refused, highlight queries walked, scripts follow the script rule.
 */
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { malformed } from './errors.ts';
import { checkListedField, checkValueField } from './field-checks.ts';
import { asList, expectObject, isFlat } from './json-shape.ts';
import type { RewriteContext } from './scope.ts';
import { checkScript } from './scripts.ts';
import { rewriteSort } from './sort-checks.ts';

/** `fields` / `docvalue_fields`: names or `{field, format}` objects. */
export function checkFieldList(list: Json, ctx: RewriteContext, path: string): void {
  asList(list).forEach((entry, i) => {
    const at = Array.isArray(list) ? `${path}[${i}]` : path;
    checkListedField(isObject(entry) ? entry.field : entry, ctx, at);
  });
}

/** `stored_fields`: names; metadata names are fine (hits map their metadata). */
export function checkStoredFields(list: Json, ctx: RewriteContext, path: string): void {
  asList(list).forEach((entry, i) => checkListedField(entry, ctx, `${path}[${i}]`, true));
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
  const entries = Object.entries(expectObject(fields, path)).map(([name, options]): [string, Json] => {
    checkListedField(name, ctx, path);
    return [name, rewriteHighlightOptions(expectObject(options, `${path}.${name}`), ctx, `${path}.${name}`)];
  });
  return Object.fromEntries(entries);
}

function rewriteHighlightOptions(options: JsonObject, ctx: RewriteContext, path: string): JsonObject {
  const out: JsonObject = { ...options };
  for (const [key, value] of Object.entries(options)) {
    const at = `${path}.${key}`;
    if (key === 'highlight_query') out.highlight_query = ctx.rewriteQuery(value, at);
    else if (key === 'matched_fields') asList(value).forEach((f, i) => checkListedField(f, ctx, `${at}[${i}]`));
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
    else if (key === 'docvalue_fields' || key === 'fields') checkFieldList(value, ctx, at);
    else if (key === 'stored_fields') checkStoredFields(value, ctx, at);
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
  checkValueField(obj.field, ctx, `${path}.field`);
  if (obj.inner_hits === undefined) return obj;
  const inner = obj.inner_hits;
  const at = `${path}.inner_hits`;
  const mapped = Array.isArray(inner)
    ? inner.map((ih, i) => rewriteHitOptions(ih, ctx, `${at}[${i}]`, true))
    : rewriteHitOptions(inner, ctx, at, true);
  return { ...obj, inner_hits: mapped };
}
