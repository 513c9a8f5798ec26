import { EngineError } from '../../errors.ts';
import type { Json, JsonObject } from '../../json.ts';
import { resolveDateMath, roundDate } from '../fields/date-math.ts';
import { formatDate, timeZoneOffsetMs } from '../fields/dates.ts';
import { dateFormatOf } from '../fields/values.ts';
import { numericAggField } from './agg-field.ts';
import { histogramBuckets, parseBounds, type Rounding } from './histogram.ts';
import type { AggRunner } from './types.ts';

const CALENDAR_UNITS: Record<string, string> = {
  minute: 'm', '1m': 'm', hour: 'h', '1h': 'h', day: 'd', '1d': 'd', week: 'w', '1w': 'w',
  month: 'M', '1M': 'M', quarter: 'q', '1q': 'q', year: 'y', '1y': 'y', second: 's', '1s': 's',
};

const FIXED_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function fixedMs(spec: string): number | undefined {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(spec);
  return m === null ? undefined : Number(m[1]) * FIXED_UNITS_MS[m[2]];
}

function addCalendarUnit(ms: number, unit: string, offset: number): number {
  const d = new Date(ms + offset);
  if (unit === 'y') d.setUTCFullYear(d.getUTCFullYear() + 1);
  else if (unit === 'q') d.setUTCMonth(d.getUTCMonth() + 3);
  else if (unit === 'M') d.setUTCMonth(d.getUTCMonth() + 1);
  else if (unit === 'w') d.setUTCDate(d.getUTCDate() + 7);
  else if (unit === 'd') d.setUTCDate(d.getUTCDate() + 1);
  else d.setTime(d.getTime() + (unit === 'h' ? 3_600_000 : unit === 'm' ? 60_000 : 1000));
  return d.getTime() - offset;
}

/** The rounding for calendar_interval, fixed_interval or the legacy interval (shared with composite's date_histogram source). */
export function dateRounding(body: JsonObject, tzOffset: number, shift: number): Rounding {
  const calendar = typeof body.calendar_interval === 'string' ? body.calendar_interval : undefined;
  const fixed = typeof body.fixed_interval === 'string' ? body.fixed_interval : undefined;
  const legacy = typeof body.interval === 'string' ? body.interval : undefined;
  const unit = CALENDAR_UNITS[calendar ?? legacy ?? ''];
  if (calendar !== undefined && unit === undefined) throw new EngineError(400, 'illegal_argument_exception', `The supplied interval [${calendar}] could not be parsed as a calendar interval.`);
  if (unit !== undefined) {
    return { keyOf: (v) => roundDate(v - shift, unit, false, tzOffset) + shift, next: (k) => addCalendarUnit(k - shift, unit, tzOffset) + shift };
  }
  const size = fixedMs(fixed ?? legacy ?? '');
  if (size === undefined) {
    const given = fixed ?? legacy;
    if (given === undefined) throw new EngineError(400, 'illegal_argument_exception', 'Invalid interval specified, must be non-null and non-empty');
    throw new EngineError(400, 'illegal_argument_exception', `failed to parse setting [date_histogram.fixedInterval] with value [${given}] as a time value: unit is missing or unrecognized`);
  }
  return { keyOf: (v) => Math.floor((v - shift + tzOffset) / size) * size - tzOffset + shift, next: (k) => k + size };
}

/** `offset` as milliseconds: a number or a signed time value such as `+6h`. */
export function offsetMs(v: Json | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || v === '') return 0;
  const m = /^([+-]?)(\d+)(ms|s|m|h|d)$/.exec(v);
  if (m === null) throw new EngineError(400, 'illegal_argument_exception', `failed to parse offset [${v}]`);
  return (m[1] === '-' ? -1 : 1) * Number(m[2]) * FIXED_UNITS_MS[m[3]];
}

export const dateHistogramAgg: AggRunner = (body, docs, ctx, sub) => {
  const field = numericAggField(body, ctx, 'date_histogram');
  const tz = typeof body.time_zone === 'string' ? body.time_zone : undefined;
  const tzOffset = timeZoneOffsetMs(tz);
  const rounding = dateRounding(body, tzOffset, offsetMs(body.offset));
  const format = typeof body.format === 'string' ? body.format : field.info?.kind === 'date' ? dateFormatOf(field.info) : undefined;
  const parse = (x: Json): number => resolveDateMath(x, { format, now: ctx.now, timeZone: tz });
  return histogramBuckets(docs, {
    field,
    rounding,
    minDocCount: typeof body.min_doc_count === 'number' ? body.min_doc_count : 0,
    bounds: parseBounds(body.extended_bounds, parse),
    hardBounds: parseBounds(body.hard_bounds, parse),
    renderKey: (key) => ({ key_as_string: format === undefined ? String(key) : formatDateKey(key, format, tzOffset), key }),
  }, body, sub);
};

/** A bucket key formatted in the time zone: the local wall time, with the zone's offset in place of `Z`. */
export function formatDateKey(key: number, format: string, tzOffset: number): string {
  return formatDate(key + tzOffset, format).replace(/Z$/, tzOffset === 0 ? 'Z' : formatOffset(tzOffset));
}

function formatOffset(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const mins = Math.abs(ms) / 60_000;
  return `${sign}${String(Math.floor(mins / 60)).padStart(2, '0')}:${String(mins % 60).padStart(2, '0')}`;
}
