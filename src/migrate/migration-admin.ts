/**
 * Migrations as the admin API changes them (SPEC §5.3, §5.5): starting one (every check made
 * before anything is written, so bad input starts nothing), an operator's requests (cutover,
 * cancel, cleanup), reversing a complete one, and a diff on demand. The driver does the work.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { PlacementSchema, type PlacementConfig } from '../config/tenant-schema.ts';
import { IndexDocSchema, MIGRATION_STATES, TenantDocSchema, type IndexDoc, type Location, type MigrationDoc } from '../control/documents.ts';
import { asJson } from '../control/snapshot-builder.ts';
import type { Json } from '../core/json.ts';
import { illegalArgument, indexNotFound, notFound, OsproxyError } from '../http/errors.ts';
import { resolveTarget } from '../tenancy/index.ts';
import { countFields, parseLogicalMapping } from '../tenancy/mapping/logical-mapping.ts';
import { migrationKey, migrationOf, sidesOf, sourceMapping, updateMigration, type DriverEnv } from './driver-env.ts';
import { diffSides } from './reconcile.ts';

export const MigrationStartSchema = z.strictObject({
  tenant: z.string().min(1),
  index: z.string().min(1),
  to: PlacementSchema,
  auto_cutover: z.boolean().default(false),
  keep_source: z.boolean().default(false),
  max_docs_per_second: z.number().int().min(1).optional(),
});
export type MigrationStart = z.infer<typeof MigrationStartSchema>;

export const ReverseSchema = z.strictObject({ auto_cutover: z.boolean().default(false), keep_source: z.boolean().default(false) });

const ACTIVE: ReadonlySet<MigrationDoc['state']> = new Set(MIGRATION_STATES.filter((s) => s !== 'complete' && s !== 'cancelled'));

function conflict(code: string, reason: string): OsproxyError {
  return new OsproxyError({ status: 409, type: 'illegal_state_exception', code, reason });
}

export function migrationNotFound(tenant: string, index: string): OsproxyError {
  return notFound('resource_not_found_exception', 'migration_not_found', `no migration of index [${index}] of tenant [${tenant}]`);
}

/** A placement as status lines and `--to` name it: `shared`, `index`, `cluster:NAME`. */
export function placementLabel(p: PlacementConfig): string {
  return p.kind === 'cluster' ? `cluster:${p.cluster ?? ''}` : p.kind;
}

function locationOf(e: IndexDoc): Location {
  return { placement: e.placement, layout: e.layout, home: e.home, incarnation: e.incarnation };
}

/** Whether moving to `to` would change nothing (a shared index of the earlier layout may move to the per-tenant one). */
function samePlacement(tenant: string, e: IndexDoc, to: PlacementConfig): boolean {
  const from = resolveTarget(tenant, e.name, e.placement);
  const next = resolveTarget(tenant, e.name, to);
  if (from.placement !== next.placement || from.cluster !== next.cluster) return false;
  return from.placement === 'shared' ? e.layout === 1 && from.physicalIndex === next.physicalIndex : from.physicalIndex === next.physicalIndex;
}

const sameLocation = (a: Location, b: Location): boolean => JSON.stringify(a.placement) === JSON.stringify(b.placement) && a.home === b.home;

/**
 * What a new move inherits to remove: the last move's source (unless removed) and its leftovers.
 * One at the new move's target is cleared before the copy (the driver waits for its readers).
 */
function leftoversOf(last: MigrationDoc | undefined, next: MigrationDoc, graceMs: number): MigrationDoc['leftovers'] {
  if (last === undefined) return [];
  const out = last.leftovers.filter((l) => !sameLocation(l.location, next.from));
  if (last.state === 'complete' && !last.source_removed && !sameLocation(last.from, next.from)) {
    out.push({ location: last.from, due: (last.completed_at ?? 0) + graceMs, kept: last.keep_source });
  }
  return out;
}

export class MigrationAdmin {
  constructor(private readonly env: DriverEnv) {}

  /** The tenant and index as the store has them now: a change just made elsewhere is seen at once. */
  private async entry(tenant: string, index: string): Promise<IndexDoc> {
    const storedTenant = await this.env.control.store.get('tenant', tenant);
    const t = storedTenant === undefined || storedTenant.deleted ? undefined : TenantDocSchema.safeParse(storedTenant.body);
    if (t === undefined || !t.success) throw notFound('resource_not_found_exception', 'tenant_not_found', `tenant [${tenant}] does not exist`);
    if (t.data.state === 'suspended') throw conflict('tenant_suspended', `tenant [${tenant}] is suspended; resume it before moving its indexes`);
    const stored = await this.env.control.store.get('index', migrationKey(tenant, index));
    const parsed = stored === undefined || stored.deleted ? undefined : IndexDocSchema.safeParse(stored.body);
    if (parsed === undefined || !parsed.success) throw indexNotFound(index);
    return parsed.data;
  }

  /** Checks a move into shared placement can hold the index's mapping (shared rules, field quota). */
  private async checkSharedFit(doc: MigrationDoc, e: IndexDoc): Promise<void> {
    if (doc.to.placement.kind !== 'shared') return;
    const { source } = sidesOf(this.env, doc, { source: e.mapping as Json | undefined });
    const json = await sourceMapping(doc, e, source);
    const logical = parseLogicalMapping(json ?? {});
    const fields = countFields(logical.properties);
    if (fields > this.env.settings.fieldQuota) {
      throw illegalArgument('field_quota_exceeded', `index [${doc.index}] has ${fields} fields; shared placement holds at most ${this.env.settings.fieldQuota} per index`);
    }
  }

