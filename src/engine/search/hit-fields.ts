import { EngineError } from '../errors.ts';
import { isObject, type Json, type JsonObject } from '../json.ts';
import { formatDate } from './fields/dates.ts';
import { assertFielddata, expandFieldPattern, type FieldInfo } from './fields/field-info.ts';
import { dateFormatOf, keywordValues, numericValues, rawValues } from './fields/values.ts';
import type { SearchableDoc, SearchableIndex } from './types.ts';

interface FieldRequest {
  pattern: string;
  format?: string;
}

/** Parses `fields` / `docvalue_fields` entries: `"name"` or `{"field": "name", "format": ...}`. */
export function parseFieldRequests(v: Json | undefined, key: string): FieldRequest[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new EngineError(400, 'parsing_exception', `[${key}] must be an array`);
  return v.map((entry) => {
    if (typeof entry === 'string') return { pattern: entry };
    if (isObject(entry) && typeof entry.field === 'string') return { pattern: entry.field, format: typeof entry.format === 'string' ? entry.format : undefined };
    throw new EngineError(400, 'parsing_exception', `[${key}] entries must be strings or objects with a [field]`);
  });
}

/** A field's values as the fields API returns them: typed and formatted. */
function fieldValues(doc: SearchableDoc, f: FieldInfo, format: string | undefined, docValues: boolean): Json[] {
  switch (f.kind) {
    case 'date':
      return numericValues(doc, f).map((ms) => formatDate(ms, format ?? dateFormatOf(f)));
    case 'boolean':
      return numericValues(doc, f).map((n) => n === 1);
    case 'number':
      return numericValues(doc, f);
    case 'keyword':
      return docValues ? [...new Set(keywordValues(doc, f))].sort() : keywordValues(doc, f);
    case 'text':
      return rawValues(doc, f).filter((v) => typeof v === 'string');
    default:
      return [];
  }
}

/** The hit's `fields` object for `fields` and `docvalue_fields` requests; undefined when empty. */
export function hitFields(doc: SearchableDoc, index: SearchableIndex, fields: FieldRequest[], docvalueFields: FieldRequest[]): JsonObject | undefined {
  const out: JsonObject = {};
  const add = (requests: FieldRequest[], docValues: boolean): void => {
    for (const req of requests) {
      for (const f of expandFieldPattern(index, req.pattern)) {
        if (docValues && !req.pattern.includes('*')) assertFielddata(f);
        if (docValues && f.kind === 'text' && f.mapping.fielddata !== true) continue;
        const values = fieldValues(doc, f, req.format, docValues);
        if (values.length > 0) out[f.path] = values;
      }
    }
  };
  add(docvalueFields, true);
  add(fields, false);
  return Object.keys(out).length > 0 ? out : undefined;
}
