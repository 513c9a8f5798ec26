/**
 * The tenants and logical indexes of one control snapshot, as the request path reads them:
 * immutable, rebuilt (copy on write) only when a tenant or index document changes, so that
 * heartbeats and other churn keep the memoized targets and the authenticator.
 */
import type { Authenticator } from '../auth/index.ts';
import type { PlacementConfig } from '../config/tenant-schema.ts';
import { illegalArgument } from '../http/errors.ts';
import type { Json } from '../core/json.ts';
import { couldRender, DEFAULT_CLUSTER, DEFAULT_TEMPLATES, resolveTarget, type PlacementInput, type Target } from '../tenancy/index.ts';
import { countFields, fromStored } from '../tenancy/mapping/logical-mapping.ts';
import { namerFor } from '../tenancy/mapping/physical-names.ts';
import type { EntryVersion, IndexDoc, TenantDoc } from './documents.ts';

/** A document's body and version, in one object (tens of thousands of them are kept). */
interface Entry<D> extends EntryVersion {
  readonly doc: D;
}

export interface TenantEntry extends Entry<TenantDoc> {
  readonly id: string;
}

/** A logical index: its document's fields and version in one object (there are tens of thousands). */
export type IndexEntry = Readonly<IndexDoc> & EntryVersion;

/** Bound on remembered targets of indexes that do not exist yet; cleared whole when reached. */
const MAX_PENDING_TARGETS = 10_000;

/**
 * A shared index of layout 1 lives in the home its document names and keeps per-tenant fields;
 * other entries are as their placement renders them.
 */
function withFields(target: Target, entry: IndexEntry): Target {
  if (target.placement !== 'shared' || entry.layout !== 1 || entry.home === undefined || entry.incarnation === undefined) return target;
  const fields = { mapping: fromStored(entry.mapping as Json | undefined), namer: namerFor(entry.tenant) };
  return { ...target, physicalIndex: entry.home, fields };
}

export class TenancyView {
  /** Targets of existing indexes, kept as long as their entry is unchanged. */
  private readonly targets = new WeakMap<IndexEntry, Target>();
  /** Targets of indexes not created yet (a first write resolves one before registering it). */
  private readonly pending = new Map<string, Target>();
  private readonly claims = new Map<string, boolean>();
  private readonly sorted = new WeakMap<ReadonlyMap<string, IndexEntry>, string[]>();
  private dedicated: readonly (readonly [string, PlacementInput])[] | undefined;
  private homes: Map<string, number[]> | undefined;

  constructor(
    readonly tenants: ReadonlyMap<string, TenantEntry>,
    readonly indexes: ReadonlyMap<string, ReadonlyMap<string, IndexEntry>>,
    readonly auth: Authenticator,
    private readonly onAmbiguous: (tenant: string, lindex: string) => void,
  ) {}

  tenant(id: string): TenantEntry | undefined {
    return this.tenants.get(id);
  }

  index(tenant: string, lindex: string): IndexEntry | undefined {
    return this.indexes.get(tenant)?.get(lindex);
  }

  /** The placement a new logical index gets: the per-index override, else the tenant's default. */
  placementForNew(tenant: string, lindex: string): PlacementConfig {
    const t = this.tenants.get(tenant)?.doc;
    return t?.indices[lindex] ?? t?.placement ?? { kind: 'shared', routing: 'tenant' };
  }

  /** Where a logical index lives: as frozen at its creation, or where a new one would go. */
  target(tenant: string, lindex: string): Target {
    const entry = this.index(tenant, lindex);
    if (entry !== undefined) {
      let target = this.targets.get(entry);
      if (target === undefined) this.targets.set(entry, (target = withFields(this.checked(tenant, lindex, entry.placement), entry)));
      return target;
    }
    const key = `${tenant}\0${lindex}`;
    let target = this.pending.get(key);
    if (target === undefined) {
      target = this.checked(tenant, lindex, this.placementForNew(tenant, lindex));
      if (this.pending.size >= MAX_PENDING_TARGETS) this.pending.clear();
      this.pending.set(key, target);
    }
    return target;
  }

  /** The field counts of the logical indexes (layout 1) living in one shared index, found once per view. */
  homeUsage(cluster: string, home: string): readonly number[] {
    if (this.homes === undefined) {
      this.homes = new Map();
      for (const byName of this.indexes.values()) {
        for (const e of byName.values()) {
          if (e.layout !== 1 || e.home === undefined) continue;
          const key = `${e.placement.cluster ?? DEFAULT_CLUSTER}\0${e.home}`;
          const used = countFields((fromStored(e.mapping as Json | undefined)).properties);
          this.homes.set(key, [...(this.homes.get(key) ?? []), used]);
        }
      }
    }
    return this.homes.get(`${cluster}\0${home}`) ?? [];
  }

  /** The tenant's logical indexes, sorted. */
  names(tenant: string): readonly string[] {
    const map = this.indexes.get(tenant);
    if (map === undefined) return [];
    let names = this.sorted.get(map);
    if (names === undefined) this.sorted.set(map, (names = [...map.keys()].sort()));
    return names;
  }

  private checked(tenant: string, lindex: string, placement: PlacementInput): Target {
    const target = resolveTarget(tenant, lindex, placement);
    if (target.placement !== 'shared' && this.claimedElsewhere(tenant, target)) {
      this.onAmbiguous(tenant, lindex);
      throw illegalArgument('ambiguous_physical_index', `index [${lindex}] cannot be used: its physical index name is ambiguous under the configured index templates`);
    }
    return target;
  }

  /** A dedicated physical index is read unfiltered, so no other tenant's placement may be able to produce its name. */
  private claimedElsewhere(tenant: string, target: Target): boolean {
    const key = `${tenant}\0${target.cluster}\0${target.physicalIndex}`;
    let claimed = this.claims.get(key);
    if (claimed === undefined) {
      claimed = this.dedicatedPlacements().some(([other, p]) =>
        other !== tenant && (p.cluster ?? DEFAULT_CLUSTER) === target.cluster && couldRender(p.index_template ?? DEFAULT_TEMPLATES[p.kind], other, target.physicalIndex),
      );
      this.claims.set(key, claimed);
    }
    return claimed;
  }

  /** Every dedicated placement of every tenant (defaults, overrides, existing indexes), found once per view. */
  private dedicatedPlacements(): readonly (readonly [string, PlacementInput])[] {
    if (this.dedicated === undefined) {
      const out: [string, PlacementInput][] = [];
      for (const [id, t] of this.tenants) {
        for (const p of [t.doc.placement, ...Object.values(t.doc.indices)]) if (p.kind !== 'shared') out.push([id, p]);
      }
      for (const [id, byName] of this.indexes) for (const e of byName.values()) if (e.placement.kind !== 'shared') out.push([id, e.placement]);
      this.dedicated = out;
    }
    return this.dedicated;
  }
}