  async start(req: MigrationStart): Promise<MigrationDoc> {
    const e = await this.entry(req.tenant, req.index);
    const cluster = req.to.cluster ?? 'default';
    if (!this.env.clusters.has(cluster)) throw illegalArgument('unknown_cluster', `to.cluster: cluster [${cluster}] is not configured`);
    if (samePlacement(req.tenant, e, req.to)) throw illegalArgument('same_placement', `index [${req.index}] already lives in placement [${placementLabel(req.to)}]`);
    const now = Date.now();
    const doc: MigrationDoc = {
      tenant: req.tenant, index: req.index, id: randomBytes(6).toString('hex'), from: locationOf(e),
      to: { placement: req.to, layout: req.to.kind === 'shared' ? 1 : 0 }, state: 'copying', auto_cutover: req.auto_cutover,
      keep_source: req.keep_source, max_docs_per_second: req.max_docs_per_second, copied: 0, total: 0, created_at: now, updated_at: now, source_removed: false, leftovers: [], overwritten: [], overwritten_all: false,
    };
    await this.checkSharedFit(doc, e);
    await this.create(doc);
    return doc;
  }

  private async create(doc: MigrationDoc): Promise<void> {
    const key = migrationKey(doc.tenant, doc.index);
    await this.env.control.mutate('migration', key, (stored) => {
      const current = migrationOf(stored);
      if (current !== undefined && ACTIVE.has(current.state)) throw conflict('migration_exists', `index [${doc.index}] is already being moved (migration ${current.id}, ${current.state})`);
      return { kind: 'migration', key, deleted: false, body: asJson({ ...doc, leftovers: leftoversOf(current, doc, this.env.config.control.migration_cleanup_grace_ms) }) };
    });
  }

  /** Read from the store, not the snapshot: an operator sees its own change from any instance at once. */
  async get(tenant: string, index: string): Promise<MigrationDoc> {
    const m = migrationOf(await this.env.control.store.get('migration', migrationKey(tenant, index)));
    if (m === undefined) throw migrationNotFound(tenant, index);
    return m;
  }

  list(): MigrationDoc[] {
    return [...(this.env.control.snapshot()?.migrations.values() ?? [])].map((e) => e.doc).sort((a, b) => `${a.tenant}/${a.index}`.localeCompare(`${b.tenant}/${b.index}`));
  }

  /** Asks the driver to cut over once the target is verified. */
  async requestCutover(tenant: string, index: string): Promise<MigrationDoc> {
    return this.request(tenant, index, (m) => {
      if (!ACTIVE.has(m.state)) throw conflict('migration_not_active', `migration of index [${index}] is ${m.state}; nothing to cut over`);
      return m.state === 'cutover' ? undefined : { ...m, requested: 'cutover' };
    });
  }

  async requestCancel(tenant: string, index: string): Promise<MigrationDoc> {
    return this.request(tenant, index, (m) => {
      if (!ACTIVE.has(m.state)) throw conflict('migration_not_cancellable', `migration of index [${index}] is ${m.state}; a complete move is undone with _reverse`);
      return { ...m, requested: 'cancel' };
    });
  }

  /** Lets a kept source be removed (once open cursors on it have expired). */
  async requestCleanup(tenant: string, index: string): Promise<MigrationDoc> {
    return this.request(tenant, index, (m) => {
      if (m.state !== 'complete') throw conflict('migration_not_complete', `migration of index [${index}] is ${m.state}; its source is removed after it completes`);
      const kept = m.keep_source || m.leftovers.some((l) => l.kept);
      return kept ? { ...m, keep_source: false, leftovers: m.leftovers.map((l) => ({ ...l, kept: false })) } : undefined;
    });
  }

  private async request(tenant: string, index: string, change: (m: MigrationDoc) => MigrationDoc | undefined): Promise<MigrationDoc> {
    await this.get(tenant, index);
    return updateMigration(this.env, migrationKey(tenant, index), undefined, change);
  }

  /** After `complete`: the same workflow back to where the index was. */
  async reverse(tenant: string, index: string, opts: z.infer<typeof ReverseSchema>): Promise<MigrationDoc> {
    const last = await this.get(tenant, index);
    if (last.state !== 'complete') throw conflict('migration_not_complete', `migration of index [${index}] is ${last.state}; only a complete move can be reversed (cancel an active one)`);
    const e = await this.entry(tenant, index);
    const now = Date.now();
    const back: MigrationDoc = {
      tenant, index, id: randomBytes(6).toString('hex'), from: locationOf(e), to: { placement: last.from.placement, layout: last.from.placement.kind === 'shared' ? 1 : 0 },
      state: 'copying', auto_cutover: opts.auto_cutover, keep_source: opts.keep_source, copied: 0, total: 0, created_at: now, updated_at: now, source_removed: false, leftovers: [], overwritten: [], overwritten_all: false,
    };
    await this.checkSharedFit(back, e);
    await this.create(back);
    return back;
  }

  /** A diff of both sides now (counts, ids, versions; `deep`: source hashes too), recorded in the migration. */
  async verify(tenant: string, index: string, deep: boolean): Promise<MigrationDoc> {
    const m = await this.get(tenant, index);
    const e = await this.entry(tenant, index);
    if (m.to.placement.kind === 'shared' && m.to.home === undefined) throw conflict('migration_not_started', 'the target is not created yet; verify again in a moment');
    const { source, target } = sidesOf(this.env, m, { source: e.mapping as Json | undefined, target: e.mapping as Json | undefined });
    const { missingIds: _m, staleIds: _s, extraIds: _e, changedIds: _c, ...diff } = await diffSides(source, target, deep || m.overwritten_all, new Set(m.overwritten));
    return updateMigration(this.env, migrationKey(tenant, index), undefined, (d) => ({ ...d, diff }));
  }
}
