/**
 * One immutable control snapshot (SPEC §5.1): what the fleet store held at a checkpoint, as the
 * request path reads it. An instance builds a new snapshot from each read of the store (and from
 * each change it makes itself) and swaps it in atomically; requests never do I/O for control state.
 */
import type { Authenticator } from '../auth/index.ts';
import type { PlacementConfig } from '../config/tenant-schema.ts';
import type { Target } from '../tenancy/index.ts';
import type { EntryVersion, InstanceDoc, MigrationDoc, StoredDoc } from './documents.ts';
import type { DirectiveSet } from './directive-set.ts';
import type { IndexEntry, TenancyView, TenantEntry } from './tenancy-view.ts';

export interface InstanceEntry {
  readonly doc: InstanceDoc;
  readonly seqNo: number;
}

export interface MigrationEntry extends EntryVersion {
  readonly doc: MigrationDoc;
}

export interface SnapshotParts {
  /** The highest store `_seq_no` applied. */
  checkpoint: number;
  /** The store incarnation the snapshot was read from. */
  incarnation: string;
  tenancy: TenancyView;
  instances: ReadonlyMap<string, InstanceEntry>;
  /** Migrations by `tenant/index` (the current or last one of each logical index). */
  migrations: ReadonlyMap<string, MigrationEntry>;
  /** Diagnostics directives (SPEC §6), indexed for the request path. */
  directives: DirectiveSet;
  /** Deleted documents by id (kept so that a repair or a re-assertion never resurrects them). */
  tombstones: ReadonlyMap<string, StoredDoc>;
}

export class ControlSnapshot {
  readonly checkpoint: number;
  readonly incarnation: string;
  readonly tenancy: TenancyView;
  readonly instances: ReadonlyMap<string, InstanceEntry>;
  readonly migrations: ReadonlyMap<string, MigrationEntry>;
  readonly directives: DirectiveSet;
  readonly tombstones: ReadonlyMap<string, StoredDoc>;

  constructor(parts: SnapshotParts) {
    this.checkpoint = parts.checkpoint;
    this.incarnation = parts.incarnation;
    this.tenancy = parts.tenancy;
    this.instances = parts.instances;
    this.migrations = parts.migrations;
    this.directives = parts.directives;
    this.tombstones = parts.tombstones;
  }

  get auth(): Authenticator {
    return this.tenancy.auth;
  }

  tenant(id: string): TenantEntry | undefined {
    return this.tenancy.tenant(id);
  }

  hasTenant(id: string): boolean {
    return this.tenancy.tenants.has(id);
  }

  index(tenant: string, lindex: string): IndexEntry | undefined {
    return this.tenancy.index(tenant, lindex);
  }

  placementForNew(tenant: string, lindex: string): PlacementConfig {
    return this.tenancy.placementForNew(tenant, lindex);
  }

  target(tenant: string, lindex: string): Target {
    return this.tenancy.target(tenant, lindex);
  }

  /** Where the logical index lived before its last migration (its open cursors may still read there). */
  previousTarget(tenant: string, lindex: string): Target | undefined {
    return this.tenancy.previousTarget(tenant, lindex);
  }

  /** The migration of a logical index (current or last), if any. */
  migration(tenant: string, lindex: string): MigrationEntry | undefined {
    return this.migrations.get(`${tenant}/${lindex}`);
  }

  indexes(tenant: string): readonly string[] {
    return this.tenancy.names(tenant);
  }

  hasIndex(tenant: string, lindex: string): boolean {
    return this.tenancy.index(tenant, lindex) !== undefined;
  }

  createdAt(tenant: string, lindex: string): number | undefined {
    return this.tenancy.index(tenant, lindex)?.created_at;
  }

  /** The placement epoch of a logical index (changes with every placement change, SPEC §5.3). */
  epoch(tenant: string, lindex: string): number {
    return this.tenancy.index(tenant, lindex)?.epoch ?? 0;
  }
}
