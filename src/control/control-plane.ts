/**
 * The control plane of one instance (SPEC §5.1, §5.2): it reads the fleet store into immutable
 * snapshots (a whole read at start and every `full_read_ms`, the changes since the last checkpoint
 * every `poll_ms`), keeps the last good snapshot when the store is unreachable, repairs a store
 * that was lost or malformed, seeds an empty store from the YAML tenants, writes this instance's
 * heartbeat, and makes the changes the request path and the admin API ask for (guarded writes).
 */
import type { Logger } from 'pino';
import { collectNow } from '../core/gc.ts';
import type { TenantConfig } from '../config/tenant-schema.ts';
import type { ControlConfig } from '../config/schema.ts';
import { IndexDocSchema, indexKey, type DocKind, type DocWrite, type IndexDoc, type InstanceCursor, type InstanceDoc, type StoredDoc } from './documents.ts';
import { StoreConflict, StoreUnavailable, type FleetStore } from './fleet-store.ts';
import { applyDocs, asJson, snapshotDocs, SnapshotBuilder, type BuildHooks } from './snapshot-builder.ts';
import type { ControlSnapshot } from './snapshot.ts';
import { Interner } from './interner.ts';
import type { IndexEntry } from './tenancy-view.ts';

export interface InstanceIdentity {
  id: string;
  version: string;
  host: string;
  pid: number;
  startedAt: number;
}

export interface LegacyIndex {
  tenant: string;
  lindex: string;
  createdAt: number;
}

export interface ControlPlaneOptions {
  store: FleetStore;
  config: ControlConfig;
  log: Logger;
  instance: InstanceIdentity;
  /** The YAML `tenants:`, imported only into a store that never had a tenant. */
  seed: Readonly<Record<string, TenantConfig>>;
  /** The logical indexes of the registry index older versions kept, imported into a new store. */
  legacyIndexes?: () => Promise<LegacyIndex[]>;
  hooks: Pick<BuildHooks, 'makeAuth' | 'onAmbiguous'>;
}

/** A change decided on a fresh copy of one document: what to write, or nothing (`undefined`). */
export type Mutation = (current: StoredDoc | undefined) => DocWrite | undefined;

const CAS_ATTEMPTS = 8;
/**
 * A write becomes searchable up to a refresh interval after its `_seq_no` is assigned, so a change
 * read could pass over one that is not visible yet: each change read starts from the checkpoint
 * the instance had this long ago (re-reading a few seconds of changes, never the whole store).
 */
const VISIBILITY_LAG_MS = 3_000;
/** Instances not seen for this long are forgotten (their heartbeat document becomes a tombstone). */
const FORGET_INSTANCE_MS = 10 * 60_000;

/** Reads of the store so far: whole reads, change reads, and the documents each kind returned. */
export interface ReadStats {
  full: number;
  changes: number;
  fullDocs: number;
  changeDocs: number;
}

/** Whether a snapshot has the document (live or as a tombstone). */
function knows(s: ControlSnapshot, d: StoredDoc): boolean {
  if (s.tombstones.has(`${d.kind}:${d.key}`)) return true;
  if (d.kind === 'tenant') return s.hasTenant(d.key);
  if (d.kind === 'migration') return s.migrations.has(d.key);
  if (d.kind === 'directive') return s.directives.entries.has(d.key);
  const slash = d.key.indexOf('/');
  return d.kind === 'index' && s.hasIndex(d.key.slice(0, slash), d.key.slice(slash + 1));
}

export class ControlPlane {
  readonly reads: ReadStats = { full: 0, changes: 0, fullDocs: 0, changeDocs: 0 };
  private current: ControlSnapshot | undefined;
  private lastRead = 0;
  private lastFullRead = 0;
  private lastError: string | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly listeners: ((docs: StoredDoc[]) => void)[] = [];
  private polling: Promise<void> | undefined;
  private cursorReport: () => InstanceCursor[] = () => [];
  private readonly hooks: BuildHooks;
  private readonly badDocs = new Set<string>();
  /** Checkpoints of recent reads, oldest first: where the next change read starts (see VISIBILITY_LAG_MS). */
  private recent: { at: number; checkpoint: number }[] = [];

  constructor(private readonly opts: ControlPlaneOptions) {
    this.hooks = {
      ...opts.hooks,
      intern: new Interner(),
      onBadDoc: (doc, why) => {
        const id = `${doc.kind}:${doc.key}@${doc.seqNo}`;
        if (!this.badDocs.has(id)) opts.log.error({ kind: doc.kind, key: doc.key, why }, 'a fleet store document is malformed; it is ignored');
        this.badDocs.add(id);
      },
    };
  }

