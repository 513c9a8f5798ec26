import { EngineError } from '../../errors.ts';
import { isObject, type Json, type JsonObject } from '../../json.ts';
import { resolveDateMath } from '../fields/date-math.ts';
import { expandFieldPattern, fieldInfo, type FieldInfo } from '../fields/field-info.ts';
import { docValuesColumn, unboxedColumn } from '../fields/doc-values-column.ts';
import { globToRegExp } from '../fields/glob.ts';
import { dateFormatOf, docValuesReader, hasValue, toBooleanNumber, toNumber } from '../fields/values.ts';
import { exactValueScorer, queryValueError, seqNoQueryValue, termTestScorer } from './exact-value.ts';
import { fuzzyTest, maxEdits } from './fuzzy.ts';
import { boolParam, boostOf, objectBody, singleField, stringValue } from './params.ts';
import type { SearchableDoc } from '../types.ts';
import { constantList, unionOrds } from './match-list.ts';
import { matchNone, withAll, type DocScorer, type QueryContext } from './types.ts';

/** Runs `build` when the field is mapped in this index; unmapped fields match nothing. */
function onField(ctx: QueryContext, field: string, build: (f: FieldInfo) => DocScorer): DocScorer {
  const f = fieldInfo(ctx.index, field);
  return f === undefined ? matchNone : build(f);
}

export function termQuery(body: Json, ctx: QueryContext): DocScorer {
  const { field, params } = singleField('term', body, 'value');
  if (params.value === undefined || params.value === null || isObject(params.value)) {
    throw new EngineError(400, 'parsing_exception', '[term] query does not support a value of that type');
  }
  const opts = { boost: boostOf(params), caseInsensitive: boolParam(params.case_insensitive, false), scored: true };
  return onField(ctx, field, (f) => exactValueScorer(ctx, f, params.value, opts));
}

export function termsQuery(body: Json, ctx: QueryContext): DocScorer {
  const obj = objectBody('terms', body);
  const boost = boostOf(obj);
  const fields = Object.keys(obj).filter((k) => k !== 'boost' && k !== '_name' && k !== 'value_type');
  if (fields.length !== 1) throw new EngineError(400, 'parsing_exception', '[terms] query requires exactly one field');
  const values = obj[fields[0]];
  if (!Array.isArray(values)) {
    if (isObject(values)) throw new EngineError(400, 'illegal_argument_exception', 'terms lookup is not supported by this engine');
    throw new EngineError(400, 'parsing_exception', `[terms] query does not support [${fields[0]}]`);
  }
  return onField(ctx, fields[0], (f) => {
    const scorers = values.filter((v) => v !== null).map((v) => exactValueScorer(ctx, f, v, { boost, scored: false }));
    const score = (doc: SearchableDoc): number | undefined => (scorers.some((s) => s(doc) !== undefined) ? boost : undefined);
    const lists = scorers.map((s) => s.all);
    if (!lists.every((all) => all !== undefined)) return score;
    const size = ctx.index.docs.length;
    return withAll(score, () => constantList(unionOrds(lists.map((all) => all().ords), size), boost));
  });
}

export function idsQuery(body: Json, _ctx: QueryContext): DocScorer {
  const obj = objectBody('ids', body);
  const ids = new Set((Array.isArray(obj.values) ? obj.values : []).map(String));
  const boost = boostOf(obj);
  return (doc) => (ids.has(doc.id) ? boost : undefined);
}

export function existsQuery(body: Json, ctx: QueryContext): DocScorer {
  const obj = objectBody('exists', body);
  if (typeof obj.field !== 'string') throw new EngineError(400, 'parsing_exception', '[exists] must be provided with a [field]');
  const boost = boostOf(obj);
  // An object exists where one of its indexed leaves does (the _field_names entries of its paths): never for a disabled one.
  const fields = expandFieldPattern(ctx.index, obj.field).flatMap((f) => (f.kind === 'object' ? expandFieldPattern(ctx.index, `${f.path}.*`) : [f]));
  if (fields.length === 0) return matchNone;
  return (doc) => (fields.some((f) => hasValue(doc, f)) ? boost : undefined);
}

export function prefixQuery(body: Json, ctx: QueryContext): DocScorer {
  const { field, params } = singleField('prefix', body, 'value');
  const value = stringValue('prefix', params.value ?? params.prefix);
  const ci = boolParam(params.case_insensitive, false);
  const lower = value.toLowerCase();
  const test = ci ? (t: string) => t.toLowerCase().startsWith(lower) : (t: string) => t.startsWith(value);
  return onField(ctx, field, (f) => termTestScorer(ctx, f, 'prefix', test, boostOf(params)));
}

export function wildcardQuery(body: Json, ctx: QueryContext): DocScorer {
  const { field, params } = singleField('wildcard', body, 'value');
  const pattern = stringValue('wildcard', params.value ?? params.wildcard);
  const re = globToRegExp(pattern, boolParam(params.case_insensitive, false) ? 'i' : '');
  return onField(ctx, field, (f) => termTestScorer(ctx, f, 'wildcard', (t) => re.test(t), boostOf(params)));
}

