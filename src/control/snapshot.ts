/**
 * The control state as the request path reads it: tenants, their placements and their logical
 * indexes. Requests read only this (no I/O); the resolve stage turns it into one scope per request.
 * Physical targets are computed once per (tenant, logical index) and remembered.
 */
import type { TenantConfig } from '../config/tenant-schema.ts';
import { illegalArgument } from '../http/errors.ts';
import { couldRender, DEFAULT_CLUSTER, DEFAULT_TEMPLATES, resolveTarget, type PlacementInput, type Target } from '../tenancy/index.ts';
import type { IndexRegistry } from './index-registry.ts';

/** Bound on remembered targets; cleared whole when reached (they are cheap to recompute). */
const MAX_CACHED_TARGETS = 50_000;

export class ControlSnapshot {
  private readonly targets = new Map<string, Target>();
  private readonly claims = new Map<string, boolean>();

  constructor(
    private readonly tenants: Readonly<Record<string, TenantConfig>>,
    private readonly registry: IndexRegistry,
    private readonly onAmbiguous: (tenant: string, lindex: string) => void = () => {},
  ) {}

  hasTenant(tenant: string): boolean {
    return this.tenants[tenant] !== undefined;
  }

  /** The placement of one logical index: the per-index override, else the tenant's default. */
  placementFor(tenant: string, lindex: string): PlacementInput {
    const t = this.tenants[tenant];
    return t?.indices[lindex] ?? t?.placement ?? { kind: 'shared' };
  }

  /** The target of one logical index (validates the name; templates were checked at load). */
  target(tenant: string, lindex: string): Target {
    const key = `${tenant}\0${lindex}`;
    const hit = this.targets.get(key);
    if (hit !== undefined) return hit;
    const target = resolveTarget(tenant, lindex, this.placementFor(tenant, lindex));
    if (target.placement !== 'shared' && this.claimedElsewhere(tenant, target)) {
      this.onAmbiguous(tenant, lindex);
      throw illegalArgument('ambiguous_physical_index', `index [${lindex}] cannot be used: its physical index name is ambiguous under the configured index templates`);
    }
    if (this.targets.size >= MAX_CACHED_TARGETS) this.targets.clear();
    this.targets.set(key, target);
    return target;
  }

  indexes(tenant: string): string[] {
    return this.registry.list(tenant);
  }

  hasIndex(tenant: string, lindex: string): boolean {
    return this.registry.has(tenant, lindex);
  }

  createdAt(tenant: string, lindex: string): number | undefined {
    return this.registry.createdAt(tenant, lindex);
  }

  /** The placement epoch of a logical index (changes with every placement change, SPEC §5.3). */
  epoch(_tenant: string, _lindex: string): number {
    return 0;
  }

  /** A dedicated physical index is read unfiltered, so no other tenant's placement may be able to produce its name. */
  private claimedElsewhere(tenant: string, target: Target): boolean {
    const key = `${tenant}\0${target.cluster}\0${target.physicalIndex}`;
    let claimed = this.claims.get(key);
    if (claimed === undefined) {
      claimed = Object.entries(this.tenants).some(([other, t]) => other !== tenant && [t.placement, ...Object.values(t.indices)].some(
        (p) => (p.cluster ?? DEFAULT_CLUSTER) === target.cluster && couldRender(p.index_template ?? DEFAULT_TEMPLATES[p.kind], other, target.physicalIndex),
      ));
      this.claims.set(key, claimed);
    }
    return claimed;
  }
}
