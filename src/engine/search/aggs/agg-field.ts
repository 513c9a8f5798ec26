import { EngineError } from '../../errors.ts';
import type { Json, JsonObject } from '../../json.ts';
import { assertFielddata, fieldInfo, type FieldInfo } from '../fields/field-info.ts';
import { formatDate } from '../fields/dates.ts';
import { resolveDateMath } from '../fields/date-math.ts';
import { docValuesColumn, type DocValuesColumn } from '../fields/doc-values-column.ts';
import { dateFormatOf, toNumber } from '../fields/values.ts';
import type { Ranked } from '../sort.ts';
import type { SearchableIndex } from '../types.ts';
import type { AggContext } from './types.ts';

/** An aggregation's field resolved across the searched indexes. */
export interface AggField {
  /** The field as mapped in the first index that maps it (types decide key rendering). */
  info?: FieldInfo;
  values(r: Ranked): readonly (string | number)[];
}

/** Resolves `body.field` for every index, checking it has doc values; unmapped gives no values. */
export function aggField(body: JsonObject, ctx: AggContext): AggField {
  if (typeof body.field !== 'string') throw new EngineError(400, 'illegal_argument_exception', `Required one of fields [field, script], but none were specified.`);
  const fields = new Map<SearchableIndex, FieldInfo>();
  let first: FieldInfo | undefined;
  for (const idx of ctx.indices) {
    const f = fieldInfo(idx, body.field);
    if (f === undefined || f.kind === 'object' || f.kind === 'other') continue;
    assertFielddata(f);
    first ??= f;
    fields.set(idx, f);
  }
  const missing = missingValue(body.missing, first);
  // Doc values by ordinal, read once per snapshot (built on first use).
  const columns = new Map<SearchableIndex, DocValuesColumn>();
  const columnOf = (idx: SearchableIndex): DocValuesColumn | undefined => {
    let column = columns.get(idx);
    const f = fields.get(idx);
    if (column === undefined && f !== undefined) columns.set(idx, (column = docValuesColumn(idx, f)));
    return column;
  };
  const values = (r: Ranked): readonly (string | number)[] => {
    const v = columnOf(r.index)?.[r.ordinal] ?? [];
    return v.length === 0 && missing !== undefined ? [missing] : v;
  };
  return { info: first, values };
}

function missingValue(v: Json | undefined, f: FieldInfo | undefined): string | number | undefined {
  if (v === undefined || v === null) return undefined;
  if (f === undefined || f.kind === 'keyword' || f.kind === 'text') return typeof v === 'number' ? v : String(v);
  if (f.kind === 'date') return resolveDateMath(v, { format: dateFormatOf(f) });
  if (f.kind === 'boolean') return v === true || v === 'true' ? 1 : 0;
  return toNumber(v);
}

/** Metric aggregations need numbers: keyword/text fields are a 400 as in OpenSearch. */
export function numericAggField(body: JsonObject, ctx: AggContext, aggType: string): AggField {
  const field = aggField(body, ctx);
  const kind = field.info?.kind;
  if (kind === 'keyword' || kind === 'text') {
    throw new EngineError(400, 'illegal_argument_exception', `Field [${field.info?.path}] of type [${field.info?.type}] is not supported for aggregation [${aggType}]`);
  }
  return field;
}

/** Numbers of a numeric field across docs (each value counts). */
export function numbersOf(field: AggField, docs: Ranked[]): number[] {
  const out: number[] = [];
  for (const r of docs) for (const v of field.values(r)) if (typeof v === 'number') out.push(v);
  return out;
}

/** `value_as_string` for date fields (formatted with `format` or the field's format). */
export function asString(field: AggField, value: number | null, format: Json | undefined): string | undefined {
  if (value === null || field.info?.kind !== 'date') return undefined;
  return formatDate(value, typeof format === 'string' ? format : dateFormatOf(field.info));
}
