/**
 * Checks for field names a request mentions. Three flavours, by where the name appears:
 * - query fields (term, match, exists, multi_match `fields`, query_string `default_field`…):
 *   reserved names and patterns that could expand to them are refused;
 * - value fields (aggregations, sort, collapse, slice): reserved and metadata fields whose values
 *   would expose physical names or ids are refused;
 * - listed fields (`fields`, `docvalue_fields`, `stored_fields`, highlight): wildcards allowed —
 *   the response side strips reserved fields — explicit reserved names refused.
 */
import type { Json } from '../core/json.ts';
import { malformed, refuse } from './errors.ts';
import { couldNameReserved, isPattern, stripBoost } from './field-names.ts';
import { isReservedField } from './reserved-fields.ts';
import type { RewriteContext } from './scope.ts';

function fieldName(value: Json | undefined, path: string): string {
  if (typeof value !== 'string') malformed('malformed_request', `[${path}] must be a field name`);
  return value;
}

function refuseReserved(field: string, path: string): never {
  refuse('reserved_field_refused', `[${path}] names the field [${field}], which osproxy reserves for tenant isolation`);
}

/** Metadata fields whose values are physical (index names, tenant-prefixed ids, tenant routing). */
function physicalMetaField(field: string, ctx: RewriteContext): boolean {
  if (field === '_index') return true;
  return ctx.shared && (field === '_id' || field === '_routing' || field === '_field_names');
}

/** A field named by a query. `_index`/`_id` reach here only where they cannot be mapped. */
export function checkQueryField(value: Json | undefined, ctx: RewriteContext, path: string): string {
  const raw = fieldName(value, path);
  const field = stripBoost(raw);
  if (couldNameReserved(field, ctx.reserved)) refuseReserved(raw, path);
  if (physicalMetaField(field, ctx)) {
    refuse('metadata_field_refused', `[${path}] queries [${field}] in a way osproxy cannot map to the tenant's own names; use a term, terms or ids query`);
  }
  return raw;
}

/** A field whose values are returned or ordered on (aggregation, sort, collapse, slice). */
export function checkValueField(value: Json | undefined, ctx: RewriteContext, path: string): string {
  const field = fieldName(value, path);
  if (couldNameReserved(field, ctx.reserved)) refuseReserved(field, path);
  if (field === '_id' && ctx.shared) refuseIdValues(path);
  if (field === '_routing' || physicalMetaField(field, ctx)) {
    refuse('metadata_field_refused', `[${path}] uses [${field}], whose values are physical names osproxy does not expose`);
  }
  return field;
}

/** `_id` values reach here only when some searched index keeps no logical id field. */
function refuseIdValues(path: string): never {
  refuse(
    'metadata_field_refused',
    `[${path}] uses [_id], whose values osproxy maps to your ids only when every searched index keeps them (a shared index created before osproxy kept logical ids, or a search that also spans a dedicated index, does not); search those indexes separately`,
  );
}

/** A field listed for retrieval or highlighting. `stored_fields` may list metadata: hits map it. */
export function checkListedField(value: Json | undefined, ctx: RewriteContext, path: string, allowMeta = false): string {
  const field = fieldName(value, path);
  if (isPattern(field)) return field;
  if (isReservedField(field, ctx.reserved)) refuseReserved(field, path);
  if (!allowMeta && (field === '_routing' || physicalMetaField(field, ctx))) {
    refuse('metadata_field_refused', `[${path}] asks for [${field}], whose values are physical names osproxy does not expose`);
  }
  return field;
}

/** `default_field`, `fields`, `field`: one name or a list. */
export function checkQueryFields(value: Json, ctx: RewriteContext, path: string): void {
  if (Array.isArray(value)) value.forEach((f, i) => checkQueryField(f, ctx, `${path}[${i}]`));
  else checkQueryField(value, ctx, path);
}

