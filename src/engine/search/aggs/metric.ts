import type { JsonObject } from '../../json.ts';
import type { Ranked } from '../sort.ts';
import { aggField, asString, numbersOf, numericAggField, type AggField } from './agg-field.ts';
import type { AggContext, AggRunner } from './types.ts';

function valueResult(field: AggField, value: number | null, body: JsonObject): JsonObject {
  const out: JsonObject = { value };
  const s = asString(field, value, body.format);
  if (s !== undefined) out.value_as_string = s;
  return out;
}

const numeric = (body: JsonObject, docs: Ranked[], ctx: AggContext, type: string): { field: AggField; nums: number[] } => {
  const field = numericAggField(body, ctx, type);
  return { field, nums: numbersOf(field, docs) };
};

const sum = (nums: number[]): number => nums.reduce((a, b) => a + b, 0);

export const avgAgg: AggRunner = (body, docs, ctx) => {
  const { field, nums } = numeric(body, docs, ctx, 'avg');
  return valueResult(field, nums.length === 0 ? null : sum(nums) / nums.length, body);
};

export const sumAgg: AggRunner = (body, docs, ctx) => {
  const { field, nums } = numeric(body, docs, ctx, 'sum');
  return valueResult(field, sum(nums), body);
};

export const minAgg: AggRunner = (body, docs, ctx) => {
  const { field, nums } = numeric(body, docs, ctx, 'min');
  return valueResult(field, nums.length === 0 ? null : nums.reduce((a, b) => Math.min(a, b)), body);
};

export const maxAgg: AggRunner = (body, docs, ctx) => {
  const { field, nums } = numeric(body, docs, ctx, 'max');
  return valueResult(field, nums.length === 0 ? null : nums.reduce((a, b) => Math.max(a, b)), body);
};

export const valueCountAgg: AggRunner = (body, docs, ctx) => {
  const field = aggField(body, ctx);
  let n = 0;
  for (const r of docs) n += field.values(r).length;
  return { value: n };
};

export const cardinalityAgg: AggRunner = (body, docs, ctx) => {
  const field = aggField(body, ctx);
  const seen = new Set<string | number>();
  for (const r of docs) for (const v of field.values(r)) seen.add(v);
  return { value: seen.size };
};

function basicStats(field: AggField, nums: number[], body: JsonObject): JsonObject {
  const count = nums.length;
  const total = sum(nums);
  const min = count === 0 ? null : nums.reduce((a, b) => Math.min(a, b));
  const max = count === 0 ? null : nums.reduce((a, b) => Math.max(a, b));
  const out: JsonObject = { count, min, max, avg: count === 0 ? null : total / count, sum: total };
  for (const k of ['min', 'max', 'avg'] as const) {
    const s = asString(field, out[k] as number | null, body.format);
    if (s !== undefined) out[`${k}_as_string`] = s;
  }
  return out;
}

export const statsAgg: AggRunner = (body, docs, ctx) => {
  const { field, nums } = numeric(body, docs, ctx, 'stats');
  return basicStats(field, nums, body);
};

export const extendedStatsAgg: AggRunner = (body, docs, ctx) => {
  const { field, nums } = numeric(body, docs, ctx, 'extended_stats');
  const out = basicStats(field, nums, body);
  const n = nums.length;
  const sigma = typeof body.sigma === 'number' ? body.sigma : 2;
  const sumSq = nums.reduce((a, b) => a + b * b, 0);
  const avg = n === 0 ? null : sum(nums) / n;
  const variance = avg === null ? null : Math.max(0, sumSq / n - avg * avg);
  const sampling = avg === null || n < 2 ? null : Math.max(0, (sumSq - n * avg * avg) / (n - 1));
  const sd = variance === null ? null : Math.sqrt(variance);
  const sdSampling = sampling === null ? null : Math.sqrt(sampling);
  const bound = (s: number | null, sign: number): number | null => (avg === null || s === null ? null : avg + sign * sigma * s);
  return {
    ...out,
    sum_of_squares: n === 0 ? null : sumSq,
    variance,
    variance_population: variance,
    variance_sampling: sampling,
    std_deviation: sd,
    std_deviation_population: sd,
    std_deviation_sampling: sdSampling,
    std_deviation_bounds: {
      upper: bound(sd, 1), lower: bound(sd, -1),
      upper_population: bound(sd, 1), lower_population: bound(sd, -1),
      upper_sampling: bound(sdSampling, 1), lower_sampling: bound(sdSampling, -1),
    },
  };
};

/** Percentiles by linear interpolation between closest ranks (OpenSearch's TDigest is close on small sets). */
export const percentilesAgg: AggRunner = (body, docs, ctx) => {
  const { nums } = numeric(body, docs, ctx, 'percentiles');
  const sorted = [...nums].sort((a, b) => a - b);
  const percents = Array.isArray(body.percents) ? body.percents.map(Number) : [1, 5, 25, 50, 75, 95, 99];
  const values: JsonObject = {};
  for (const p of percents) {
    const key = Number.isInteger(p) ? `${p}.0` : String(p);
    if (sorted.length === 0) values[key] = null;
    else {
      const rank = (p / 100) * (sorted.length - 1);
      const lo = Math.floor(rank);
      const hi = Math.ceil(rank);
      values[key] = sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }
  }
  return { values };
};
