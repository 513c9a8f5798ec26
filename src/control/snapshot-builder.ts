/**
 * Building control snapshots from store documents: a whole read, or the changes since the last
 * checkpoint applied to the previous snapshot (copy on write; a document is applied only if it is
 * newer than the copy the snapshot has, since change reads overlap).
 */
import type { Authenticator } from '../auth/index.ts';
import type { JsonObject } from '../core/json.ts';
import { DirectiveDocSchema } from './directive-doc.ts';
import { DirectiveSet, type DirectiveEntry } from './directive-set.ts';
import { docId, IndexDocSchema, indexKey, InstanceDocSchema, MigrationDocSchema, TenantDocSchema, type EntryVersion, type IndexDoc, type StoredDoc } from './documents.ts';
import type { StoreRead } from './fleet-store.ts';
import { ControlSnapshot, type InstanceEntry, type MigrationEntry } from './snapshot.ts';
import type { Interner } from './interner.ts';
import { TenancyView, type IndexEntry, type TenantEntry } from './tenancy-view.ts';

export interface BuildHooks {
  /** Shares equal strings and placements across documents (one per control plane, kept across snapshots). */
  intern?: Interner;
  /** The authenticator for a set of tenants (built whenever a tenant changes). */
  makeAuth(tenants: ReadonlyMap<string, TenantEntry>): Authenticator;
  onAmbiguous(tenant: string, lindex: string): void;
  /** A stored document that does not parse: left out of the snapshot, reported once per version. */
  onBadDoc(doc: StoredDoc, why: string): void;
}

interface Working {
  tenants?: Map<string, TenantEntry>;
  indexes?: Map<string, ReadonlyMap<string, IndexEntry>>;
  instances?: Map<string, InstanceEntry>;
  migrations?: Map<string, MigrationEntry>;
  directives?: Map<string, DirectiveEntry>;
  tombstones?: Map<string, StoredDoc>;
  /** Tenants whose index map was copied already in this round. */
  copiedIndexMaps: Set<string>;
}

function appliedSeqNo(prev: ControlSnapshot, doc: StoredDoc): number {
  const id = docId(doc.kind, doc.key);
  const tomb = prev.tombstones.get(id)?.seqNo ?? -1;
  if (doc.kind === 'tenant') return Math.max(tomb, prev.tenancy.tenants.get(doc.key)?.seqNo ?? -1);
  if (doc.kind === 'instance') return Math.max(tomb, prev.instances.get(doc.key)?.seqNo ?? -1);
  if (doc.kind === 'migration') return Math.max(tomb, prev.migrations.get(doc.key)?.seqNo ?? -1);
  if (doc.kind === 'directive') return Math.max(tomb, prev.directives.entries.get(doc.key)?.seqNo ?? -1);
  const slash = doc.key.indexOf('/');
  const entry = prev.tenancy.index(doc.key.slice(0, slash), doc.key.slice(slash + 1));
  return Math.max(tomb, entry?.seqNo ?? -1);
}

class Round {
  private readonly w: Working = { copiedIndexMaps: new Set() };
  constructor(
    private readonly prev: ControlSnapshot | undefined,
    private readonly hooks: BuildHooks,
  ) {}

  private tenants(): Map<string, TenantEntry> {
    return (this.w.tenants ??= new Map(this.prev?.tenancy.tenants));
  }

  private indexMap(tenant: string): Map<string, IndexEntry> {
    const all = (this.w.indexes ??= new Map(this.prev?.tenancy.indexes));
    let map = this.w.copiedIndexMaps.has(tenant) ? (all.get(tenant) as Map<string, IndexEntry> | undefined) : undefined;
    if (map === undefined) {
      // A copy of the previous map, once per round (or a new one when an emptied map was dropped).
      all.set(tenant, (map = new Map(all.get(tenant))));
      this.w.copiedIndexMaps.add(tenant);
    }
    return map;
  }

  private instances(): Map<string, InstanceEntry> {
    return (this.w.instances ??= new Map(this.prev?.instances));
  }

  private migrations(): Map<string, MigrationEntry> {
    return (this.w.migrations ??= new Map(this.prev?.migrations));
  }

  private directives(): Map<string, DirectiveEntry> {
    return (this.w.directives ??= new Map(this.prev?.directives.entries));
  }

  private tombstones(): Map<string, StoredDoc> {
    return (this.w.tombstones ??= new Map(this.prev?.tombstones));
  }

