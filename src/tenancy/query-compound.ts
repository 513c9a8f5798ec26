/**
 * Compound queries: their child queries are walked through `ctx.rewriteQuery`, their own
 * parameters checked strictly (an unknown key could hide a query or a field).
 */
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { malformed, refuse } from './errors.ts';
import { valueFieldName } from './field-checks.ts';
import { rewriteInnerHits } from './hit-sections.ts';
import { assertKnownKeys, expectArray, expectObject, single } from './json-shape.ts';
import type { QueryHandler } from './query-leaves.ts';
import type { RewriteContext } from './scope.ts';
import { checkScript } from './scripts.ts';

const OPTS = ['boost', '_name'];

interface CompoundSpec {
  /** Keys holding one query. */
  query?: string[];
  /** Keys holding one query or a list of them. */
  clauses?: string[];
  /** Keys holding a list of queries. */
  lists?: string[];
  /** Flat parameters. */
  params?: string[];
  /** Keys holding a field name. */
  fields?: string[];
  /** Refused in shared placement (join queries read across parent/child documents). */
  joinOnly?: boolean;
}

const COMPOUND: Record<string, CompoundSpec> = {
  bool: { clauses: ['must', 'filter', 'should', 'must_not'], params: ['minimum_should_match', 'adjust_pure_negative'] },
  dis_max: { lists: ['queries'], params: ['tie_breaker'] },
  constant_score: { query: ['filter'] },
  boosting: { query: ['positive', 'negative'], params: ['negative_boost'] },
  nested: { query: ['query'], fields: ['path'], params: ['score_mode', 'ignore_unmapped'] },
  has_child: { query: ['query'], params: ['type', 'score_mode', 'min_children', 'max_children', 'ignore_unmapped'], joinOnly: true },
  has_parent: { query: ['query'], params: ['parent_type', 'score', 'ignore_unmapped'], joinOnly: true },
  parent_id: { params: ['type', 'id', 'ignore_unmapped'], joinOnly: true },
  span_near: { lists: ['clauses'], params: ['slop', 'in_order'] },
  span_or: { lists: ['clauses'] },
  span_not: { query: ['include', 'exclude'], params: ['pre', 'post', 'dist'] },
  span_first: { query: ['match'], params: ['end'] },
  span_containing: { query: ['big', 'little'] },
  span_within: { query: ['big', 'little'] },
  span_multi: { query: ['match'] },
  field_masking_span: { query: ['query'], fields: ['field'] },
};

function compound(type: string, spec: CompoundSpec): QueryHandler {
  const allowed = new Set([
    ...OPTS, ...(spec.query ?? []), ...(spec.clauses ?? []), ...(spec.lists ?? []), ...(spec.params ?? []), ...(spec.fields ?? []),
    ...(type === 'nested' || type === 'has_child' || type === 'has_parent' ? ['inner_hits'] : []),
  ]);
  return (body, ctx, path) => {
    if (spec.joinOnly && ctx.shared) {
      refuse('join_query_refused', `[${path}] joins parent and child documents, which is not supported in shared placement`);
    }
    const b = expectObject(body, path);
    assertKnownKeys(b, allowed, path);
    const out: JsonObject = { ...b };
    for (const [key, value] of Object.entries(b)) {
      const at = `${path}.${key}`;
      if (spec.query?.includes(key)) out[key] = ctx.rewriteQuery(value, at);
      else if (spec.clauses?.includes(key)) out[key] = rewriteClauses(value, ctx, at);
      else if (spec.lists?.includes(key)) out[key] = expectArray(value, at).map((q, i) => ctx.rewriteQuery(q, `${at}[${i}]`));
      else if (spec.fields?.includes(key)) out[key] = valueFieldName(value, ctx, at);
      else if (key === 'inner_hits') out[key] = rewriteInnerHits(value, ctx, at);
      else if (isObject(value) || Array.isArray(value)) malformed('unsupported_parameter', `[${at}] must be a value`);
    }
    return single(type, out);
  };
}