export function regexpQuery(body: Json, ctx: QueryContext): DocScorer {
  const { field, params } = singleField('regexp', body, 'value');
  const pattern = stringValue('regexp', params.value);
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${pattern})$`, `su${boolParam(params.case_insensitive, false) ? 'i' : ''}`);
  } catch {
    throw new EngineError(400, 'query_shard_exception', `failed to create query: invalid regular expression [${pattern}]`);
  }
  return onField(ctx, field, (f) => termTestScorer(ctx, f, 'regexp', (t) => re.test(t), boostOf(params)));
}

export function fuzzyQuery(body: Json, ctx: QueryContext): DocScorer {
  const { field, params } = singleField('fuzzy', body, 'value');
  const value = stringValue('fuzzy', params.value);
  const prefixLength = typeof params.prefix_length === 'number' ? params.prefix_length : 0;
  const test = fuzzyTest(value, maxEdits(params.fuzziness ?? 'AUTO', value), prefixLength);
  return onField(ctx, field, (f) => termTestScorer(ctx, f, 'fuzzy', test, boostOf(params)));
}

interface Bounds {
  lower?: Json;
  upper?: Json;
  includeLower: boolean;
  includeUpper: boolean;
}

function rangeBounds(p: JsonObject): Bounds {
  const b: Bounds = { includeLower: boolParam(p.include_lower, true), includeUpper: boolParam(p.include_upper, true) };
  if (p.from !== undefined && p.from !== null) b.lower = p.from;
  if (p.to !== undefined && p.to !== null) b.upper = p.to;
  if (p.gt !== undefined && p.gt !== null) [b.lower, b.includeLower] = [p.gt, false];
  if (p.gte !== undefined && p.gte !== null) [b.lower, b.includeLower] = [p.gte, true];
  if (p.lt !== undefined && p.lt !== null) [b.upper, b.includeUpper] = [p.lt, false];
  if (p.lte !== undefined && p.lte !== null) [b.upper, b.includeUpper] = [p.lte, true];
  return b;
}

/** Converts a bound to the field's comparable form (numbers, epoch millis, strings). */
function boundValue(ctx: QueryContext, f: FieldInfo, v: Json, p: JsonObject, roundUp: boolean): number | string {
  if (f.meta === '_seq_no') return seqNoQueryValue(v);
  if (f.kind === 'date') {
    const format = typeof p.format === 'string' ? p.format : dateFormatOf(f);
    return resolveDateMath(v, { format, roundUp, now: ctx.now, timeZone: typeof p.time_zone === 'string' ? p.time_zone : undefined });
  }
  if (f.kind === 'number' || f.kind === 'boolean') {
    const n = f.kind === 'boolean' ? toBooleanNumber(v) : toNumber(v);
    if (Number.isNaN(n)) throw queryValueError(v, f);
    return n;
  }
  return String(v);
}

export function rangeQuery(body: Json, ctx: QueryContext): DocScorer {
  const { field, params } = singleField('range', body, 'value');
  const bounds = rangeBounds(params);
  const boost = boostOf(params);
  return onField(ctx, field, (f) => {
    if (f.kind === 'object' || f.kind === 'other') return matchNone;
    // gt and lte round date math up (`now/d` → end of day), gte and lt round down.
    const lo = bounds.lower === undefined ? undefined : boundValue(ctx, f, bounds.lower, params, !bounds.includeLower);
    const hi = bounds.upper === undefined ? undefined : boundValue(ctx, f, bounds.upper, params, bounds.includeUpper);
    const inRange = (v: number | string): boolean =>
      (lo === undefined || (bounds.includeLower ? v >= lo : v > lo)) && (hi === undefined || (bounds.includeUpper ? v <= hi : v < hi));
    const valuesField = f.kind === 'text' ? { ...f, mapping: { ...f.mapping, fielddata: true } } : f;
    const read = docValuesReader(valuesField);
    const score = (doc: SearchableDoc): number | undefined => (read(doc).some(inRange) ? boost : undefined);
    // Set-at-a-time: one pass over the snapshot's doc values column (unboxed for numbers).
    const numeric = f.kind === 'number' || f.kind === 'date' || f.kind === 'boolean';
    return withAll(score, () => {
      const column = docValuesColumn(ctx.index, valuesField);
      const ords: number[] = [];
      if (!numeric) {
        for (let o = 0; o < column.length; o++) if (column[o].some(inRange)) ords.push(o);
        return constantList(Int32Array.from(ords), boost);
      }
      const { first, arity } = unboxedColumn(column);
      for (let o = 0; o < column.length; o++) if (arity[o] === 1 ? inRange(first[o]) : arity[o] > 1 && column[o].some(inRange)) ords.push(o);
      return constantList(Int32Array.from(ords), boost);
    });
  });
}
