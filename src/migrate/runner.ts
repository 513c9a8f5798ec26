/**
 * Every `serve` instance runs a migration runner (SPEC §5.3): at each poll it looks for migrations
 * that need a driver and whose lease is free (or expired: its holder died), takes the lease with a
 * guarded write and drives them, renewing the lease while it does. So exactly one instance drives
 * a migration at a time, and a migration outlives the instance that started it.
 */
import type { MigrationDoc } from '../control/documents.ts';
import { MigrationDriver } from './driver.ts';
import { LostLease, updateMigration, type DriverEnv } from './driver-env.ts';

/** Whether a migration has work for a driver now. */
const REST_MS = 1_000;

export function needsDriver(m: MigrationDoc, graceMs: number, now: number): boolean {
  if (m.leftovers.some((l) => !l.kept && now >= l.due)) return true;
  if (m.state === 'cancelled') return false;
  if (m.state !== 'complete') return true;
  return !m.source_removed && !m.keep_source && now >= (m.completed_at ?? 0) + graceMs;
}

export class MigrationRunner {
  private readonly driving = new Map<string, Promise<void>>();
  /** A driver that went idle rests a moment before it is started again (waiting out cursors costs no store writes per poll). */
  private readonly resting = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly env: DriverEnv,
    private readonly holder: string,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.scan(), this.env.config.control.poll_ms);
    this.timer.unref();
  }

  /** Stops taking migrations and waits for the running drivers to stop (their leases then expire or are released). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    await Promise.allSettled([...this.driving.values()]);
  }

  /** The migrations this instance drives now. */
  get active(): readonly string[] {
    return [...this.driving.keys()];
  }

  private scan(): void {
    if (this.stopped) return;
    const now = Date.now();
    for (const [key, entry] of this.env.control.snapshot()?.migrations ?? []) {
      const m = entry.doc;
      if (this.driving.has(key) || (this.resting.get(key) ?? 0) > now || !needsDriver(m, this.env.config.control.migration_cleanup_grace_ms, now)) continue;
      if (m.lease !== undefined && m.lease.until >= now && m.lease.holder !== this.holder) continue;
      const run = this.drive(key).finally(() => {
        this.driving.delete(key);
        this.resting.set(key, Date.now() + REST_MS);
      });
      this.driving.set(key, run);
    }
  }

  private async drive(key: string): Promise<void> {
    const leaseMs = this.env.config.control.migration_lease_ms;
    try {
      const mine = await updateMigration(this.env, key, undefined, (m) => {
        if (m.lease !== undefined && m.lease.until >= Date.now() && m.lease.holder !== this.holder) return undefined;
        return { ...m, lease: { holder: this.holder, until: Date.now() + leaseMs } };
      });
      if (mine.lease?.holder !== this.holder) return;
    } catch {
      return; // the store is away, or another instance won the lease: the next scan looks again
    }
    let lost = false;
    const renew = setInterval(() => {
      updateMigration(this.env, key, this.holder, (m) => ({ ...m, lease: { holder: this.holder, until: Date.now() + leaseMs } })).catch((e: unknown) => {
        if (e instanceof LostLease) lost = true;
      });
    }, Math.max(100, Math.floor(leaseMs / 3)));
    renew.unref();
    try {
      await new MigrationDriver(this.env, key, this.holder, () => this.stopped || lost).run();
    } finally {
      clearInterval(renew);
      await updateMigration(this.env, key, this.holder, (m) => ({ ...m, lease: undefined })).catch(() => undefined);
    }
  }
}
