import { analyzerOrStandard } from '../../analysis/index.ts';
import type { Token } from '../../analysis/index.ts';
import type { Json, JsonObject } from '../../json.ts';
import { extractValues } from '../../mapping/fields.ts';
import type { SearchableDoc } from '../types.ts';
import { DEFAULT_DATE_FORMAT, parseDateValue } from './dates.ts';
import type { FieldInfo } from './field-info.ts';

/** A text field of one document as indexed: its tokens, term frequencies and length (for norms). */
export interface AnalyzedField {
  tokens: Token[];
  tf: Map<string, number>;
  length: number;
}

/** Lucene's position_increment_gap between the values of a multi-valued text field. */
const POSITION_GAP = 100;

/*
 * Per-document caches. The cache lives with the (immutable) source object in a WeakMap, so
 * analysis survives refreshes that replace the docs array but keep unchanged documents. A
 * WeakMap lookup per document per field is too slow for 20k-doc scans, so the same cache Map is
 * also pinned on the SearchableDoc under a non-enumerable symbol (invisible to JSON, spread and
 * Object.keys), making the hot path one property load and one Map lookup.
 */
const sourceCache = new WeakMap<JsonObject, Map<string, unknown>>();
const DOC_CACHE = Symbol('searchCache');
type CachedDoc = SearchableDoc & { [DOC_CACHE]?: Map<string, unknown> };

function docCache(doc: SearchableDoc): Map<string, unknown> {
  const pinned = (doc as CachedDoc)[DOC_CACHE];
  if (pinned !== undefined) return pinned;
  let perDoc = sourceCache.get(doc.source);
  if (perDoc === undefined) {
    perDoc = new Map();
    sourceCache.set(doc.source, perDoc);
  }
  if (Object.isExtensible(doc)) Object.defineProperty(doc, DOC_CACHE, { value: perDoc, enumerable: false });
  return perDoc;
}

/** Stands for a cached `undefined`, so a hit costs a single Map lookup. */
const ABSENT = Symbol('absent');

function cached<T>(doc: SearchableDoc, key: string, compute: (doc: SearchableDoc) => T): T {
  const perDoc = docCache(doc);
  const hit = perDoc.get(key);
  if (hit !== undefined) return (hit === ABSENT ? undefined : hit) as T;
  const value = compute(doc);
  perDoc.set(key, value === undefined ? ABSENT : value);
  return value;
}

const stringOf = (v: Json): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

/** The analyzer that indexed a text field. */
export const indexAnalyzerName = (f: FieldInfo): string | undefined => (typeof f.mapping.analyzer === 'string' ? f.mapping.analyzer : undefined);

/** The analyzer queries use on a text field (search_analyzer, else the index analyzer). */
export const searchAnalyzerName = (f: FieldInfo): string | undefined =>
  typeof f.mapping.search_analyzer === 'string' ? f.mapping.search_analyzer : indexAnalyzerName(f);

/** Raw source values at the field's source path (nulls dropped, arrays flattened). */
export function rawValues(doc: SearchableDoc, f: FieldInfo): Json[] {
  if (f.meta === '_id') return [doc.id];
  if (f.meta === '_index') return [doc.index];
  if (f.meta === '_seq_no') return [doc.seqNo];
  return extractValues(doc.source, f.sourcePath);
}

/** Reads a text field analyzed as it was indexed (undefined when the doc has no value). */
export function textReader(f: FieldInfo): (doc: SearchableDoc) => AnalyzedField | undefined {
  const analyzer = indexAnalyzerName(f) ?? 'standard';
  const key = `t:${f.sourcePath}:${analyzer}`;
  const compute = (doc: SearchableDoc): AnalyzedField | undefined => analyzeValues(rawValues(doc, f), analyzer);
  if (f.meta !== undefined) return compute;
  return (doc) => cached(doc, key, compute);
}

export const analyzedField = (doc: SearchableDoc, f: FieldInfo): AnalyzedField | undefined => textReader(f)(doc);

