import { EngineError } from '../../errors.ts';
import { isObject, type JsonObject } from '../../json.ts';
import type { Ranked } from '../sort.ts';
import { compositeAgg } from './composite.ts';
import { parseComposite } from './composite-parse.ts';
import { dateHistogramAgg } from './date-histogram.ts';
import { histogramAgg } from './histogram.ts';
import { avgAgg, cardinalityAgg, extendedStatsAgg, maxAgg, minAgg, percentilesAgg, statsAgg, sumAgg, valueCountAgg } from './metric.ts';
import { dateRangeAgg, rangeAgg } from './range.ts';
import { filterAgg, filtersAgg, globalAgg, missingAgg } from './single-bucket.ts';
import { termsAgg } from './terms.ts';
import { topHitsAgg } from './top-hits.ts';
import type { AggContext, AggRunner } from './types.ts';

const AGGREGATIONS: Record<string, AggRunner> = {
  terms: termsAgg,
  avg: avgAgg,
  sum: sumAgg,
  min: minAgg,
  max: maxAgg,
  value_count: valueCountAgg,
  cardinality: cardinalityAgg,
  stats: statsAgg,
  extended_stats: extendedStatsAgg,
  percentiles: percentilesAgg,
  histogram: histogramAgg,
  date_histogram: dateHistogramAgg,
  range: rangeAgg,
  date_range: dateRangeAgg,
  filter: filterAgg,
  filters: filtersAgg,
  missing: missingAgg,
  global: globalAgg,
  top_hits: topHitsAgg,
  composite: compositeAgg,
};

/** Aggregations without sub-aggregations (metrics) reject an `aggs` block. */
const METRICS = new Set(['avg', 'sum', 'min', 'max', 'value_count', 'cardinality', 'stats', 'extended_stats', 'percentiles', 'top_hits']);

interface ParsedAgg {
  name: string;
  type: string;
  body: JsonObject;
  subs?: JsonObject;
  meta?: JsonObject;
}

function parseAgg(name: string, def: unknown): ParsedAgg {
  if (!isObject(def)) throw new EngineError(400, 'parsing_exception', `Expected [START_OBJECT] under [${name}], but got a [VALUE_STRING] in [${name}]`);
  const subs = def.aggs ?? def.aggregations;
  const types = Object.keys(def).filter((k) => k !== 'aggs' && k !== 'aggregations' && k !== 'meta');
  if (types.length === 0) throw new EngineError(400, 'parsing_exception', `Missing definition for aggregation [${name}]`);
  if (types.length > 1) throw new EngineError(400, 'parsing_exception', `Found two aggregation type definitions in [${name}]: [${types[0]}] and [${types[1]}]`);
  const type = types[0];
  if (!Object.prototype.hasOwnProperty.call(AGGREGATIONS, type)) throw new EngineError(400, 'parsing_exception', `Unknown aggregation type [${type}]`);
  const body = def[type];
  if (!isObject(body)) throw new EngineError(400, 'parsing_exception', `Expected [START_OBJECT] under [${type}], but got a [${typeof body}] in [${name}]`);
  if (subs !== undefined && !isObject(subs)) throw new EngineError(400, 'parsing_exception', `[aggs] must be an object in [${name}]`);
  if (subs !== undefined && METRICS.has(type)) {
    throw new EngineError(400, 'aggregation_initialization_exception', `Aggregator [${name}] of type [${type}] cannot accept sub-aggregations`);
  }
  return { name, type, body, subs, meta: isObject(def.meta) ? def.meta : undefined };
}

const parseAll = (spec: JsonObject): ParsedAgg[] => Object.entries(spec).map(([name, def]) => parseAgg(name, def));

/** Runs an `aggs` block over the matched documents; validates it all first (errors do not depend on data). */
export function runAggregations(spec: JsonObject, docs: Ranked[], ctx: AggContext): JsonObject {
  const parsed = parseAll(spec);
  // OpenSearch parses the whole request before it builds any aggregator: parse errors come first.
  parseTree(parsed);
  refuseNestedComposite(parsed, undefined);
  const out: JsonObject = {};
  for (const p of parsed) {
    const sub = (members: Ranked[]): JsonObject => (p.subs === undefined ? {} : runAggregations(p.subs, members, ctx));
    const result = AGGREGATIONS[p.type](p.body, docs, ctx, sub);
    out[p.name] = p.meta === undefined ? result : { meta: p.meta, ...result };
  }
  return out;
}

/** Parses the sub-aggregations all the way down, and composite bodies (their parser runs with the request's). */
function parseTree(parsed: ParsedAgg[]): void {
  for (const p of parsed) {
    if (p.type === 'composite') parseComposite(p.body);
    if (p.subs !== undefined) parseTree(parseAll(p.subs));
  }
}

/** The factory class OpenSearch names when it refuses a composite under a parent of this type. */
const FACTORY_CLASSES: Record<string, string> = {
  terms: 'TermsAggregatorFactory',
  histogram: 'HistogramAggregatorFactory',
  date_histogram: 'DateHistogramAggregatorFactory',
  range: 'RangeAggregatorFactory',
  date_range: 'DateRangeAggregatorFactory',
  filter: 'FilterAggregatorFactory',
  filters: 'FiltersAggregatorFactory',
  missing: 'MissingAggregatorFactory',
  global: 'GlobalAggregatorFactory',
  composite: 'CompositeAggregationFactory',
};

/** CompositeAggregationBuilder.doBuild: a composite must be at the top; factories are built parent first. */
function refuseNestedComposite(parsed: ParsedAgg[], parentType: string | undefined): void {
  for (const p of parsed) {
    if (parentType !== undefined && p.type === 'composite') {
      const factory = FACTORY_CLASSES[parentType] ?? parentType;
      throw new EngineError(400, 'illegal_argument_exception', `[composite] aggregation cannot be used with a parent aggregation of type: [${factory}]`);
    }
    if (p.subs !== undefined) refuseNestedComposite(parseAll(p.subs), p.type);
  }
}
