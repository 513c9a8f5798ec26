import { EngineError } from '../errors.ts';
import { isObject, type Json } from '../json.ts';
import { resolveDateMath } from './fields/date-math.ts';
import { assertFielddata, fieldInfo, type FieldInfo } from './fields/field-info.ts';
import { docValuesColumn, type DocValuesColumn } from './fields/doc-values-column.ts';
import { dateFormatOf, toNumber } from './fields/values.ts';
import type { SearchableDoc, SearchableIndex } from './types.ts';

export type SortValue = number | string | null;

/** One sort criterion of the request. */
export interface SortKey {
  kind: 'score' | 'doc' | 'field';
  field: string;
  order: 'asc' | 'desc';
  missing?: Json;
  unmappedType?: string;
  mode?: string;
}

/** A matched document with everything ordering needs. */
export interface Ranked {
  doc: SearchableDoc;
  index: SearchableIndex;
  /** Position of the index in the searched list (tie-break before shard and order). */
  indexPos: number;
  /** Position of the doc in its index's docs array (`_doc` sort value). */
  ordinal: number;
  score: number;
  sortValues?: SortValue[];
}

function parseOrder(v: Json | undefined, field: string, dflt: 'asc' | 'desc'): 'asc' | 'desc' {
  if (v === undefined || v === null) return dflt;
  const s = String(v).toLowerCase();
  if (s !== 'asc' && s !== 'desc') throw new EngineError(400, 'parsing_exception', `[${field}] unknown order [${String(v)}]`);
  return s;
}

function parseKey(entry: Json): SortKey {
  if (typeof entry === 'string') {
    const kind = entry === '_score' ? 'score' : entry === '_doc' ? 'doc' : 'field';
    return { kind, field: entry, order: kind === 'score' ? 'desc' : 'asc' };
  }
  if (!isObject(entry) || Object.keys(entry).length !== 1) throw new EngineError(400, 'parsing_exception', '[sort] malformed sort entry');
  const [field, spec] = Object.entries(entry)[0];
  if (field === '_geo_distance' || field === '_script') throw new EngineError(400, 'illegal_argument_exception', `sorting by [${field}] is not supported by this engine`);
  const key = parseKey(field);
  if (typeof spec === 'string') return { ...key, order: parseOrder(spec, field, key.order) };
  if (!isObject(spec)) throw new EngineError(400, 'parsing_exception', `[${field}] sort spec must be a string or an object`);
  return {
    ...key,
    order: parseOrder(spec.order, field, key.order),
    missing: spec.missing ?? undefined,
    unmappedType: typeof spec.unmapped_type === 'string' ? spec.unmapped_type : undefined,
    mode: typeof spec.mode === 'string' ? spec.mode : undefined,
  };
}

/** Parses the request's `sort` (string, object or array of them). */
export function parseSort(spec: Json | undefined): SortKey[] {
  if (spec === undefined || spec === null) return [];
  return (Array.isArray(spec) ? spec : [spec]).map(parseKey);
}

export const sortUsesScore = (keys: SortKey[]): boolean => keys.length === 0 || keys.some((k) => k.kind === 'score');

type ValueReader = (r: Ranked) => SortValue;

