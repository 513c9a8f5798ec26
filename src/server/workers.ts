import cluster, { type Worker } from 'node:cluster';
import { answerMetricsRequests } from '../observe/cluster-metrics.ts';
import { answerPeerQueries } from '../observe/worker-queries.ts';
import { relayControlChanges } from './control-sync.ts';
import { WORKER_ENV } from './worker-env.ts';

export { isProxyWorker } from './worker-env.ts';

/*
 * `osproxy serve --workers N`: one primary process forks N workers (node:cluster), each running
 * the proxy exactly as single-process mode does. The workers share the listening sockets (the
 * primary owns them and hands connections out). The primary serves no requests itself: it
 * announces the address once every worker listens, replaces workers that die, aggregates
 * metrics, relays logical-index registry changes, and drains everything on SIGTERM/SIGINT.
 * This module is the primary's (and never imports the proxy); a worker runs worker.ts.
 */

/** How long the workers get to drain (proxy.close waits up to 10 s) before they are killed. */
const STOP_GRACE_MS = 15_000;
/** More unexpected worker deaths than this within the window: the primary gives up. */
const MAX_RESTARTS = 10;
const RESTART_WINDOW_MS = 60_000;

export const LISTENING = 'osproxy:worker-listening';

export interface ListeningMessage {
  type: typeof LISTENING;
  urls: string[];
}

function isListening(m: unknown): m is ListeningMessage {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as { type?: unknown; urls?: unknown };
  return r.type === LISTENING && Array.isArray(r.urls) && r.urls.every((u) => typeof u === 'string');
}


/** The primary: forks `workers` workers and supervises them until a signal; see the file comment. */
export function runPrimary(workers: number): void {
  new Primary(workers).start();
}

class Primary {
  private readonly exits = new Map<Worker, Promise<void>>();
  /** Worker → the URLs it listens on (a worker counts as started once it is here). */
  private readonly listening = new Map<Worker, string[]>();
  /** Worker stdout held back until the address line is out (it must be the first line). */
  private held: Buffer[] | undefined = [];
  private relayTo: NodeJS.WritableStream = process.stdout;
  private restarts: number[] = [];
  private stopping = false;

  constructor(private readonly size: number) {}

  start(): void {
    // Workers' stdout (their pino logs) is piped through the primary so that nothing precedes
    // the address line (see relay); stderr goes straight to ours.
    cluster.setupPrimary({ stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    answerMetricsRequests(() => [...this.listening.keys()]);
    answerPeerQueries(() => [...this.listening.keys()]);
    relayControlChanges();
    cluster.on('message', (w: Worker, m: unknown) => this.onMessage(w, m));
    cluster.on('exit', (w: Worker, code: number | null, signal: string | null) => this.onExit(w, code, signal));
    // SIGHUP re-reads the configuration in every worker (each applies its live parts itself); only
    // listening workers have their handler installed: a booting one reads the file anyway.
    process.on('SIGHUP', () => {
      for (const w of this.listening.keys()) w.process.kill('SIGHUP');
    });
    process.on('SIGTERM', () => this.stop(0));
    process.on('SIGINT', () => this.stop(0));
    for (let i = 0; i < this.size; i++) this.fork();
  }

  private fork(): void {
    const w = cluster.fork({ [WORKER_ENV]: '1' });
    // 'close' comes once the worker's stdout is drained too; the timer covers a pipe held open by a grandchild.
    const gone = new Promise<void>((resolve) => {
      w.process.once('close', () => resolve());
      w.process.once('exit', () => setTimeout(resolve, 1_000).unref());
    });
    this.exits.set(w, gone);
    w.process.stdout?.on('data', (chunk: Buffer) => this.relay(chunk));
  }

  private relay(chunk: Buffer): void {
    if (this.held === undefined) this.relayTo.write(chunk);
    else this.held.push(chunk);
  }

  /** Stops holding worker output back: what was held, and all that follows, goes to `to`. */
  private release(to: NodeJS.WritableStream): void {
    const held = this.held ?? [];
    this.held = undefined;
    this.relayTo = to;
    for (const chunk of held) to.write(chunk);
  }

  private onMessage(w: Worker, m: unknown): void {
    if (!isListening(m)) return;
    this.listening.set(w, m.urls);
    if (this.held !== undefined && this.listening.size === this.size) this.announce();
  }

  /** The one address line, once every worker listens; then the held worker output. */
  private announce(): void {
    const all = [...this.listening.values()];
    const urls = all[0];
    if (all.some((u) => u.join(' ') !== urls.join(' '))) console.error(`osproxy: workers listen on different addresses: ${JSON.stringify(all)}`);
    process.stdout.write(JSON.stringify({ osproxy: urls }) + '\n');
    this.release(process.stdout);
  }

  private onExit(w: Worker, code: number | null, signal: string | null): void {
    this.exits.delete(w);
    const started = this.listening.delete(w);
    if (this.stopping) return;
    const how = signal ?? `code ${code}`;
    // A worker that cannot even start (port in use, bad certificate, ...) will not do better when forked again.
    // It said why on stderr; its exit status 2 (cannot start) is the primary's too.
    if (!started) return this.fail(`osproxy: worker ${w.process.pid} exited (${how}) before it was listening; stopping`, code === 2 ? 2 : 1);
    const now = Date.now();
    this.restarts = [...this.restarts.filter((t) => now - t < RESTART_WINDOW_MS), now];
    if (this.restarts.length > MAX_RESTARTS) return this.fail(`osproxy: ${this.restarts.length} workers died within ${RESTART_WINDOW_MS / 1000}s; stopping`);
    console.error(`osproxy: worker ${w.process.pid} died (${how}); starting a replacement`);
    this.fork();
  }

  private fail(reason: string, exitCode = 1): void {
    // Without an address line stdout stays empty; what the workers printed may explain the failure.
    if (this.held !== undefined) this.release(process.stderr);
    console.error(reason);
    this.stop(exitCode);
  }

  /** Drains every worker (bounded, then SIGKILL) and exits; a second signal exits at once. */
  private stop(exitCode: number): void {
    if (this.stopping) {
      for (const w of this.exits.keys()) w.process.kill('SIGKILL');
      process.exit(1);
    }
    this.stopping = true;
    // A signal rather than an IPC message: a worker still booting has no handler yet and simply exits.
    for (const w of this.exits.keys()) w.process.kill('SIGTERM');
    const all = Promise.all(this.exits.values());
    const timer = setTimeout(() => {
      for (const w of this.exits.keys()) w.process.kill('SIGKILL');
    }, STOP_GRACE_MS);
    all.then(() => {
      clearTimeout(timer);
      process.exit(exitCode);
    });
  }
}
