import { ProxyError } from '../http/errors.ts';
import { couldRender, DEFAULT_CLUSTER, DEFAULT_TEMPLATES, resolveTarget, validateLogicalIndexName, type PlacementInput, type Target } from '../tenancy/index.ts';
import type { UpstreamCluster } from '../upstream/cluster.ts';
import type { OpContext } from './context.ts';

/** The placement of one logical index: the per-index override, else the tenant's default. */
export function placementFor(ctx: OpContext, lindex: string): PlacementInput {
  const tenant = ctx.services.config.tenants[ctx.binding.tenant];
  return tenant?.indices[lindex] ?? tenant?.placement ?? { kind: 'shared' };
}

const resolved = new WeakMap<object, Map<string, Target>>();
/** Bound on cached (tenant, index) targets per configuration; cleared whole when reached. */
const MAX_CACHED_TARGETS = 50_000;

/** The target of one logical index, memoized per configuration (templates are checked once). */
export function targetFor(ctx: OpContext, lindex: string): Target {
  const config = ctx.services.config;
  let memo = resolved.get(config);
  if (memo === undefined) resolved.set(config, (memo = new Map()));
  const key = `${ctx.binding.tenant}\0${lindex}`;
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const target = checkedTarget(ctx, lindex);
  if (memo.size >= MAX_CACHED_TARGETS) memo.clear();
  memo.set(key, target);
  return target;
}

function checkedTarget(ctx: OpContext, lindex: string): Target {
  const target = resolveTarget(ctx.binding.tenant, lindex, placementFor(ctx, lindex));
  if (target.placement !== 'shared' && claimedElsewhere(ctx, target)) {
    ctx.services.log.warn({ tenant: ctx.binding.tenant, lindex }, 'dedicated index name is ambiguous across tenants; fix the index templates');
    throw new ProxyError(400, 'illegal_argument_exception', 'ambiguous_physical_index', `index [${lindex}] cannot be used: its physical index name is ambiguous under the configured index templates`);
  }
  return target;
}

const claims = new WeakMap<object, Map<string, boolean>>();

/**
 * A dedicated physical index is read unfiltered, so no other tenant's placement may be able to
 * produce its name (memoized per configuration).
 */
function claimedElsewhere(ctx: OpContext, target: Target): boolean {
  const config = ctx.services.config;
  const memo = claims.get(config) ?? new Map<string, boolean>();
  claims.set(config, memo);
  const key = `${ctx.binding.tenant}\0${target.cluster}\0${target.physicalIndex}`;
  let claimed = memo.get(key);
  if (claimed === undefined) {
    claimed = Object.entries(config.tenants).some(([tenant, t]) => tenant !== ctx.binding.tenant && [t.placement, ...Object.values(t.indices)].some(
      (p) => (p.cluster ?? DEFAULT_CLUSTER) === target.cluster && couldRender(p.index_template ?? DEFAULT_TEMPLATES[p.kind], tenant, target.physicalIndex),
    ));
    memo.set(key, claimed);
  }
  return claimed;
}

export function clusterFor(ctx: OpContext, target: Target): UpstreamCluster {
  const cluster = ctx.services.clusters.get(target.cluster);
  if (cluster === undefined) throw new ProxyError(500, 'internal_error', 'unknown_cluster', 'the placement names a cluster that is not configured');
  return cluster;
}

/** The one concrete logical index a document endpoint names (no lists or patterns). */
export function singleIndex(ctx: OpContext): string {
  const name = ctx.endpoint.index ?? '';
  if (name.includes(',') || name.includes('*') || name === '_all') {
    throw new ProxyError(400, 'illegal_argument_exception', 'single_index_required', `the ${ctx.endpoint.spec.name} endpoint takes one concrete index, not [${name}]`);
  }
  validateLogicalIndexName(name);
  return name;
}

export function indexNotFound(lindex: string): ProxyError {
  return new ProxyError(404, 'index_not_found_exception', 'index_not_found', `no such index [${lindex}]`);
}

function wildcardRegex(pattern: string): RegExp {
  return new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
}

export interface ResolvedIndices {
  targets: Target[];
  /** Concrete names that are not registered (404 unless ignore_unavailable). */
  missing: string[];
}

/**
 * Resolves an index expression (`a`, `a,b`, `logs-*`, `_all`, none, `-excluded`) against the
 * tenant's own registry only, so patterns can never reach another tenant's names.
 */
export function resolveIndices(ctx: OpContext, expr: string | undefined): ResolvedIndices {
  const tenant = ctx.binding.tenant;
  const known = ctx.services.registry.list(tenant);
  const parts = expr === undefined || expr === '' || expr === '_all' ? ['*'] : expr.split(',');
  const chosen = new Set<string>();
  const missing: string[] = [];
  for (const raw of parts) {
    const part = raw.trim();
    if (part.startsWith('-') && chosen.size > 0) {
      const re = wildcardRegex(part.slice(1));
      for (const name of [...chosen]) if (re.test(name)) chosen.delete(name);
    } else if (part.includes('*')) {
      const re = wildcardRegex(part);
      for (const name of known) if (re.test(name)) chosen.add(name);
    } else {
      validateLogicalIndexName(part);
      if (ctx.services.registry.has(tenant, part)) chosen.add(part);
      else missing.push(part);
    }
  }
  return { targets: [...chosen].sort().map((name) => targetFor(ctx, name)), missing };
}

/** All targets must live on one cluster: osproxy does not scatter-gather one search across clusters. */
export function oneCluster(ctx: OpContext, targets: Target[]): UpstreamCluster {
  const ids = new Set(targets.map((t) => t.cluster));
  if (ids.size > 1) {
    throw new ProxyError(400, 'illegal_argument_exception', 'cross_cluster_search', 'the requested indexes live on different clusters; search them separately');
  }
  return clusterFor(ctx, targets[0]);
}

/** Records where a single-index request goes in its explain record. */
export function explainTarget(ctx: OpContext, target: Target): void {
  ctx.explain.placement = target.placement;
  ctx.explain.physical = [target.physicalIndex];
}