  /** The current snapshot; undefined until the store was read once (tenant requests then get 503). */
  snapshot(): ControlSnapshot | undefined {
    return this.current;
  }

  /** Milliseconds since the store was last read successfully (since start when never). */
  get snapshotAgeMs(): number {
    return Date.now() - (this.lastRead === 0 ? this.opts.instance.startedAt : this.lastRead);
  }

  /** Why the store could not be read, while it cannot. */
  get problem(): string | undefined {
    return this.lastError;
  }

  get instanceId(): string {
    return this.opts.instance.id;
  }

  /** The fleet store itself, for fresh reads (the admin API reads before it decides). */
  get store(): FleetStore {
    return this.opts.store;
  }

  /** Reads the store once (waiting at most `waitMs`), then keeps polling and heartbeating in the background. */
  async start(waitMs = 2_000): Promise<void> {
    const first = this.tick();
    await Promise.race([first, new Promise((r) => setTimeout(r, waitMs).unref())]);
    const every = (ms: number, fn: () => Promise<void>): void => {
      const t = setInterval(() => void fn(), ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.opts.config.poll_ms, () => this.tick());
    every(this.opts.config.heartbeat_ms, () => this.heartbeat());
    void this.heartbeat();
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await this.polling;
    await this.opts.store.close();
  }

  /** Called with every change this instance made (a multi-worker proxy relays them to its siblings). */
  onLocalChange(listener: (docs: StoredDoc[]) => void): void {
    this.listeners.push(listener);
  }

  /** Changes a sibling process already stored: applied at once rather than at the next poll. */
  applyPeer(docs: StoredDoc[]): void {
    if (this.current !== undefined) this.current = applyDocs(this.current, docs, -1, this.hooks);
  }

  /** One poll: read the store's changes (or all of it), repairing a lost store; failures keep the last snapshot. */
  tick(): Promise<void> {
    this.polling ??= this.read().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async read(): Promise<void> {
    try {
      const full = this.current === undefined || Date.now() - this.lastFullRead >= this.opts.config.full_read_ms;
      if (full) await this.fullRead();
      else await this.changeRead(this.current as ControlSnapshot);
      if (this.lastError !== undefined) this.opts.log.info('the fleet store is readable again');
      this.lastError = undefined;
      this.lastRead = Date.now();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (this.lastError === undefined) this.opts.log.warn({ reason: message }, 'the fleet store cannot be read; serving from the last good snapshot');
      this.lastError = message;
      if (e instanceof StoreUnavailable && e.missing) await this.repair().catch(() => {});
    }
  }

  private async fullRead(): Promise<void> {
    const ensured = await this.opts.store.ensure(() => (this.current === undefined ? [] : snapshotDocs(this.current)));
    if (ensured.outcome === 'repaired') this.opts.log.error({ detail: ensured.detail }, 'the fleet store was lost or malformed and has been repaired');
    let built = await this.readWhole();
    const seeded = await this.seed(built.hadTenants, ensured.outcome === 'created');
    if (seeded.wrote) built = await this.readWhole();
    // Another instance seeding at the same moment won those documents: its writes may not be
    // searchable yet, so they are applied as read back by id (realtime), not left to the next poll.
    this.install(seeded.theirs.length === 0 ? built.snapshot : applyDocs(built.snapshot, seeded.theirs, -1, this.hooks));
    this.recent = [];
    this.remember(built.snapshot.checkpoint);
    // A whole read of a large store leaves MiBs of parsed garbage: give it back now.
    if (built.docs > 1_000) collectNow();
    this.lastFullRead = Date.now();
    await this.forgetInstances();
  }

  private async changeRead(current: ControlSnapshot): Promise<void> {
    const read = await this.opts.store.readChanges(this.changeReadStart(current.checkpoint));
    this.reads.changes++;
    this.reads.changeDocs += read.docs.length;
    if (read.incarnation !== current.incarnation) {
      this.opts.log.warn('the fleet store was rebuilt; reading it whole');
      return this.fullRead();
    }
    this.current = applyDocs(current, read.docs, read.checkpoint, this.hooks);
    this.remember(this.current.checkpoint);
  }

  private remember(checkpoint: number): void {
    const now = Date.now();
    this.recent.push({ at: now, checkpoint });
    // Keep one entry older than the lag (the start of the next read) and everything newer.
    while (this.recent.length > 1 && now - this.recent[1].at >= this.lagMs()) this.recent.shift();
  }

  private lagMs(): number {
    return Math.max(VISIBILITY_LAG_MS, 2 * this.opts.config.poll_ms);
  }

  private changeReadStart(checkpoint: number): number {
    const now = Date.now();
    const old = this.recent.filter((r) => now - r.at >= this.lagMs());
    // Within the first lag after a whole read, its checkpoint (a write in flight during that read
    // is caught by the next whole read, every full_read_ms, at the latest).
    return old.length > 0 ? old[old.length - 1].checkpoint : (this.recent[0]?.checkpoint ?? checkpoint);
  }

  /** The whole store, built into a snapshot page by page. */
  private async readWhole(): Promise<{ snapshot: ControlSnapshot; hadTenants: boolean; docs: number }> {
    const builder = new SnapshotBuilder(this.hooks);
    let docs = 0;
    const read = await this.opts.store.readAll((page) => {
      docs += page.length;
      builder.add(page);
    });
    this.reads.full++;
    this.reads.fullDocs += docs;
    return { snapshot: builder.finish(read.checkpoint, read.incarnation), hadTenants: builder.hadTenants, docs };
  }

  /** Installs a snapshot of a whole read; documents this instance knew that a rebuilt store lacks are written back. */
  private install(snapshot: ControlSnapshot): void {
    const previous = this.current;
    this.current = snapshot;
    if (previous !== undefined && previous.incarnation !== snapshot.incarnation) void this.reassert(previous, snapshot);
  }

  private async reassert(previous: ControlSnapshot, now: ControlSnapshot): Promise<void> {
    const missing = snapshotDocs(previous).filter((d) => !knows(now, d));
    const written: StoredDoc[] = [];
    for (const doc of missing) {
      try {
        written.push(await this.opts.store.create(doc));
      } catch {
        // Another instance wrote it back first, or the store is away again: the next read settles it.
      }
    }
    if (written.length > 0) this.applyLocal(written);
  }

  private async repair(): Promise<void> {
    const ensured = await this.opts.store.ensure(() => (this.current === undefined ? [] : snapshotDocs(this.current)));
    if (ensured.outcome !== 'ok') this.opts.log.error({ detail: ensured.detail }, 'the fleet store was lost or malformed and has been repaired');
  }

  /** Imports the YAML tenants into a store that never had one (and an old registry into a new store). */
  private async seed(hadTenants: boolean, created: boolean): Promise<{ wrote: boolean; theirs: StoredDoc[] }> {
    let wrote = false;
    const theirs: StoredDoc[] = [];
    const createIgnoringConflict = async (doc: DocWrite): Promise<boolean> => {
      if (await this.createIgnoringConflict(doc)) return true;
      const existing = await this.opts.store.get(doc.kind, doc.key);
      if (existing !== undefined) theirs.push(existing);
      return false;
    };
    if (!hadTenants) {
      for (const [id, t] of Object.entries(this.opts.seed)) {
        wrote = (await createIgnoringConflict({ kind: 'tenant', key: id, deleted: false, body: asJson({ ...t, state: 'active', version: 1, created_at: Date.now() }) })) || wrote;
      }
      if (wrote) this.opts.log.info({ tenants: Object.keys(this.opts.seed).length }, 'seeded the fleet store from the configuration; from now on the store is the source of truth');
    }
    if (created && this.opts.legacyIndexes !== undefined) {
      const legacy = await this.opts.legacyIndexes().catch(() => []);
      const tenants = new Map(Object.entries(this.opts.seed));
      for (const e of legacy) {
        const t = tenants.get(e.tenant);
        const placement = t?.indices[e.lindex] ?? t?.placement ?? { kind: 'shared', routing: 'tenant' };
        const doc: IndexDoc = { tenant: e.tenant, name: e.lindex, placement, epoch: 0, created_at: e.createdAt, layout: 0 };
        wrote = (await createIgnoringConflict({ kind: 'index', key: indexKey(e.tenant, e.lindex), deleted: false, body: asJson(doc) })) || wrote;
      }
    }
    return { wrote, theirs };
  }

  private async createIgnoringConflict(doc: DocWrite): Promise<boolean> {
    try {
      await this.opts.store.create(doc);
      return true;
    } catch (e) {
      if (e instanceof StoreConflict) return false;
      throw e;
    }
  }

  /** Applies this instance's own writes at once (read-your-writes) and tells the listeners. */
  private applyLocal(docs: StoredDoc[]): void {
    if (this.current !== undefined) this.current = applyDocs(this.current, docs, -1, this.hooks);
    for (const l of this.listeners) l(docs);
  }

  /**
   * Changes one document with a guarded write, re-reading and re-deciding on every conflict
   * (two admin calls racing on one tenant are both applied). Returns the stored document, or the
   * current one when the mutation decided nothing needs to change.
   */
  async mutate(kind: DocKind, key: string, change: Mutation): Promise<StoredDoc | undefined> {
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const current = await this.opts.store.get(kind, key);
      const next = change(current);
      if (next === undefined) return current;
      try {
        const stored = current === undefined ? await this.opts.store.create(next) : await this.opts.store.replace(next, current);
        this.applyLocal([stored]);
        return stored;
      } catch (e) {
        if (!(e instanceof StoreConflict)) throw e;
      }
    }
    throw new StoreConflict(`${kind} [${key}] kept changing while it was being updated`);
  }

  /**
   * The logical index, created in the store on first use with the placement it gets for good;
   * `build` makes its document (given the placement; shared placement also picks its home).
   */
  async registerIndex(tenant: string, lindex: string, build: (placement: IndexDoc['placement']) => Promise<IndexDoc> = async (placement) => ({ tenant, name: lindex, placement, epoch: 0, created_at: Date.now(), layout: 0 })): Promise<{ entry: IndexEntry; created: boolean }> {
    const known = this.current?.index(tenant, lindex);
    if (known !== undefined) return { entry: known, created: false };
    const body = await build((this.current as ControlSnapshot).placementForNew(tenant, lindex));
    let foundCreated: StoredDoc | undefined;
    await this.mutate('index', indexKey(tenant, lindex), (doc) => {
      foundCreated = doc !== undefined && !doc.deleted ? doc : undefined;
      if (foundCreated !== undefined) return undefined; // another instance created it first: use theirs
      return { kind: 'index', key: indexKey(tenant, lindex), deleted: false, body: asJson(body) };
    });
    if (foundCreated !== undefined) this.applyLocal([foundCreated]);
    const entry = this.current?.index(tenant, lindex);
    if (entry === undefined) throw new StoreUnavailable(`logical index [${lindex}] could not be registered`);
    return { entry, created: foundCreated === undefined };
  }

  /** A guarded change of an existing logical index's document (its mapping grew, say); the new entry. */
  async changeIndex(tenant: string, lindex: string, change: (doc: IndexDoc) => IndexDoc | undefined): Promise<IndexEntry | undefined> {
    await this.mutate('index', indexKey(tenant, lindex), (stored) => {
      if (stored === undefined || stored.deleted) return undefined;
      const parsed = IndexDocSchema.safeParse(stored.body);
      const next = parsed.success ? change(parsed.data) : undefined;
      return next === undefined ? undefined : { kind: 'index', key: indexKey(tenant, lindex), deleted: false, body: asJson(next) };
    });
    return this.current?.index(tenant, lindex);
  }

  async unregisterIndex(tenant: string, lindex: string): Promise<void> {
    await this.mutate('index', indexKey(tenant, lindex), (doc) => (doc === undefined || doc.deleted ? undefined : { ...doc, deleted: true }));
  }

  /** What the heartbeat reports of this instance's open cursors (the request path knows them). */
  reportCursors(report: () => InstanceCursor[]): void {
    this.cursorReport = report;
  }

  private async heartbeat(): Promise<void> {
    const { instance } = this.opts;
    const body: InstanceDoc = {
      id: instance.id, version: instance.version, started_at: instance.startedAt, last_seen: Date.now(),
      snapshot: this.current?.checkpoint ?? -1, pid: instance.pid, host: instance.host, cursors: this.cursorReport(),
    };
    try {
      this.applyLocal([await this.opts.store.put({ kind: 'instance', key: instance.id, deleted: false, body: asJson(body) })]);
    } catch (e) {
      this.opts.log.debug({ err: e }, 'heartbeat not written');
    }
  }

  private async forgetInstances(): Promise<void> {
    const now = Date.now();
    for (const [id, e] of this.current?.instances ?? []) {
      if (now - e.doc.last_seen < FORGET_INSTANCE_MS || id === this.opts.instance.id) continue;
      await this.mutate('instance', id, (doc) => (doc === undefined || doc.deleted || now - (doc.body.last_seen as number) < FORGET_INSTANCE_MS ? undefined : { ...doc, deleted: true })).catch(() => {});
    }
  }
}
