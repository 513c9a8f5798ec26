/**
 * Queries on `_index` and `_id` (SPEC §4.4): the client means its own names, so they are mapped.
 * `_index` is evaluated here against the targeted logical indexes (exact, also for prefix and
 * wildcard) and becomes a `_lindex` filter (shared) or a physical `_index` filter (dedicated).
 * `_id` values become physical ids: for shared targets the cross product with their lindexes.
 */
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { refuse } from './errors.ts';
import { encodeSharedId } from './id-codec.ts';
import { expectArray, expectScalarString, queryOptions, single } from './json-shape.ts';
import type { Target } from './names.ts';
import { isSharedTarget, unique, type RewriteContext } from './scope.ts';

/** Query types on `_index` that can be evaluated exactly against the targeted names. */
export const INDEX_QUERY_TYPES: ReadonlySet<string> = new Set(['term', 'terms', 'match', 'match_phrase', 'prefix', 'wildcard']);
/** Query types on `_id` whose values map to physical ids. */
export const ID_QUERY_TYPES: ReadonlySet<string> = new Set(['term', 'terms']);

type NameTest = (lindex: string) => boolean;

/** `{"term":{"_index":"orders"}}` and friends → constant_score over the matching targets. */
export function rewriteIndexQuery(type: string, value: Json, outer: JsonObject, ctx: RewriteContext, path: string): JsonObject {
  const test = indexNameTest(type, value, path);
  const matched = ctx.targets.filter((t) => test(t.lindex));
  // OpenSearch scores `_index` queries as constant; constant_score keeps that.
  return { constant_score: { filter: indexClause(matched, ctx), ...queryOptions(outer, value) } };
}

function indexNameTest(type: string, value: Json, path: string): NameTest {
  if (type === 'terms') {
    const names = expectArray(value, path).map((v, i) => expectScalarString(v, `${path}[${i}]`));
    return (lindex) => names.includes(lindex);
  }
  const obj = isObject(value) ? value : undefined;
  const raw = obj === undefined ? value : (obj.value ?? obj.query ?? obj.wildcard);
  const text = expectScalarString(raw, path);
  const lower = obj?.case_insensitive === true ? text.toLowerCase() : text;
  if (type === 'prefix') return (lindex) => lindex.startsWith(lower);
  if (type === 'wildcard') return wildcardTest(lower, path);
  return (lindex) => lindex === lower;
}

function wildcardTest(pattern: string, path: string): NameTest {
  if (pattern.includes('\\')) refuse('index_query_refused', `[${path}] uses an escaped wildcard on _index, which osproxy cannot map`);
  const body = pattern.replace(/[.+^${}()|[\]]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
  const re = new RegExp(`^${body}$`);
  return (lindex) => re.test(lindex);
}

/** The filter selecting exactly the given targets' documents (match_none when there are none). */
export function indexClause(matched: readonly Target[], ctx: RewriteContext): JsonObject {
  const lindexes = unique(matched.filter(isSharedTarget).map((t) => t.lindex));
  const physical = unique(matched.filter((t) => !isSharedTarget(t)).map((t) => t.physicalIndex));
  const clauses: JsonObject[] = [];
  if (lindexes.length > 0) clauses.push({ terms: single(ctx.reserved.lindex, lindexes) });
  if (physical.length > 0) clauses.push({ terms: { _index: physical } });
  if (clauses.length === 0) return { match_none: {} };
  if (clauses.length === 1) return clauses[0];
  return { bool: { should: clauses, minimum_should_match: 1 } };
}

/**
 * Physical ids for client ids: one per (id, shared lindex), plus the id itself when dedicated
 * targets are searched too (their ids are untouched; the scope filter keeps foreign ones out).
 */
export function physicalIds(ids: readonly string[], ctx: RewriteContext): string[] {
  const lindexes = unique(ctx.sharedTargets.map((t) => t.lindex));
  const out: string[] = [];
  for (const id of ids) {
    for (const lindex of lindexes) out.push(encodeSharedId(ctx.tenant, lindex, id));
    if (ctx.dedicatedTargets.length > 0) out.push(id);
  }
  return unique(out);
}

/** `term`/`terms` on `_id` in shared placement → `terms` on the physical ids. */
export function rewriteIdTermQuery(type: string, value: Json, outer: JsonObject, ctx: RewriteContext, path: string): JsonObject {
  let ids: string[];
  if (type === 'terms') {
    ids = expectArray(value, path).map((v, i) => expectScalarString(v, `${path}[${i}]`));
  } else {
    const obj = isObject(value) ? value : undefined;
    if (obj?.case_insensitive === true) refuse('metadata_field_refused', `[${path}] uses case_insensitive on _id, which osproxy cannot map`);
    ids = [expectScalarString(obj === undefined ? value : obj.value, path)];
  }
  return { terms: { _id: physicalIds(ids, ctx), ...queryOptions(outer, value) } };
}

/** `{"ids":{"values":[...]}}` → physical ids (dedicated only: untouched). */
export function rewriteIdsQuery(body: JsonObject, ctx: RewriteContext, path: string): JsonObject {
  const values = expectArray(body.values ?? [], `${path}.values`).map((v, i) => expectScalarString(v, `${path}.values[${i}]`));
  if (!ctx.shared) return { ids: body };
  return { ids: { ...body, values: physicalIds(values, ctx) } };
}