  apply(doc: StoredDoc): void {
    if (this.prev !== undefined && doc.seqNo <= appliedSeqNo(this.prev, doc)) return;
    const id = docId(doc.kind, doc.key);
    if (this.prev?.tombstones.has(id) === true || this.w.tombstones?.has(id) === true) this.tombstones().delete(id);
    this.remove(doc);
    if (doc.deleted) this.tombstones().set(id, { ...doc, body: {} });
    else this.add(doc);
  }

  private remove(doc: StoredDoc): void {
    if (doc.kind === 'tenant' && (this.w.tenants ?? this.prev?.tenancy.tenants)?.has(doc.key)) this.tenants().delete(doc.key);
    if (doc.kind === 'instance' && (this.w.instances ?? this.prev?.instances)?.has(doc.key)) this.instances().delete(doc.key);
    if (doc.kind === 'migration' && (this.w.migrations ?? this.prev?.migrations)?.has(doc.key)) this.migrations().delete(doc.key);
    if (doc.kind === 'directive' && (this.w.directives ?? this.prev?.directives.entries)?.has(doc.key)) this.directives().delete(doc.key);
    if (doc.kind === 'index') {
      const slash = doc.key.indexOf('/');
      const tenant = doc.key.slice(0, slash);
      const existing = (this.w.indexes ?? this.prev?.tenancy.indexes)?.get(tenant);
      if (existing?.has(doc.key.slice(slash + 1))) {
        const map = this.indexMap(tenant);
        map.delete(doc.key.slice(slash + 1));
        if (map.size === 0) (this.w.indexes as Map<string, unknown>).delete(tenant);
      }
    }
  }

  private add(doc: StoredDoc): void {
    if (doc.kind === 'tenant') {
      const parsed = TenantDocSchema.safeParse(doc.body);
      if (!parsed.success) return this.hooks.onBadDoc(doc, parsed.error.issues[0]?.message ?? 'invalid');
      const intern = this.hooks.intern;
      const id = intern?.string(doc.key) ?? doc.key;
      const entry: TenantEntry = { id, doc: intern?.tenant(parsed.data) ?? parsed.data, seqNo: doc.seqNo, primaryTerm: doc.primaryTerm, updatedAt: doc.updatedAt };
      this.tenants().set(id, entry);
    } else if (doc.kind === 'index') {
      const parsed = IndexDocSchema.safeParse(doc.body);
      if (!parsed.success || indexKey(parsed.data.tenant, parsed.data.name) !== doc.key) return this.hooks.onBadDoc(doc, 'not a logical index document');
      const d = this.hooks.intern?.index(parsed.data) ?? parsed.data;
      // One literal of a fixed shape: V8 keeps such objects small (a spread can leave them in dictionary mode).
      const entry: IndexEntry = {
        tenant: d.tenant, name: d.name, placement: d.placement, epoch: d.epoch, created_at: d.created_at, layout: d.layout, home: d.home,
        incarnation: d.incarnation, mapping: d.mapping, fenced: d.fenced, stamp_epoch: d.stamp_epoch, previous: d.previous,
        seqNo: doc.seqNo, primaryTerm: doc.primaryTerm, updatedAt: doc.updatedAt,
      };
      this.indexMap(d.tenant).set(d.name, entry);
    } else if (doc.kind === 'migration') {
      const parsed = MigrationDocSchema.safeParse(doc.body);
      if (!parsed.success || indexKey(parsed.data.tenant, parsed.data.index) !== doc.key) return this.hooks.onBadDoc(doc, 'not a migration document');
      this.migrations().set(doc.key, { doc: parsed.data, seqNo: doc.seqNo, primaryTerm: doc.primaryTerm, updatedAt: doc.updatedAt });
    } else if (doc.kind === 'directive') {
      const parsed = DirectiveDocSchema.safeParse(doc.body);
      if (!parsed.success || parsed.data.id !== doc.key) return this.hooks.onBadDoc(doc, 'not a directive document');
      const entry: DirectiveEntry = { id: doc.key, doc: parsed.data, expiresMs: Date.parse(parsed.data.expires_at), seqNo: doc.seqNo, primaryTerm: doc.primaryTerm, updatedAt: doc.updatedAt };
      this.directives().set(doc.key, entry);
    } else {
      const parsed = InstanceDocSchema.safeParse(doc.body);
      if (!parsed.success) return this.hooks.onBadDoc(doc, 'not an instance document');
      this.instances().set(doc.key, { doc: parsed.data, seqNo: doc.seqNo });
    }
  }