function pickValue(values: readonly (string | number)[], key: SortKey): SortValue {
  if (values.length === 0) return null;
  if (values.length === 1) return values[0];
  const mode = key.mode ?? (key.order === 'asc' ? 'min' : 'max');
  if (typeof values[0] === 'string' || mode === 'min' || mode === 'max') {
    const sorted = [...values].sort(compareScalars);
    return mode === 'max' ? sorted[sorted.length - 1] : sorted[0];
  }
  const nums = values as number[];
  const sum = nums.reduce((a, b) => a + b, 0);
  if (mode === 'sum') return sum;
  if (mode === 'avg') return sum / nums.length;
  const s = [...nums].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Reads one field key's value per document, resolving the field per index. */
function fieldReader(key: SortKey, indices: SearchableIndex[]): { read: ValueReader; field?: FieldInfo } {
  const fields = new Map<SearchableIndex, FieldInfo | undefined>();
  let first: FieldInfo | undefined;
  for (const idx of indices) {
    const f = fieldInfo(idx, key.field);
    if (f !== undefined) {
      if (f.kind === 'object') throw new EngineError(400, 'illegal_argument_exception', `Sorting on an object field [${key.field}] is not supported`);
      assertFielddata(f);
      first ??= f;
    }
    fields.set(idx, f);
  }
  if (first === undefined && key.unmappedType === undefined && indices.length > 0) {
    throw new EngineError(400, 'query_shard_exception', `No mapping found for [${key.field}] in order to sort on`, { index: indices[0].name });
  }
  // Doc values by ordinal, read once per snapshot (built on first use). Hits come grouped by
  // index, so remembering the last index's column saves a Map lookup per hit.
  const columns = new Map<SearchableIndex, DocValuesColumn | undefined>();
  let lastIndex: SearchableIndex | undefined;
  let lastColumn: DocValuesColumn | undefined;
  const columnOf = (idx: SearchableIndex): DocValuesColumn | undefined => {
    if (idx === lastIndex) return lastColumn;
    if (!columns.has(idx)) {
      const f = fields.get(idx);
      columns.set(idx, f === undefined ? undefined : docValuesColumn(idx, f));
    }
    lastIndex = idx;
    lastColumn = columns.get(idx);
    return lastColumn;
  };
  return { read: (r) => {
    const column = columnOf(r.index);
    return column === undefined ? null : pickValue(column[r.ordinal], key);
  }, field: first };
}

/** The value a sort key uses for a document missing it, when `missing` names a value. */
function missingSubstitute(key: SortKey, field: FieldInfo | undefined): SortValue | undefined {
  if (key.missing === undefined || key.missing === '_last' || key.missing === '_first') return undefined;
  if (field === undefined || field.kind === 'keyword' || field.kind === 'text') return String(key.missing);
  if (field.kind === 'date') return resolveDateMath(key.missing, { format: dateFormatOf(field) });
  return toNumber(key.missing);
}

/** Sort criteria bound to the searched indexes: computes sort values and compares documents. */
export class SortPlan {
  private readonly readers: ValueReader[];
  private readonly fields: (FieldInfo | undefined)[];

  constructor(readonly keys: SortKey[], indices: SearchableIndex[]) {
    const fields: (FieldInfo | undefined)[] = [];
    this.readers = keys.map((key): ValueReader => {
      if (key.kind !== 'field') {
        fields.push(undefined);
        return key.kind === 'score' ? (r) => r.score : (r) => r.ordinal;
      }
      const { read, field } = fieldReader(key, indices);
      fields.push(field);
      const substitute = missingSubstitute(key, field);
      return substitute === undefined ? read : (r) => read(r) ?? substitute;
    });
    this.fields = fields;
  }

  values(r: Ranked): SortValue[] {
    return this.readers.map((read) => read(r));
  }

  /** Sort values of many hits, one array per key (no per-hit arrays while ordering). */
  valueColumns(hits: readonly Ranked[]): SortValue[][] {
    return this.readers.map((read) => hits.map(read));
  }

  /** Compares two sort value lists: ascending/descending per key, missing values first/last. */
  compareValues(a: SortValue[], b: SortValue[]): number {
    for (let i = 0; i < this.keys.length; i++) {
      const c = this.compareKey(i, a[i], b[i]);
      if (c !== 0) return c;
    }
    return 0;
  }

  /** compareValues for hits `i` and `j` of `valueColumns`. */
  compareAt(columns: SortValue[][], i: number, j: number): number {
    for (let k = 0; k < this.keys.length; k++) {
      const c = this.compareKey(k, columns[k][i], columns[k][j]);
      if (c !== 0) return c;
    }
    return 0;
  }

  private compareKey(k: number, x: SortValue, y: SortValue): number {
    const key = this.keys[k];
    if (x === null || y === null) {
      if (x === y) return 0;
      const missingFirst = key.missing === '_first';
      return (x === null) === missingFirst ? -1 : 1;
    }
    const c = compareScalars(x, y);
    return c === 0 ? 0 : key.order === 'asc' ? c : -c;
  }

  /** The sort values as hits show them (missing numbers become Long.MAX_VALUE-like sentinels). */
  display(values: SortValue[]): Json[] {
    return values.map((v, i) => (v === null ? this.missingDisplay(i) : v));
  }

  private missingDisplay(i: number): Json {
    const key = this.keys[i];
    const f = this.fields[i];
    const kind = f?.kind ?? (key.unmappedType === 'keyword' || key.unmappedType === 'text' ? 'keyword' : 'number');
    if (kind === 'keyword' || kind === 'text') return null;
    const high = (key.order === 'asc') !== (key.missing === '_first');
    const type = f?.type ?? key.unmappedType ?? 'long';
    if (type === 'integer' || type === 'short' || type === 'byte') return high ? 2147483647 : -2147483648;
    if (type === 'double' || type === 'float' || type === 'half_float' || type === 'scaled_float') return high ? 'Infinity' : '-Infinity';
    // Long.MAX_VALUE / MIN_VALUE (JSON numbers cannot hold them exactly).
    return high ? 2 ** 63 : -(2 ** 63);
  }

  /** search_after values in comparable form (sentinels for missing become null). */
  parseAfter(after: Json): SortValue[] {
    if (!Array.isArray(after)) throw new EngineError(400, 'parsing_exception', '[search_after] must be an array');
    if (after.length !== this.keys.length) {
      throw new EngineError(400, 'illegal_argument_exception', `search_after has ${after.length} value(s) but sort has ${this.keys.length}.`);
    }
    return after.map((v, i) => this.afterValue(v, i));
  }

  private afterValue(v: Json, i: number): SortValue {
    const key = this.keys[i];
    const f = this.fields[i];
    if (v === null || v === 'Infinity' || v === '-Infinity') return null;
    if (key.kind !== 'field' || (f !== undefined && f.kind !== 'keyword' && f.kind !== 'text')) {
      if (typeof v === 'number' && Math.abs(v) >= 9.2e18) return null;
      if (f?.kind === 'date' && typeof v === 'string' && !/^-?\d+$/.test(v)) return resolveDateMath(v, { format: dateFormatOf(f) });
      const n = toNumber(v);
      if (Number.isNaN(n)) throw new EngineError(400, 'illegal_argument_exception', `Failed to parse search_after value [${String(v)}] for field [${key.field}]`);
      if ((f?.type === 'integer' || f?.type === 'short' || f?.type === 'byte') && Math.abs(n) >= 2147483647) return null;
      return n;
    }
    return String(v);
  }
}

export function compareScalars(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Doc order tie-break: index position, then shard, then order in the shard. */
export function compareDocOrder(a: Ranked, b: Ranked): number {
  return a.indexPos - b.indexPos || a.doc.shard - b.doc.shard || a.doc.order - b.doc.order;
}
