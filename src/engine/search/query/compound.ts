import { EngineError } from '../../errors.ts';
import { isObject, type Json } from '../../json.ts';
import { numericValues } from '../fields/values.ts';
import { fieldInfo } from '../fields/field-info.ts';
import { disMax } from './combine.ts';
import { minimumShouldMatch } from './min-should-match.ts';
import { boostOf, clauseList, objectBody } from './params.ts';
import type { SearchableDoc } from '../types.ts';
import { boolScorer } from './bool-all.ts';
import { constantList } from './match-list.ts';
import { withAll, type DocScorer, type QueryContext } from './types.ts';

export function boolQuery(body: Json, ctx: QueryContext): DocScorer {
  const obj = objectBody('bool', body);
  const must = clauseList(obj.must).map((q) => ctx.compile(q));
  const filter = clauseList(obj.filter).map((q) => ctx.compile(q));
  const should = clauseList(obj.should).map((q) => ctx.compile(q));
  const mustNot = clauseList(obj.must_not).map((q) => ctx.compile(q, { negated: true }));
  const boost = boostOf(obj);
  const required = minimumShouldMatch(obj.minimum_should_match, should.length) ?? (should.length > 0 && must.length === 0 && filter.length === 0 ? 1 : 0);
  // An empty bool is match_all; a filter/must_not-only bool matches with score 0.
  const base = must.length === 0 && should.length === 0 && filter.length === 0 && mustNot.length === 0 ? 1 : 0;
  return boolScorer({ must, filter, should, mustNot, base, boost, required }, ctx.index.docs);
}

export function constantScoreQuery(body: Json, ctx: QueryContext): DocScorer {
  const obj = objectBody('constant_score', body);
  if (obj.filter === undefined) throw new EngineError(400, 'parsing_exception', '[constant_score] requires a \'filter\' element');
  const filter = ctx.compile(obj.filter);
  const boost = boostOf(obj);
  const all = filter.all;
  return withAll((doc) => (filter(doc) === undefined ? undefined : boost), all === undefined ? undefined : () => constantList(all().ords, boost));
}

export function boostingQuery(body: Json, ctx: QueryContext): DocScorer {
  const obj = objectBody('boosting', body);
  if (obj.positive === undefined || obj.negative === undefined) {
    throw new EngineError(400, 'parsing_exception', '[boosting] query requires \'positive\' and \'negative\' queries');
  }
  const positive = ctx.compile(obj.positive);
  const negative = ctx.compile(obj.negative, { negated: true });
  const factor = Number(obj.negative_boost ?? 1);
  const boost = boostOf(obj);
  return (doc) => {
    const v = positive(doc);
    if (v === undefined) return undefined;
    return boost * (negative(doc) === undefined ? v : v * factor);
  };
}

export function disMaxQuery(body: Json, ctx: QueryContext): DocScorer {
  const obj = objectBody('dis_max', body);
  const queries = clauseList(obj.queries).map((q) => ctx.compile(q));
  return disMax(queries, Number(obj.tie_breaker ?? 0), boostOf(obj));
}

/** Nested documents are not indexed separately here: the inner query runs on the whole document. */
export function nestedQuery(body: Json, ctx: QueryContext): DocScorer {
  const obj = objectBody('nested', body);
  if (typeof obj.path !== 'string' || obj.query === undefined) {
    throw new EngineError(400, 'parsing_exception', '[nested] requires \'path\' and \'query\' fields');
  }
  if (fieldInfo(ctx.index, obj.path) === undefined && obj.ignore_unmapped !== true) {
    throw new EngineError(400, 'query_shard_exception', `failed to create query: [nested] failed to find nested object under path [${obj.path}]`);
  }
  const inner = ctx.compile(obj.query);
  const boost = boostOf(obj);
  return (doc) => {
    const v = inner(doc);
    return v === undefined ? undefined : v * boost;
  };
}

/** function_score basics: weight, field_value_factor and filters; score_mode/boost_mode multiply or sum. */
export function functionScoreQuery(body: Json, ctx: QueryContext): DocScorer {
  const obj = objectBody('function_score', body);
  const query = ctx.compile(obj.query ?? { match_all: {} });
  const specs = clauseList(obj.functions);
  if (obj.weight !== undefined || obj.field_value_factor !== undefined) specs.push({ weight: obj.weight ?? 1, field_value_factor: obj.field_value_factor ?? null });
  const functions = specs.filter(isObject).map((spec) => {
    const filter = spec.filter === undefined ? undefined : ctx.compile(spec.filter);
    const weight = typeof spec.weight === 'number' ? spec.weight : 1;
    const fvf = isObject(spec.field_value_factor) ? spec.field_value_factor : undefined;
    const f = fvf !== undefined && typeof fvf.field === 'string' ? fieldInfo(ctx.index, fvf.field) : undefined;
    const factor = Number(fvf?.factor ?? 1);
    const missing = typeof fvf?.missing === 'number' ? fvf.missing : 1;
    return (doc: SearchableDoc): number | undefined => {
      if (filter !== undefined && filter(doc) === undefined) return undefined;
      const value = f === undefined ? 1 : (numericValues(doc, f)[0] ?? missing) * factor;
      return weight * (fvf === undefined ? 1 : value);
    };
  });
  const scoreMode = String(obj.score_mode ?? 'multiply');
  const boostMode = String(obj.boost_mode ?? 'multiply');
  const boost = boostOf(obj);
  return (doc) => {
    const q = query(doc);
    if (q === undefined) return undefined;
    const values = functions.map((fn) => fn(doc)).filter((v): v is number => v !== undefined);
    if (values.length === 0) return q * boost;
    const combined = scoreMode === 'sum' ? values.reduce((a, b) => a + b, 0) : scoreMode === 'max' ? Math.max(...values) : values.reduce((a, b) => a * b, 1);
    return boost * (boostMode === 'replace' ? combined : boostMode === 'sum' ? q + combined : q * combined);
  };
}
