import type { Json, JsonObject } from '../../json.ts';
import { EngineError } from '../../errors.ts';
import { disMax } from './combine.ts';
import { minimumShouldMatch } from './min-should-match.ts';
import { boolParam, boostOf, objectBody } from './params.ts';
import { boostedFields, type BoostedField } from './multi-match.ts';
import { parseQueryString, type QsNode } from './query-string-parser.ts';
import { parseSimpleQueryString } from './simple-query-string-parser.ts';
import type { SearchableDoc } from '../types.ts';
import { boolScorer } from './bool-all.ts';
import { matchNone, withAll, type DocScorer, type QueryContext } from './types.ts';

interface QsOptions {
  fields: string[];
  defaultAnd: boolean;
  lenient: boolean;
  tieBreaker: number;
  params: JsonObject;
}

/** The JSON query one parsed term becomes on one field. */
function termOnField(node: Extract<QsNode, { kind: 'term' }>, bf: BoostedField, opts: QsOptions): JsonObject | undefined {
  const f = bf.field;
  const boost = bf.boost * (node.boost ?? 1);
  const lenient = opts.lenient || bf.lenient;
  const textual = f.kind === 'text' || f.kind === 'keyword';
  if (node.regex === true || node.wildcard) {
    if (!textual) return lenient ? undefined : { [node.regex === true ? 'regexp' : 'wildcard']: { [f.path]: node.text } };
    const value = f.kind === 'text' ? node.text.toLowerCase() : node.text;
    return node.regex === true ? { regexp: { [f.path]: { value, boost } } } : { wildcard: { [f.path]: { value, boost } } };
  }
  const common: JsonObject = { query: node.text, boost, lenient };
  if (typeof opts.params.analyzer === 'string') common.analyzer = opts.params.analyzer;
  if (node.phrase) return { match_phrase: { [f.path]: { ...common, slop: node.slop ?? Number(opts.params.phrase_slop ?? 0) } } };
  if (node.fuzzy !== undefined) common.fuzziness = node.fuzzy;
  return { match: { [f.path]: { ...common, operator: opts.defaultAnd ? 'and' : 'or' } } };
}

function compileTerm(ctx: QueryContext, node: Extract<QsNode, { kind: 'term' }>, opts: QsOptions): DocScorer {
  if (node.field === '_exists_') return ctx.compile({ exists: { field: node.text } });
  const specs = node.field === undefined ? opts.fields : [node.field];
  if (node.text === '*' && !node.phrase) {
    if (specs.every((s) => s.startsWith('*'))) return () => node.boost ?? 1;
    return disMax(specs.map((s) => ctx.compile({ exists: { field: s.split('^')[0] } })), 0);
  }
  const queries = boostedFields(ctx, specs)
    .map((bf) => termOnField(node, bf, opts))
    .filter((q): q is JsonObject => q !== undefined);
  if (queries.length === 0) return matchNone;
  return disMax(queries.map((q) => ctx.compile(q)), opts.tieBreaker);
}

function compileRange(ctx: QueryContext, node: Extract<QsNode, { kind: 'range' }>, opts: QsOptions): DocScorer {
  const bounds: JsonObject = { boost: node.boost ?? 1 };
  if (node.lower !== undefined) bounds[node.includeLower ? 'gte' : 'gt'] = node.lower;
  if (node.upper !== undefined) bounds[node.includeUpper ? 'lte' : 'lt'] = node.upper;
  const specs = node.field === undefined ? opts.fields : [node.field];
  const scorers = boostedFields(ctx, specs).map((bf) => {
    try {
      return ctx.compile({ range: { [bf.field.path]: bounds } });
    } catch (e) {
      if (opts.lenient || bf.lenient) return matchNone;
      throw e;
    }
  });
  return disMax(scorers, 0);
}

