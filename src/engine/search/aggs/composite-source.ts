import { EngineError } from '../../errors.ts';
import type { Json } from '../../json.ts';
import { assertFielddata, fieldInfo, type FieldKind } from '../fields/field-info.ts';
import { formatDate, timeZoneOffsetMs } from '../fields/dates.ts';
import { dateFormatOf } from '../fields/values.ts';
import type { Ranked } from '../sort.ts';
import { aggField, type AggField } from './agg-field.ts';
import { booleanLong, bytesValue, dateLong, rawDouble, rawLong, type AfterParser } from './composite-after.ts';
import type { CompositeSourceSpec, SourceType } from './composite-parse.ts';
import { dateRounding, formatDateKey, offsetMs } from './date-histogram.ts';
import type { AggContext } from './types.ts';

/** One part of a composite key: a value of its source, null for the missing bucket. */
export type KeyPart = string | number | null;

/** A composite source resolved against the searched indexes' mappings. */
export interface CompositeSource {
  spec: CompositeSourceSpec;
  /** The document's distinct keys for this source (rounded for histograms); empty when it has no value. */
  keys(r: Ranked): readonly (string | number)[];
  /** The key as responses show it: booleans as true/false, dates as strings only where a format applies. */
  render(key: KeyPart): Json;
  /** Reads an `after` value (never null here) into this source's key space. */
  parseAfter: AfterParser;
}

const illegal = (reason: string): EngineError => new EngineError(400, 'illegal_argument_exception', reason);

/** The field types each source type's values source registry accepts. */
const SUPPORTED: Record<SourceType, ReadonlySet<FieldKind>> = {
  terms: new Set(['keyword', 'text', 'number', 'date', 'boolean']),
  histogram: new Set(['number', 'date']),
  date_histogram: new Set(['number', 'date']),
};

/**
 * ValuesSourceConfig.resolve then the registry lookup: text fields without fielddata are refused
 * first (building their field data fails), then field types the source cannot read.
 */
function checkFieldTypes(spec: CompositeSourceSpec, field: string, ctx: AggContext): void {
  for (const idx of ctx.indices) {
    const f = fieldInfo(idx, field);
    // Object fields are not mapped field types: they read as unmapped.
    if (f === undefined || f.kind === 'object') continue;
    if (f.kind === 'text') assertFielddata(f);
    if (!SUPPORTED[spec.type].has(f.kind)) throw illegal(`Field [${f.path}] of type [${f.type}] is not supported for aggregation [${spec.type}]`);
  }
}

function distinct(values: readonly (string | number)[]): readonly (string | number)[] {
  return values.length <= 1 ? values : [...new Set(values)];
}

/** Numbers of a numeric source, rounded, each bucket once per document. */
function roundedKeys(field: AggField, round: (v: number) => number): (r: Ranked) => readonly number[] {
  return (r) => {
    const values = field.values(r);
    if (values.length === 1 && typeof values[0] === 'number') return [round(values[0])];
    const out = new Set<number>();
    for (const v of values) if (typeof v === 'number') out.add(round(v));
    return [...out];
  };
}

/** Terms keep the raw values; dates stay epoch millis (OpenSearch gives terms sources the RAW format on dates). */
function termsSource(spec: CompositeSourceSpec, field: AggField): CompositeSource {
  const info = field.info;
  const kind = info?.kind;
  let parseAfter: AfterParser;
  if (kind === 'boolean') parseAfter = booleanLong;
  else if (kind === 'date') parseAfter = rawLong;
  else if (kind === 'number') parseAfter = info?.integer === true ? rawLong : rawDouble;
  else parseAfter = bytesValue(spec.missingBucket && info === undefined);
  return {
    spec,
    keys: (r) => distinct(field.values(r)),
    render: (k) => (k !== null && kind === 'boolean' ? k === 1 : k),
    parseAfter,
  };
}

/** HistogramValuesSource: floor(value / interval) * interval; a date field keeps its format for keys. */
function histogramSource(spec: CompositeSourceSpec, field: AggField): CompositeSource {
  const interval = spec.interval;
  if (interval === undefined) throw illegal('[interval] must be greater than 0 for [histogram] source');
  const info = field.info;
  const dateFormat = info?.kind === 'date' ? dateFormatOf(info) : undefined;
  return {
    spec,
    keys: roundedKeys(field, (v) => Math.floor(v / interval) * interval),
    render: (k) => (k === null || dateFormat === undefined ? k : formatDate(k as number, dateFormat)),
    parseAfter: dateFormat === undefined ? rawDouble : dateLong(dateFormat, undefined),
  };
}

/** The date histogram's rounding (calendar or fixed, time_zone, offset); keys are epoch millis unless `format` is given. */
function dateHistogramSource(spec: CompositeSourceSpec, field: AggField): CompositeSource {
  const tzOffset = timeZoneOffsetMs(spec.timeZone);
  const rounding = dateRounding(spec.body, tzOffset, offsetMs(spec.body.offset));
  // A format on a numeric field would be a decimal pattern, which this engine does not render.
  const format = field.info === undefined || field.info.kind === 'date' ? spec.format : undefined;
  return {
    spec,
    keys: roundedKeys(field, rounding.keyOf),
    render: (k) => (k === null || format === undefined ? k : formatDateKey(k as number, format, tzOffset)),
    parseAfter: format === undefined ? rawLong : dateLong(format, spec.timeZone),
  };
}

/** Resolves a source for the searched indexes (CompositeValuesSourceBuilder.build). */
export function resolveSource(spec: CompositeSourceSpec, ctx: AggContext): CompositeSource {
  if (!spec.missingBucket && spec.missingOrder !== 'default') throw illegal('missing_order require missing_bucket is true');
  if (spec.field === undefined) {
    throw new EngineError(500, 'illegal_state_exception', 'value source config is invalid; must have either a field or a script');
  }
  checkFieldTypes(spec, spec.field, ctx);
  // Only `field`: composite sources have no `missing` (missing_bucket replaces it).
  const field = aggField({ field: spec.field }, ctx);
  if (spec.type === 'terms') return termsSource(spec, field);
  if (spec.type === 'histogram') return histogramSource(spec, field);
  return dateHistogramSource(spec, field);
}
