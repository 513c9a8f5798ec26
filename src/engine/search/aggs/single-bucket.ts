import { EngineError } from '../../errors.ts';
import { isObject, type JsonObject } from '../../json.ts';
import { collectMatches } from '../collect.ts';
import { compileQuery } from '../query/compile.ts';
import type { Ranked } from '../sort.ts';
import { aggField } from './agg-field.ts';
import type { AggContext, AggRunner } from './types.ts';

/** The documents of `docs` that match a query. */
function matching(query: JsonObject, docs: Ranked[], ctx: AggContext): Ranked[] {
  const compiled = new Map(ctx.indices.map((idx) => [idx, compileQuery(query, idx, ctx.now)]));
  return docs.filter((r) => compiled.get(r.index)?.(r.doc) !== undefined);
}

export const filterAgg: AggRunner = (body, docs, ctx, sub) => {
  const members = matching(body, docs, ctx);
  return { doc_count: members.length, ...sub(members) };
};

export const filtersAgg: AggRunner = (body, docs, ctx, sub) => {
  const filters = body.filters;
  const otherKey = typeof body.other_bucket_key === 'string' ? body.other_bucket_key : '_other_';
  const withOther = body.other_bucket === true || typeof body.other_bucket_key === 'string';
  const matchedAny = new Set<Ranked>();
  const bucket = (q: JsonObject): JsonObject => {
    const members = matching(q, docs, ctx);
    for (const m of members) matchedAny.add(m);
    return { doc_count: members.length, ...sub(members) };
  };
  const other = (): JsonObject => {
    const rest = docs.filter((d) => !matchedAny.has(d));
    return { doc_count: rest.length, ...sub(rest) };
  };
  if (Array.isArray(filters)) {
    const buckets = filters.map((q) => bucket(isObject(q) ? q : {}));
    if (withOther) buckets.push(other());
    return { buckets };
  }
  if (!isObject(filters)) throw new EngineError(400, 'parsing_exception', '[filters] cannot be null or empty');
  const keyed: JsonObject = {};
  // Keyed filters come back in key order, as OpenSearch sorts them.
  for (const key of Object.keys(filters).sort()) keyed[key] = bucket(isObject(filters[key]) ? (filters[key] as JsonObject) : {});
  if (withOther) keyed[otherKey] = other();
  return { buckets: keyed };
};

export const missingAgg: AggRunner = (body, docs, ctx, sub) => {
  const field = aggField({ field: body.field ?? null }, ctx);
  const members = docs.filter((r) => field.values(r).length === 0);
  return { doc_count: members.length, ...sub(members) };
};

/** All documents of the searched indexes, whatever the query. */
export const globalAgg: AggRunner = (_body, _docs, ctx, sub) => {
  const all = collectMatches(ctx.indices, undefined, ctx.now);
  return { doc_count: all.length, ...sub(all) };
};