/** A clause group as a bool: pure-negative groups match everything else (score 1), as in OpenSearch. */
function compileGroup(ctx: QueryContext, node: Extract<QsNode, { kind: 'group' }>, opts: QsOptions, top: boolean): DocScorer {
  if (node.clauses.length === 0) return matchNone;
  const must = node.clauses.filter((c) => c.occur === 'must').map((c) => compileNode(ctx, c.node, opts, false));
  const should = node.clauses.filter((c) => c.occur === 'should').map((c) => compileNode(ctx, c.node, opts, false));
  const mustNot = node.clauses.filter((c) => c.occur === 'must_not').map((c) => compileNode(ctx, c.node, opts, false));
  const pureNegative = must.length === 0 && should.length === 0;
  const msm = top ? minimumShouldMatch(opts.params.minimum_should_match, should.length) : undefined;
  const required = msm ?? (must.length === 0 && !pureNegative ? 1 : 0);
  const boost = node.boost ?? 1;
  const base = pureNegative ? 1 : 0;
  return boolScorer({ must, filter: [], should, mustNot, base, boost, required }, ctx.index.docs);
}

function compileNode(ctx: QueryContext, node: QsNode, opts: QsOptions, top: boolean): DocScorer {
  if (node.kind === 'group') {
    // A single plain clause needs no bool around it (keeps its score unchanged).
    if (!top && node.clauses.length === 1 && node.clauses[0].occur !== 'must_not' && node.boost === undefined) return compileNode(ctx, node.clauses[0].node, opts, false);
    return compileGroup(ctx, node, opts, top);
  }
  return node.kind === 'term' ? compileTerm(ctx, node, opts) : compileRange(ctx, node, opts);
}

function options(params: JsonObject): QsOptions {
  const fields = Array.isArray(params.fields) ? params.fields.map(String) : [typeof params.default_field === 'string' ? params.default_field : '*'];
  const op = String(params.default_operator ?? 'or').toLowerCase();
  if (op !== 'or' && op !== 'and') throw new EngineError(400, 'illegal_argument_exception', `No enum constant org.opensearch.index.query.Operator.${op.toUpperCase()}`);
  return { fields, defaultAnd: op === 'and', lenient: boolParam(params.lenient, false), tieBreaker: Number(params.tie_breaker ?? 0), params };
}

function withBoost(scorer: DocScorer, boost: number): DocScorer {
  if (boost === 1) return scorer;
  const all = scorer.all;
  const boosted = (doc: SearchableDoc): number | undefined => {
    const v = scorer(doc);
    return v === undefined ? undefined : v * boost;
  };
  return withAll(boosted, all === undefined ? undefined : () => {
    const { ords, scores } = all();
    return { ords, scores: scores.map((v) => v * boost) };
  });
}

export function queryStringQuery(body: Json, ctx: QueryContext): DocScorer {
  const params = objectBody('query_string', body);
  if (typeof params.query !== 'string') throw new EngineError(400, 'parsing_exception', '[query_string] must be provided with a [query]');
  const opts = options(params);
  return withBoost(compileNode(ctx, parseQueryString(params.query, opts.defaultAnd), opts, true), boostOf(params));
}

export function simpleQueryStringQuery(body: Json, ctx: QueryContext): DocScorer {
  const params = objectBody('simple_query_string', body);
  if (typeof params.query !== 'string') throw new EngineError(400, 'parsing_exception', '[simple_query_string] query text missing');
  const opts = { ...options(params), lenient: params.lenient === undefined ? true : boolParam(params.lenient, true) };
  return withBoost(compileNode(ctx, parseSimpleQueryString(params.query, opts.defaultAnd), opts, true), boostOf(params));
}

/** The query a URL `q=` parameter stands for. */
export function queryStringToQuery(q: string, opts: { df?: string; default_operator?: string; analyzer?: string; lenient?: boolean }): JsonObject {
  const body: JsonObject = { query: q };
  if (opts.df !== undefined) body.default_field = opts.df;
  if (opts.default_operator !== undefined) body.default_operator = opts.default_operator;
  if (opts.analyzer !== undefined) body.analyzer = opts.analyzer;
  if (opts.lenient === true) body.lenient = true;
  return { query_string: body };
}
