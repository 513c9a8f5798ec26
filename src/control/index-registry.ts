import type { RegistryEntry, RegistryStore } from './registry-store.ts';

/**
 * The registry of each tenant's logical indexes (SPEC §5.2): created by `PUT /{index}` or by the
 * first write, removed by `DELETE /{index}`. Index patterns and `/_search` resolve against it.
 * Reads come from the in-memory snapshot only (no I/O on the hot path); a new index is written
 * to the store before the request that creates it goes on, and the snapshot is reloaded by
 * polling so that every instance of a fleet converges.
 */
export class IndexRegistry {
  private byTenant = new Map<string, Map<string, { createdAt: number }>>();
  private readonly store: RegistryStore | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Local changes, replayed over a reload that started before they were made. */
  private changes: { at: number; added: boolean; entry: RegistryEntry }[] = [];
  private readonly listeners: ((entry: RegistryEntry, added: boolean) => void)[] = [];

  constructor(store?: RegistryStore) {
    this.store = store;
  }

  list(tenant: string): string[] {
    return [...(this.byTenant.get(tenant)?.keys() ?? [])].sort();
  }

  has(tenant: string, lindex: string): boolean {
    return this.byTenant.get(tenant)?.has(lindex) ?? false;
  }

  createdAt(tenant: string, lindex: string): number | undefined {
    return this.byTenant.get(tenant)?.get(lindex)?.createdAt;
  }

  /** Registers a logical index (durably when there is a store); no I/O when it is already known. */
  async register(tenant: string, lindex: string): Promise<void> {
    if (this.has(tenant, lindex)) return;
    const entry: RegistryEntry = { tenant, lindex, createdAt: Date.now() };
    await this.store?.put(entry);
    this.apply(entry, true);
    for (const l of this.listeners) l(entry, true);
  }

  async unregister(tenant: string, lindex: string): Promise<void> {
    await this.store?.remove(tenant, lindex);
    const entry: RegistryEntry = { tenant, lindex, createdAt: 0 };
    this.apply(entry, false);
    for (const l of this.listeners) l(entry, false);
  }

  /** Called after each change made here (a multi-worker proxy tells the sibling workers at once). */
  onChange(listener: (entry: RegistryEntry, added: boolean) => void): void {
    this.listeners.push(listener);
  }

  /** A change a sibling process already stored: applied now (no I/O) rather than at the next poll. */
  applyPeerChange(entry: RegistryEntry, added: boolean): void {
    this.apply(entry, added);
  }

  /** Replaces the snapshot with the store's content (keeps the last good copy on failure). */
  async reload(): Promise<void> {
    if (this.store === undefined) return;
    const started = Date.now();
    const entries = await this.store.load();
    const current = this.byTenant;
    this.byTenant = new Map();
    for (const e of entries) this.set(e);
    // Changes made while the load was in flight may be missing from it: replay them.
    this.changes = this.changes.filter((c) => c.at >= started - 1_000);
    for (const c of this.changes) {
      if (c.added) this.set({ ...c.entry, createdAt: current.get(c.entry.tenant)?.get(c.entry.lindex)?.createdAt ?? c.entry.createdAt });
      else this.byTenant.get(c.entry.tenant)?.delete(c.entry.lindex);
    }
  }

  /** Polls the store (SPEC §5.1: default 1 s); failures keep the last good snapshot. */
  startPolling(everyMs: number, onError: (e: unknown) => void): void {
    if (this.store === undefined || this.timer !== undefined) return;
    this.timer = setInterval(() => {
      this.reload().catch(onError);
    }, everyMs);
    this.timer.unref();
  }

  stopPolling(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private apply(entry: RegistryEntry, added: boolean): void {
    this.changes.push({ at: Date.now(), added, entry });
    if (added) this.set(entry);
    else this.byTenant.get(entry.tenant)?.delete(entry.lindex);
  }

  private set(e: RegistryEntry): void {
    let m = this.byTenant.get(e.tenant);
    if (m === undefined) this.byTenant.set(e.tenant, (m = new Map()));
    m.set(e.lindex, { createdAt: e.createdAt });
  }
}
