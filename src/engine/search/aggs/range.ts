import { isObject, type Json, type JsonObject } from '../../json.ts';
import { EngineError } from '../../errors.ts';
import { resolveDateMath } from '../fields/date-math.ts';
import { formatDate } from '../fields/dates.ts';
import { dateFormatOf, toNumber } from '../fields/values.ts';
import { javaDoubleString } from '../scoring/float.ts';
import type { Ranked } from '../sort.ts';
import { aggField, type AggField } from './agg-field.ts';
import type { AggContext, AggRunner, SubAggs } from './types.ts';

interface Range {
  key?: string;
  from?: number;
  to?: number;
}

function parseRanges(body: JsonObject, parse: (v: Json) => number): Range[] {
  if (!Array.isArray(body.ranges) || body.ranges.length === 0) throw new EngineError(400, 'illegal_argument_exception', 'No [ranges] specified for the [range] aggregation');
  const ranges = body.ranges.filter(isObject).map((r) => ({
    key: typeof r.key === 'string' ? r.key : undefined,
    from: r.from === undefined || r.from === null ? undefined : parse(r.from),
    to: r.to === undefined || r.to === null ? undefined : parse(r.to),
  }));
  // OpenSearch reports ranges ordered by from, then to.
  return ranges.sort((a, b) => (a.from ?? -Infinity) - (b.from ?? -Infinity) || (a.to ?? Infinity) - (b.to ?? Infinity));
}

function countIn(field: AggField, docs: Ranked[], r: Range): Ranked[] {
  return docs.filter((d) => field.values(d).some((v) => typeof v === 'number' && (r.from === undefined || v >= r.from) && (r.to === undefined || v < r.to)));
}

function rangeBuckets(body: JsonObject, docs: Ranked[], field: AggField, ranges: Range[], render: (r: Range) => JsonObject, sub: SubAggs): JsonObject {
  const buckets = ranges.map((r): JsonObject => {
    const members = countIn(field, docs, r);
    return { ...render(r), doc_count: members.length, ...sub(members) };
  });
  if (body.keyed !== true) return { buckets };
  const keyed: JsonObject = {};
  for (const b of buckets) {
    const { key, ...rest } = b;
    keyed[String(key)] = rest;
  }
  return { buckets: keyed };
}

export const rangeAgg: AggRunner = (body, docs, ctx, sub) => {
  const field = aggField(body, ctx);
  const ranges = parseRanges(body, (v) => toNumber(v));
  const render = (r: Range): JsonObject => {
    const out: JsonObject = { key: r.key ?? `${r.from === undefined ? '*' : javaDoubleString(r.from)}-${r.to === undefined ? '*' : javaDoubleString(r.to)}` };
    if (r.from !== undefined) out.from = r.from;
    if (r.to !== undefined) out.to = r.to;
    return out;
  };
  return rangeBuckets(body, docs, field, ranges, render, sub);
};

export const dateRangeAgg = (body: JsonObject, docs: Ranked[], ctx: AggContext, sub: SubAggs): JsonObject => {
  const field = aggField(body, ctx);
  const format = typeof body.format === 'string' ? body.format : field.info?.kind === 'date' ? dateFormatOf(field.info) : undefined;
  const tz = typeof body.time_zone === 'string' ? body.time_zone : undefined;
  const ranges = parseRanges(body, (v) => resolveDateMath(v, { format, now: ctx.now, timeZone: tz }));
  const str = (ms: number): string => formatDate(ms, format);
  const render = (r: Range): JsonObject => {
    const out: JsonObject = { key: r.key ?? `${r.from === undefined ? '*' : str(r.from)}-${r.to === undefined ? '*' : str(r.to)}` };
    if (r.from !== undefined) Object.assign(out, { from: r.from, from_as_string: str(r.from) });
    if (r.to !== undefined) Object.assign(out, { to: r.to, to_as_string: str(r.to) });
    return out;
  };
  return rangeBuckets(body, docs, field, ranges, render, sub);
};
