import { EngineError } from '../../errors.ts';
import type { Json, JsonObject } from '../../json.ts';
import { analyzerOrStandard, namedAnalyzer } from '../../analysis/index.ts';
import { expandFieldPattern, isSearchable, type FieldInfo } from '../fields/field-info.ts';
import { searchAnalyzerName } from '../fields/values.ts';
import { disMax, sumOfAtLeast, sumOfMatching } from './combine.ts';
import { matchOnField, phraseOnField } from './full-text.ts';
import { minimumShouldMatch } from './min-should-match.ts';
import { boostOf, objectBody, stringValue } from './params.ts';
import { matchNone, type DocScorer, type QueryContext } from './types.ts';

/** A field to search with its `^boost`. */
export interface BoostedField {
  field: FieldInfo;
  boost: number;
  /** Fields reached through a wildcard are searched leniently. */
  lenient: boolean;
}

/** Expands `["title^2", "*.raw", "*"]` against an index's mapping. */
export function boostedFields(ctx: QueryContext, specs: string[]): BoostedField[] {
  const out: BoostedField[] = [];
  for (const spec of specs) {
    const [pattern, boostText] = spec.split('^');
    const boost = boostText === undefined ? 1 : Number(boostText);
    const wildcard = pattern.includes('*');
    for (const field of expandFieldPattern(ctx.index, pattern)) {
      if (isSearchable(field) || !wildcard) out.push({ field, boost, lenient: wildcard });
    }
  }
  return out;
}

function fieldSpecs(v: Json | undefined): string[] {
  if (v === undefined || v === null) return ['*'];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.map(String);
  throw new EngineError(400, 'parsing_exception', '[multi_match] fields must be a string or an array');
}

function perFieldParams(params: JsonObject, bf: BoostedField): JsonObject {
  return { ...params, boost: bf.boost, lenient: bf.lenient || params.lenient === true };
}

/** cross_fields: each term may match in any field (best field per term), terms combined by operator. */
function crossFields(ctx: QueryContext, fields: BoostedField[], params: JsonObject): DocScorer {
  const text = fields.find((f) => f.field.kind === 'text')?.field;
  const analyzer = typeof params.analyzer === 'string' ? namedAnalyzer(params.analyzer) : analyzerOrStandard(text === undefined ? undefined : searchAnalyzerName(text));
  const terms = analyzer(stringValue('multi_match', params.query)).map((t) => t.term);
  if (terms.length === 0) return matchNone;
  const perTerm = terms.map((term) =>
    disMax(fields.map((bf) => matchOnField(ctx, bf.field.path, { ...perFieldParams(params, bf), query: term, operator: 'or' })), Number(params.tie_breaker ?? 0)),
  );
  const and = String(params.operator ?? 'or').toLowerCase() === 'and';
  const required = and ? perTerm.length : Math.max(1, minimumShouldMatch(params.minimum_should_match, perTerm.length) ?? 1);
  return sumOfAtLeast(perTerm, required);
}

export function multiMatchQuery(body: Json, ctx: QueryContext): DocScorer {
  const params = objectBody('multi_match', body);
  if (params.query === undefined) throw new EngineError(400, 'parsing_exception', "[multi_match] requires query value");
  const fields = boostedFields(ctx, fieldSpecs(params.fields));
  if (fields.length === 0) return matchNone;
  const type = String(params.type ?? 'best_fields');
  const boost = boostOf(params);
  const tie = Number(params.tie_breaker ?? 0);
  const inner: JsonObject = { ...params };
  delete inner.fields;
  delete inner.type;
  delete inner.tie_breaker;
  switch (type) {
    case 'best_fields':
      return disMax(fields.map((bf) => matchOnField(ctx, bf.field.path, perFieldParams(inner, bf))), tie, boost);
    case 'most_fields':
    case 'bool_prefix':
      return sumOfMatching(fields.map((bf) => matchOnField(ctx, bf.field.path, perFieldParams(inner, bf))), boost);
    case 'phrase':
    case 'phrase_prefix':
      return disMax(fields.map((bf) => phraseOnField(ctx, bf.field.path, perFieldParams(inner, bf), type === 'phrase_prefix')), tie, boost);
    case 'cross_fields':
      return crossFields(ctx, fields, inner);
    default:
      throw new EngineError(400, 'parsing_exception', `[multi_match] query does not allow type [${type}]`);
  }
}