  finish(checkpoint: number, incarnation: string): ControlSnapshot {
    const prev = this.prev;
    const tenancyChanged = this.w.tenants !== undefined || this.w.indexes !== undefined || prev === undefined;
    const tenants = this.w.tenants ?? prev?.tenancy.tenants ?? new Map<string, TenantEntry>();
    const tenancy = tenancyChanged
      ? new TenancyView(
        tenants,
        this.w.indexes ?? prev?.tenancy.indexes ?? new Map(),
        this.w.tenants !== undefined || prev === undefined ? this.hooks.makeAuth(tenants) : (prev as ControlSnapshot).auth,
        this.hooks.onAmbiguous,
      )
      : (prev as ControlSnapshot).tenancy;
    return new ControlSnapshot({
      checkpoint: Math.max(checkpoint, prev?.checkpoint ?? -1),
      incarnation,
      tenancy,
      instances: this.w.instances ?? prev?.instances ?? new Map(),
      migrations: this.w.migrations ?? prev?.migrations ?? new Map(),
      directives: this.w.directives !== undefined || prev === undefined ? new DirectiveSet(this.w.directives ?? new Map()) : prev.directives,
      tombstones: this.w.tombstones ?? prev?.tombstones ?? new Map(),
    });
  }
}

/** A snapshot built from a whole read, page by page (a whole read has each document once). */
export class SnapshotBuilder {
  private readonly round: Round;
  private tenantDocs = 0;

  constructor(hooks: BuildHooks) {
    this.round = new Round(undefined, hooks);
  }

  add(docs: readonly StoredDoc[]): void {
    for (const doc of docs) {
      if (doc.kind === 'tenant') this.tenantDocs++;
      this.round.apply(doc);
    }
  }

  /** Whether the store ever had a tenant (tombstones count): an empty store is seeded from the YAML. */
  get hadTenants(): boolean {
    return this.tenantDocs > 0;
  }

  finish(checkpoint: number, incarnation: string): ControlSnapshot {
    return this.round.finish(checkpoint, incarnation);
  }
}

/** A snapshot of a whole store read. */
export function buildSnapshot(read: StoreRead, hooks: BuildHooks): ControlSnapshot {
  const builder = new SnapshotBuilder(hooks);
  builder.add(read.docs);
  return builder.finish(read.checkpoint, read.incarnation);
}

/** The previous snapshot with newer documents applied (a change read, or this instance's own writes). */
export function applyDocs(prev: ControlSnapshot, docs: readonly StoredDoc[], checkpoint: number, hooks: BuildHooks): ControlSnapshot {
  if (docs.length === 0 && checkpoint <= prev.checkpoint) return prev;
  const round = new Round(prev, hooks);
  for (const doc of [...docs].sort((a, b) => a.seqNo - b.seqNo)) round.apply(doc);
  return round.finish(checkpoint, prev.incarnation);
}

/** Every document a snapshot knows, as the store would hold it (to repair a lost store from). */
export function snapshotDocs(s: ControlSnapshot): StoredDoc[] {
  const at = (v: EntryVersion): Pick<StoredDoc, 'seqNo' | 'primaryTerm' | 'deleted' | 'updatedAt'> => ({ seqNo: v.seqNo, primaryTerm: v.primaryTerm, updatedAt: v.updatedAt, deleted: false });
  const out: StoredDoc[] = [];
  for (const t of s.tenancy.tenants.values()) out.push({ kind: 'tenant', key: t.id, body: asJson(t.doc), ...at(t) });
  for (const byName of s.tenancy.indexes.values()) {
    for (const e of byName.values()) {
      const { seqNo: _s, primaryTerm: _p, updatedAt: _u, ...fields } = e;
      const body: IndexDoc = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as IndexDoc;
      out.push({ kind: 'index', key: indexKey(e.tenant, e.name), body: asJson(body), ...at(e) });
    }
  }
  for (const [key, m] of s.migrations) out.push({ kind: 'migration', key, body: asJson(m.doc), ...at(m) });
  for (const [key, d] of s.directives.entries) out.push({ kind: 'directive', key, body: asJson(d.doc), ...at(d) });
  out.push(...s.tombstones.values());
  return out;
}

/** A parsed document body as stored JSON (the schemas produce plain JSON-compatible objects). */
export function asJson(body: object): JsonObject {
  return body as JsonObject;
}
