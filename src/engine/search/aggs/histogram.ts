import { EngineError } from '../../errors.ts';
import { isObject, type Json, type JsonObject } from '../../json.ts';
import type { Ranked } from '../sort.ts';
import { numericAggField, type AggField } from './agg-field.ts';
import { sortBuckets, type Bucket } from './bucket-order.ts';
import type { SubAggs } from './types.ts';

/** How a histogram maps values to bucket keys and steps between keys. */
export interface Rounding {
  keyOf(value: number): number;
  next(key: number): number;
}

/** Groups documents into bucket keys (a doc counts once per bucket). */
function groupByKey(field: AggField, docs: Ranked[], rounding: Rounding): Map<number, Ranked[]> {
  const groups = new Map<number, Ranked[]>();
  for (const r of docs) {
    const keys = new Set<number>();
    for (const v of field.values(r)) if (typeof v === 'number') keys.add(rounding.keyOf(v));
    for (const k of keys) {
      const list = groups.get(k);
      if (list === undefined) groups.set(k, [r]);
      else list.push(r);
    }
  }
  return groups;
}

export interface HistogramOptions {
  field: AggField;
  rounding: Rounding;
  minDocCount: number;
  bounds?: { min?: number; max?: number };
  hardBounds?: { min?: number; max?: number };
  renderKey(key: number): JsonObject;
}

/** Buckets in key order; with min_doc_count 0 the gaps (and extended_bounds) are filled with empty buckets. */
export function histogramBuckets(docs: Ranked[], o: HistogramOptions, body: JsonObject, sub: SubAggs): JsonObject {
  const groups = groupByKey(o.field, docs, o.rounding);
  let keys = [...groups.keys()].sort((a, b) => a - b);
  if (o.minDocCount === 0 && (keys.length > 0 || o.bounds?.min !== undefined || o.bounds?.max !== undefined)) keys = filledKeys(keys, o);
  const inHard = (k: number): boolean => (o.hardBounds?.min === undefined || k >= o.rounding.keyOf(o.hardBounds.min)) && (o.hardBounds?.max === undefined || k <= o.hardBounds.max);
  let buckets: Bucket[] = keys
    .filter(inHard)
    .map((key) => ({ key, docCount: groups.get(key)?.length ?? 0, subs: {} }))
    .filter((b) => b.docCount >= o.minDocCount);
  if (body.order !== undefined) buckets = sortBuckets(buckets, body.order, [{ by: '_key', asc: true }]);
  const rendered: JsonObject[] = buckets.map((b) => ({ ...o.renderKey(b.key as number), doc_count: b.docCount, ...sub(groups.get(b.key as number) ?? []) }));
  if (body.keyed === true) {
    const keyed: JsonObject = {};
    for (const b of rendered) keyed[String(b.key_as_string ?? b.key)] = b;
    return { buckets: keyed };
  }
  return { buckets: rendered };
}

/** search.max_buckets default: the most buckets one response may hold. */
export const MAX_BUCKETS = 65_535;

function filledKeys(keys: number[], o: HistogramOptions): number[] {
  const lo = Math.min(...keys, ...(o.bounds?.min === undefined ? [] : [o.rounding.keyOf(o.bounds.min)]));
  const hi = Math.max(...keys, ...(o.bounds?.max === undefined ? [] : [o.rounding.keyOf(o.bounds.max)]));
  const out: number[] = [];
  for (let k = lo; k <= hi; k = o.rounding.next(k)) {
    out.push(k);
    if (out.length > MAX_BUCKETS) {
      throw new EngineError(400, 'too_many_buckets_exception', `Trying to create too many buckets. Must be less than or equal to: [${MAX_BUCKETS}].`);
    }
  }
  return out;
}

/** `{min, max}` bounds objects (extended_bounds, hard_bounds), parsed with `parse`. */
export function parseBounds(v: Json | undefined, parse: (x: Json) => number): { min?: number; max?: number } | undefined {
  if (!isObject(v)) return undefined;
  return {
    min: v.min === undefined || v.min === null ? undefined : parse(v.min),
    max: v.max === undefined || v.max === null ? undefined : parse(v.max),
  };
}

export const histogramAgg = (body: JsonObject, docs: Ranked[], ctx: Parameters<typeof numericAggField>[1], sub: SubAggs): JsonObject => {
  const field = numericAggField(body, ctx, 'histogram');
  const interval = Number(body.interval);
  if (!(interval > 0)) throw new EngineError(400, 'illegal_argument_exception', '[interval] must be >0 for histogram aggregation [histogram]');
  const offset = Number(body.offset ?? 0);
  const rounding: Rounding = {
    keyOf: (v) => Math.floor((v - offset) / interval) * interval + offset,
    next: (k) => k + interval,
  };
  return histogramBuckets(docs, {
    field,
    rounding,
    minDocCount: typeof body.min_doc_count === 'number' ? body.min_doc_count : 0,
    bounds: parseBounds(body.extended_bounds, Number),
    hardBounds: parseBounds(body.hard_bounds, Number),
    renderKey: (key) => ({ key }),
  }, body, sub);
};