function rewriteClauses(value: Json, ctx: RewriteContext, path: string): Json {
  if (Array.isArray(value)) return value.map((q, i) => ctx.rewriteQuery(q, `${path}[${i}]`));
  return ctx.rewriteQuery(value, path);
}

const SCRIPT_SCORE_KEYS: ReadonlySet<string> = new Set(['query', 'script', 'min_score', ...OPTS]);

const scriptScore: QueryHandler = (body, ctx, path) => {
  const b = expectObject(body, path);
  assertKnownKeys(b, SCRIPT_SCORE_KEYS, path);
  checkScript(b.script, ctx, `${path}.script`);
  return { script_score: { ...b, query: ctx.rewriteQuery(b.query, `${path}.query`) } };
};

const FUNCTION_KINDS = ['script_score', 'random_score', 'field_value_factor', 'gauss', 'linear', 'exp', 'weight'];
const FUNCTION_SCORE_KEYS: ReadonlySet<string> = new Set([
  'query', 'functions', 'score_mode', 'boost_mode', 'max_boost', 'min_score', ...OPTS, ...FUNCTION_KINDS,
]);
const FUNCTION_KEYS: ReadonlySet<string> = new Set(['filter', ...FUNCTION_KINDS]);

/** function_score: the query and each function's filter are walked, each function checked. */
const functionScore: QueryHandler = (body, ctx, path) => {
  const b = expectObject(body, path);
  assertKnownKeys(b, FUNCTION_SCORE_KEYS, path);
  const out: JsonObject = { ...b };
  if (b.query !== undefined) out.query = ctx.rewriteQuery(b.query, `${path}.query`);
  checkScoreFunction(b, ctx, path); // the single-function shorthand
  if (b.functions !== undefined) {
    out.functions = expectArray(b.functions, `${path}.functions`).map((fn, i) => {
      const at = `${path}.functions[${i}]`;
      const f = expectObject(fn, at);
      assertKnownKeys(f, FUNCTION_KEYS, at);
      checkScoreFunction(f, ctx, at);
      return f.filter === undefined ? f : { ...f, filter: ctx.rewriteQuery(f.filter, `${at}.filter`) };
    });
  }
  return { function_score: out };
};

/** Checks a score function and renames the fields it names (in place: the function object is the request's own copy). */
function checkScoreFunction(fn: JsonObject, ctx: RewriteContext, path: string): void {
  if (fn.script_score !== undefined) checkScript(expectObject(fn.script_score, `${path}.script_score`).script, ctx, `${path}.script_score.script`);
  if (fn.field_value_factor !== undefined) {
    const fvf = { ...expectObject(fn.field_value_factor, `${path}.field_value_factor`) };
    fvf.field = valueFieldName(fvf.field, ctx, `${path}.field_value_factor.field`);
    fn.field_value_factor = fvf;
  }
  if (fn.random_score !== undefined) {
    const random = { ...expectObject(fn.random_score, `${path}.random_score`) };
    if (random.field !== undefined) random.field = valueFieldName(random.field, ctx, `${path}.random_score.field`);
    fn.random_score = random;
  }
  for (const decay of ['gauss', 'linear', 'exp']) {
    if (fn[decay] === undefined) continue;
    const entries = Object.entries(expectObject(fn[decay], `${path}.${decay}`));
    fn[decay] = Object.fromEntries(entries.map(([key, v]) => [key === 'multi_value_mode' ? key : valueFieldName(key, ctx, `${path}.${decay}.${key}`), v]));
  }
}

function wrapper(_body: Json, _ctx: RewriteContext, path: string): JsonObject {
  refuse('unsupported_query', `[${path}] hides an encoded query that osproxy cannot inspect; send the query itself`);
}

export function compoundHandlers(): Map<string, QueryHandler> {
  const handlers = new Map<string, QueryHandler>();
  for (const [type, spec] of Object.entries(COMPOUND)) handlers.set(type, compound(type, spec));
  handlers.set('script_score', scriptScore);
  handlers.set('function_score', functionScore);
  handlers.set('wrapper', wrapper);
  return handlers;
}
