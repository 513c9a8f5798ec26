/** Top-level search sections that are neither query, aggregations nor hit shaping: rescore, indices_boost, slice. */
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { malformed, refuse } from './errors.ts';
import { checkListedField, valueFieldName } from './field-checks.ts';
import { assertKnownKeys, expectArray, expectObject, isFlat, single } from './json-shape.ts';
import { unique, type RewriteContext } from './scope.ts';

const RESCORE_KEYS: ReadonlySet<string> = new Set(['window_size', 'query']);
const RESCORE_QUERY_KEYS: ReadonlySet<string> = new Set(['rescore_query', 'query_weight', 'rescore_query_weight', 'score_mode']);

/** rescore: one rescorer or a list; only the query rescorer, whose query is walked. */
export function rewriteRescore(rescore: Json, ctx: RewriteContext, path: string): Json {
  if (Array.isArray(rescore)) return rescore.map((r, i) => rewriteRescorer(r, ctx, `${path}[${i}]`));
  return rewriteRescorer(rescore, ctx, path);
}

function rewriteRescorer(rescorer: Json, ctx: RewriteContext, path: string): JsonObject {
  const r = expectObject(rescorer, path);
  assertKnownKeys(r, RESCORE_KEYS, path);
  if (r.query === undefined) return r;
  const q = expectObject(r.query, `${path}.query`);
  assertKnownKeys(q, RESCORE_QUERY_KEYS, `${path}.query`);
  return { ...r, query: { ...q, rescore_query: ctx.rewriteQuery(q.rescore_query, `${path}.query.rescore_query`) } };
}

/**
 * indices_boost boosts by physical index. A logical name maps exactly when its physical index holds
 * no other targeted logical index; otherwise (e.g. one shared index for everything) it is refused.
 */
export function rewriteIndicesBoost(boost: Json, ctx: RewriteContext, path: string): Json {
  if (isObject(boost)) return Object.fromEntries(Object.entries(boost).map(([name, b]) => [physicalForBoost(name, ctx, path), b]));
  return expectArray(boost, path).map((entry, i) => {
    const at = `${path}[${i}]`;
    const pairs = Object.entries(expectObject(entry, at));
    if (pairs.length !== 1) malformed('malformed_request', `[${at}] must map one index name to a boost`);
    const [name, b] = pairs[0];
    return single(physicalForBoost(name, ctx, at), b);
  });
}

function physicalForBoost(name: string, ctx: RewriteContext, path: string): string {
  const target = ctx.targets.find((t) => t.lindex === name);
  if (target === undefined) refuse('indices_boost_refused', `[${path}] names [${name}], which is not one of the indexes this search targets`);
  const sharing = unique(ctx.targets.filter((t) => t.physicalIndex === target.physicalIndex).map((t) => t.lindex));
  if (sharing.length > 1) refuse('indices_boost_refused', `[${path}] cannot boost [${name}] alone: it is stored together with other indexes this search targets`);
  return target.physicalIndex;
}

const SLICE_KEYS: ReadonlySet<string> = new Set(['id', 'max', 'field']);

/** slice: its field's values only steer slicing and are never returned, so only reserved names are refused. */
export function rewriteSlice(slice: Json, ctx: RewriteContext, path: string): JsonObject {
  const s = { ...expectObject(slice, path) };
  assertKnownKeys(s, SLICE_KEYS, path);
  if (!Object.values(s).every(isFlat)) malformed('malformed_request', `[${path}] values must be scalars`);
  if (s.field !== undefined) {
    checkListedField(s.field, ctx, `${path}.field`, true);
    s.field = valueFieldName(s.field, ctx, `${path}.field`);
  }
  return s;
}