function analyzeValues(values: Json[], analyzerName: string): AnalyzedField | undefined {
  const strings = values.map(stringOf).filter((s): s is string => s !== undefined);
  if (strings.length === 0) return undefined;
  const analyzer = analyzerOrStandard(analyzerName);
  const tokens: Token[] = [];
  const tf = new Map<string, number>();
  let base = 0;
  for (const s of strings) {
    let last = -1;
    for (const t of analyzer(s)) {
      tokens.push({ term: t.term, position: base + t.position, start: t.start, end: t.end });
      tf.set(t.term, (tf.get(t.term) ?? 0) + 1);
      last = t.position;
    }
    base += last + 1 + POSITION_GAP;
  }
  return { tokens, tf, length: tokens.length };
}

/** Reads keyword values as indexed (values over ignore_above are not indexed). */
export function keywordReader(f: FieldInfo): (doc: SearchableDoc) => string[] {
  if (f.meta !== undefined) return (doc) => rawValues(doc, f) as string[];
  const limit = typeof f.mapping.ignore_above === 'number' ? f.mapping.ignore_above : Infinity;
  const key = `k:${f.sourcePath}:${limit}`;
  const compute = (doc: SearchableDoc): string[] =>
    rawValues(doc, f)
      .map(stringOf)
      .filter((s): s is string => s !== undefined && s.length <= limit);
  return (doc) => cached(doc, key, compute);
}

export const keywordValues = (doc: SearchableDoc, f: FieldInfo): string[] => keywordReader(f)(doc);

/** Coerces a value to a number the way numeric fields do; NaN if it cannot be. */
export function toNumber(v: Json, integer = false): number {
  let n = NaN;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && v.trim() !== '') n = Number(v);
  if (!Number.isFinite(n)) return NaN;
  return integer ? Math.trunc(n) : n;
}

/** Coerces a value to a boolean field value (1/0), NaN if it is not one. */
export function toBooleanNumber(v: Json): number {
  if (v === true || v === 'true') return 1;
  if (v === false || v === 'false' || v === '') return 0;
  return NaN;
}

/** The date format of a date field. */
export const dateFormatOf = (f: FieldInfo): string => (typeof f.mapping.format === 'string' ? f.mapping.format : DEFAULT_DATE_FORMAT);

/** Reads numeric doc values: numbers, dates as epoch millis, booleans as 1/0. */
export function numericReader(f: FieldInfo): (doc: SearchableDoc) => number[] {
  const key = `n:${f.kind}:${f.sourcePath}:${f.type}:${String(f.mapping.format)}:${String(f.mapping.scaling_factor)}`;
  const compute = (doc: SearchableDoc): number[] => {
    const out: number[] = [];
    for (const v of rawValues(doc, f)) {
      const n = convertNumeric(v, f);
      if (!Number.isNaN(n)) out.push(n);
    }
    return out;
  };
  // Metadata values belong to the document version, not to its source (which a rewrite can keep).
  if (f.meta !== undefined) return compute;
  return (doc) => cached(doc, key, compute);
}

export const numericValues = (doc: SearchableDoc, f: FieldInfo): number[] => numericReader(f)(doc);

function convertNumeric(v: Json, f: FieldInfo): number {
  if (f.kind === 'date') return parseDateValue(v, dateFormatOf(f));
  if (f.kind === 'boolean') return toBooleanNumber(v);
  const n = toNumber(v, f.integer);
  const factor = f.mapping.scaling_factor;
  return typeof factor === 'number' && !Number.isNaN(n) ? Math.round(n * factor) / factor : n;
}

/** Reads sortable/aggregatable values: numbers for numeric-like kinds, strings otherwise. */
export function docValuesReader(f: FieldInfo): (doc: SearchableDoc) => (string | number)[] {
  switch (f.kind) {
    case 'number':
    case 'date':
    case 'boolean':
      return numericReader(f);
    case 'keyword':
      return keywordReader(f);
    case 'text': {
      const read = textReader(f);
      return (doc) => [...(read(doc)?.tf.keys() ?? [])].sort();
    }
    default:
      return () => [];
  }
}

export const docValues = (doc: SearchableDoc, f: FieldInfo): (string | number)[] => docValuesReader(f)(doc);

/** Whether the document has any indexed value for the field. */
export function hasValue(doc: SearchableDoc, f: FieldInfo): boolean {
  switch (f.kind) {
    case 'text':
      return rawValues(doc, f).some((v) => stringOf(v) !== undefined);
    case 'object':
      return rawValues(doc, f).length > 0;
    default:
      return docValues(doc, f).length > 0;
  }
}