/** Field prefixes in Lucene query syntax: `name:`, `name.sub:`, `na*e:` (after unescaping). */
const FIELD_PREFIX = /([^\s:()"[\]{}^~+\-!&|/]+)\s*:/g;
const EXISTS_FIELD = /_exists_\s*:\s*([^\s()"[\]{}^~]+)/g;

/**
 * Conservative check of query_string / simple_query_string / `q=` text: refuse any mention of a
 * reserved field, any field prefix that could expand to one, and `_index`, `_id` or `_routing`
 * used as fields (text cannot be rewritten safely). Backslash escapes are removed first, so
 * `\_tenant:x` and `_ten\ant:x` are caught.
 */
export function checkQueryText(text: Json | undefined, ctx: RewriteContext, path: string): void {
  if (typeof text !== 'string') malformed('malformed_request', `[${path}] must be a string`);
  const plain = text.replaceAll('\\', '');
  const mentioned = [ctx.reserved.tenant, ctx.reserved.lindex].find((name) => plain.includes(name));
  if (mentioned !== undefined) refuse('query_text_refused', `[${path}] mentions [${mentioned}], which osproxy reserves for tenant isolation`);
  const fields = [...plain.matchAll(FIELD_PREFIX), ...plain.matchAll(EXISTS_FIELD)].map((m) => m[1]);
  for (const field of fields) {
    if (couldNameReserved(field, ctx.reserved)) refuse('query_text_refused', `[${path}] names a field pattern [${field}] that could expand to a reserved field`);
    if (field === '_index' || (ctx.shared && (field === '_id' || field === '_routing'))) {
      refuse('query_text_refused', `[${path}] queries [${field}] inside query text, which osproxy cannot map; use a term, terms or ids query`);
    }
  }
}

/** A field named by a query, as the searched indexes name it (one or more). */
export function queryFieldNames(value: Json | undefined, ctx: RewriteContext, path: string): string[] {
  return ctx.fields.names(checkQueryField(value, ctx, path));
}

function ambiguous(field: string, path: string): never {
  refuse('field_mapped_differently', `[${path}] uses [${field}], which the searched indexes map differently; search them one at a time`);
}

/** A field whose values are used: one name; `_id` stands for the logical id field where every shared target keeps one. */
export function valueFieldName(value: Json | undefined, ctx: RewriteContext, path: string): string {
  const field = fieldName(value, path);
  if (field === '_id' && ctx.logicalIds) return ctx.reserved.id as string;
  checkValueField(field, ctx, path);
  const names = ctx.fields.names(field);
  if (names.length > 1) ambiguous(field, path);
  return names[0];
}

export interface ListedFieldOptions {
  /** Metadata names are fine (stored_fields). */
  allowMeta?: boolean;
  /** Patterns expand to fields with doc values only (docvalue_fields). */
  docValues?: boolean;
}

/** A field listed for retrieval or highlighting, patterns expanded; `_id` is the logical id field where kept. */
export function listedFieldNames(value: Json | undefined, ctx: RewriteContext, path: string, opts: ListedFieldOptions = {}): string[] {
  const field = fieldName(value, path);
  if (field === '_id' && opts.allowMeta !== true && ctx.logicalIds) return [ctx.reserved.id as string];
  return ctx.fields.names(checkListedField(field, ctx, path, opts.allowMeta), opts.docValues);
}

/** `default_field`, `fields`, `field`: each name expanded; a list stays a list. */
export function queryFieldList(value: Json, ctx: RewriteContext, path: string): Json {
  if (Array.isArray(value)) return value.flatMap((f, i) => queryFieldNames(f, ctx, `${path}[${i}]`));
  const names = queryFieldNames(value, ctx, path);
  return names.length === 1 ? names[0] : names;
}

/**
 * Field prefixes inside Lucene query text (`title:foo`, `_exists_:title`) renamed for the searched
 * indexes. Quoted phrases are left alone; a prefix the indexes name in several ways is refused
 * (text cannot hold one clause per name).
 */
export function rewriteQueryText(value: Json | undefined, ctx: RewriteContext, path: string): string {
  checkQueryText(value, ctx, path);
  const text = value as string;
  if (ctx.fields.identity) return text;
  const rename = (field: string): string => {
    const names = ctx.fields.names(field.replaceAll('\\', ''));
    if (names.length > 1) ambiguous(field, path);
    return names[0];
  };
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const m = /^([^\s:()"[\]{}^~+\-!&|/\\]|\\.)+(?=\s*:)/.exec(text.slice(i));
    const atTokenStart = i === 0 || /[\s(+\-!]/.test(text[i - 1]);
    if (m !== null && atTokenStart) {
      const field = m[0];
      out += field === '_exists_' ? field : rename(field);
      i += field.length;
      if (field === '_exists_') {
        const rest = /^(\s*:\s*)([^\s()"[\]{}^~]+)/.exec(text.slice(i));
        if (rest !== null) {
          out += rest[1] + rename(rest[2]);
          i += rest[0].length;
        }
      }
      continue;
    }
    out += c;
    i++;
  }
  return out;
}
