/**
 * Following a migration from the CLI: a progress bar on a terminal (documents copied, rate, ETA,
 * the last diff), one line per state change otherwise, until the migration reaches a state the
 * caller waits for. The migration goes on in the fleet whatever happens to this process.
 */
import { SingleBar } from 'cli-progress';
import { AdminCliError, adminCall, type AdminOptions } from './admin-client.ts';

export interface MigrationView {
  tenant: string;
  index: string;
  from: string;
  to: string;
  state: string;
  epoch: number;
  copied: number;
  total: number;
  diff: { source: number; target: number; missing: number; stale: number; extra: number; changed?: number } | null;
  id: string;
  requested: string | null;
  auto_cutover: boolean;
  keep_source: boolean;
  source_removed: boolean;
  leftovers: { location: string; due: number; kept: boolean }[];
  driver: string | null;
  fence: { epoch: number; seq_no: number; at: number } | null;
  error: string | null;
}

export const migrationPath = (tenant: string, index: string): string => `/_osproxy/admin/migrations/${encodeURIComponent(tenant)}/${encodeURIComponent(index)}`;

export function diffText(d: MigrationView['diff']): string {
  if (d === null) return 'not diffed yet';
  const n = d.missing + d.stale + d.extra + (d.changed ?? 0);
  return n === 0 ? `clean (${d.source} = ${d.target})` : `${n} differ (missing ${d.missing}, stale ${d.stale}, extra ${d.extra}${d.changed === undefined ? '' : `, changed ${d.changed}`})`;
}

/** One line for people: where the migration is. */
export function statusLine(m: MigrationView): string {
  const copy = m.total > 0 ? `, ${m.copied}/${m.total} copied` : '';
  const error = m.error === null ? '' : `; last step failed (retried): ${m.error}`;
  return `${m.tenant}/${m.index}: ${m.from} → ${m.to}, ${m.state}, epoch ${m.epoch}${copy}, diff ${diffText(m.diff)}${error}`;
}

const POLL_MS = 500;

/**
 * Polls the migration `id` until `done` says so; shows progress meanwhile. A migration that ends
 * cancelled when that was not awaited is an error (exit 1).
 */
export async function follow(opts: AdminOptions, tenant: string, index: string, id: string, done: (m: MigrationView) => boolean): Promise<MigrationView> {
  const tty = process.stderr.isTTY === true && opts.json !== true;
  const bar = tty ? new SingleBar({ stream: process.stderr, format: ' {state} |{bar}| {value}/{total} docs | {rate} docs/s | ETA {eta_formatted} | diff {diff}', hideCursor: true }) : undefined;
  let started = false;
  let lastState = '';
  const t0 = Date.now();
  try {
    for (;;) {
      const { body: m } = await adminCall<MigrationView>(opts, 'GET', migrationPath(tenant, index));
      if (m.id !== id) throw new AdminCliError(`${tenant}/${index}: another migration (${m.id}) replaced this one`);
      const rate = Math.round(m.copied / Math.max(0.001, (Date.now() - t0) / 1000));
      const payload = { state: m.state, rate, diff: diffText(m.diff) };
      if (bar !== undefined) {
        if (!started) bar.start(Math.max(1, m.total), m.copied, payload);
        started = true;
        bar.setTotal(Math.max(1, m.total));
        bar.update(m.copied, payload);
      } else if (m.state !== lastState) process.stderr.write(`${statusLine(m)}\n`);
      lastState = m.state;
      if (done(m)) return m;
      if (m.state === 'cancelled') throw new AdminCliError(`${tenant}/${index}: the migration was cancelled; the index stays in ${m.from}`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    bar?.stop();
  }
}
