/**
 * The scope of one search-like request: the tenant, the logical indexes it targets, and the filter
 * that confines it to them (SPEC §4.4).
 */
import { testBreak } from '../core/test-break.ts';
import type { Json, JsonObject } from '../core/json.ts';
import { refuse } from './errors.ts';
import { assertTenantId, type Target } from './names.ts';
import type { ReservedFields } from './reserved-fields.ts';
import { fieldResolver, type FieldResolver } from './mapping/field-resolver.ts';

export interface SearchScope {
  tenant: string;
  /** The logical indexes this request searches (already resolved from names/patterns), all on one cluster. */
  targets: Target[];
  reserved: ReservedFields;
  storedScriptAllowlist: ReadonlySet<string>;
  /** Further logical indexes of the tenant that terms lookups / more_like_this / percolate may read. */
  lookupTargets?: Target[];
}

/** What the script rule needs (also usable by the update and bulk paths). */
export interface ScriptPolicy {
  /** True when any target is in shared placement: then only allowlisted stored scripts run. */
  readonly shared: boolean;
  readonly storedScriptAllowlist: ReadonlySet<string>;
  readonly reserved: ReservedFields;
}

export interface RewriteContext extends ScriptPolicy {
  readonly tenant: string;
  readonly targets: readonly Target[];
  readonly sharedTargets: readonly Target[];
  readonly dedicatedTargets: readonly Target[];
  readonly lookupTargets: readonly Target[];
  /** The scope filter, or undefined when every target is dedicated (nothing to filter). */
  readonly filter: JsonObject | undefined;
  /** Field names of the request → names in the searched indexes (per-tenant fields in shared placement). */
  readonly fields: FieldResolver;
  /**
   * Every shared target keeps the logical id in a reserved keyword field: `_id` can be sorted,
   * paginated, aggregated and collapsed on (it stands for that field).
   */
  readonly logicalIds: boolean;
  /** The query walker, passed in so that section modules need not import it (no import cycle). */
  rewriteQuery(query: Json, path: string): JsonObject;
}

export type QueryWalker = (query: Json, ctx: RewriteContext, path: string) => JsonObject;

/** Query nesting deeper than this is refused rather than risking the stack. */
export const MAX_QUERY_DEPTH = 64;

export function isSharedTarget(t: Target): boolean {
  return t.placement === 'shared';
}

export function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

export function buildRewriteContext(scope: SearchScope, walk: QueryWalker): RewriteContext {
  assertTenantId(scope.tenant);
  // An empty target list would become an index-less upstream search, i.e. every index.
  if (scope.targets.length === 0) refuse('no_target', 'the request does not target any index');
  if (unique(scope.targets.map((t) => t.cluster)).length > 1) {
    refuse('multiple_clusters', 'one search cannot span logical indexes that live on different clusters');
  }
  const sharedTargets = scope.targets.filter(isSharedTarget);
  const dedicatedTargets = scope.targets.filter((t) => !isSharedTarget(t));
  let depth = 0;
  const ctx: RewriteContext = {
    tenant: scope.tenant,
    targets: scope.targets,
    sharedTargets,
    dedicatedTargets,
    // Lookups run on the searched cluster: a same-named index elsewhere must never be read.
    lookupTargets: [...scope.targets, ...(scope.lookupTargets ?? []).filter((t) => t.cluster === scope.targets[0].cluster)],
    shared: sharedTargets.length > 0,
    reserved: scope.reserved,
    storedScriptAllowlist: scope.storedScriptAllowlist,
    filter: testBreak('skip-tenant-filter') ? undefined : scopeFilter(scope.tenant, sharedTargets, dedicatedTargets, scope.reserved),
    fields: fieldResolver(scope.targets),
    // Only when every searched index keeps the logical id field: a dedicated index has none.
    logicalIds: dedicatedTargets.length === 0 && scope.reserved.id !== undefined && sharedTargets.every((t) => t.fields !== undefined),
    rewriteQuery(query, path) {
      if (++depth > MAX_QUERY_DEPTH) refuse('query_too_deep', `[${path}] nests queries deeper than ${MAX_QUERY_DEPTH} levels`);
      try {
        return walk(query, ctx, path);
      } finally {
        depth--;
      }
    },
  };
  return ctx;
}

/** `term _tenant` AND `terms _lindex` for shared targets. */
export function sharedClause(tenant: string, shared: readonly Target[], reserved: ReservedFields): JsonObject {
  const lindexes = unique(shared.map((t) => t.lindex));
  return {
    bool: {
      filter: [{ term: { [reserved.tenant]: tenant } }, { terms: { [reserved.lindex]: lindexes } }],
    },
  };
}

/**
 * The scope filter: shared only → the shared clause; shared + dedicated on one cluster → either the
 * shared clause or one of the dedicated physical indexes; dedicated only → none.
 */
export function scopeFilter(
  tenant: string,
  shared: readonly Target[],
  dedicated: readonly Target[],
  reserved: ReservedFields,
): JsonObject | undefined {
  if (shared.length === 0) return undefined;
  const clause = sharedClause(tenant, shared, reserved);
  if (dedicated.length === 0) return clause;
  const physical = unique(dedicated.map((t) => t.physicalIndex));
  return { bool: { should: [clause, { terms: { _index: physical } }], minimum_should_match: 1 } };
}

/** `existing AND scope` (either may be absent). */
export function andFilter(existing: JsonObject | undefined, scope: JsonObject | undefined): JsonObject | undefined {
  if (existing === undefined) return scope;
  if (scope === undefined) return existing;
  return { bool: { filter: [existing, scope] } };
}
