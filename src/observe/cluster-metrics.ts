import cluster, { type Worker } from 'node:cluster';
import { aggregatorRegistry, type Registry } from '../core/prom-parts.ts';
import { unavailable as unavailableError, type OsproxyError } from '../http/errors.ts';
import type { ProxyMetrics } from './metrics.ts';

/*
 * Metrics of a multi-worker proxy (`osproxy serve --workers N`). Every worker keeps its own
 * registry; a scrape lands on one worker only, so that worker asks the primary, which collects
 * every started worker's registry (as JSON) and merges them with prom-client's cluster
 * aggregation (AggregatorRegistry.aggregate: sums, unless a metric declares another aggregator).
 *
 * Why not AggregatorRegistry#clusterMetrics: it asks every connected worker, and a worker still
 * booting (a replacement loads for seconds) has no listener yet, so each scrape meanwhile would
 * time out. Here the primary asks only the workers that reported listening.
 */

const REQUEST = 'osproxy:metrics-request';
const REPLY = 'osproxy:metrics-reply';
const COLLECT = 'osproxy:metrics-collect';
const COLLECTED = 'osproxy:metrics-collected';
/** The primary's bound on one collection; the asking worker waits a little longer. */
const COLLECT_TIMEOUT_MS = 4_000;

type RegistryJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

interface Message {
  type: string;
  id: number;
}

interface MetricsReply extends Message {
  text?: string;
  error?: string;
}

interface Collected extends Message {
  metrics?: RegistryJson;
  error?: string;
}

function isMessage(m: unknown, type: string): m is Message {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as { type?: unknown; id?: unknown };
  return r.type === type && typeof r.id === 'number';
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function send(worker: Worker, message: Message): void {
  // A worker that died meanwhile needs no answer: ignore the send error.
  if (worker.isConnected()) worker.send(message, () => {});
}

/** Primary side: answers each worker's request with the aggregate of the `started` workers. */
export function answerMetricsRequests(started: () => Worker[]): void {
  const collections = new Map<number, (from: Worker, c: Collected) => void>();
  let next = 0;
  cluster.on('message', (from: Worker, m: unknown) => {
    if (isMessage(m, COLLECTED)) collections.get(m.id)?.(from, m as Collected);
    if (!isMessage(m, REQUEST)) return;
    const id = next++;
    gather(id, started(), collections).then(
      (text) => send(from, { type: REPLY, id: m.id, text } as MetricsReply),
      (e: unknown) => send(from, { type: REPLY, id: m.id, error: messageOf(e) } as MetricsReply),
    );
  });
}

/** Asks each worker for its registry and merges the answers (all of them, or an error). */
function gather(id: number, workers: Worker[], collections: Map<number, (from: Worker, c: Collected) => void>): Promise<string> {
  return new Promise<RegistryJson[]>((resolve, reject) => {
    const answers = new Map<Worker, RegistryJson>();
    const done = (e?: Error): void => {
      clearTimeout(timer);
      collections.delete(id);
      if (e) reject(e);
      else resolve([...answers.values()]);
    };
    const timer = setTimeout(() => done(new Error(`${workers.length - answers.size} worker(s) did not answer in ${COLLECT_TIMEOUT_MS} ms`)), COLLECT_TIMEOUT_MS);
    collections.set(id, (from, c) => {
      if (c.metrics === undefined) return done(new Error(c.error ?? 'a worker failed to collect'));
      answers.set(from, c.metrics);
      if (answers.size === workers.length) done();
    });
    if (workers.length === 0) return done(new Error('no worker is running'));
    for (const w of workers) send(w, { type: COLLECT, id });
  }).then((all) => aggregatorRegistry().aggregate(all).metrics());
}

function unavailable(detail: string): OsproxyError {
  return unavailableError('metrics_unavailable', `the workers' metrics could not be collected: ${detail}`);
}

/**
 * Worker side: answers the primary's collections from this worker's registry, and makes
 * `/_osproxy/metrics` answer with every worker's metrics, via the primary.
 */
export function useClusterMetrics(metrics: ProxyMetrics, timeoutMs = COLLECT_TIMEOUT_MS + 2_000): void {
  const pending = new Map<number, (r: MetricsReply) => void>();
  process.on('message', (m: unknown) => {
    if (isMessage(m, REPLY)) pending.get(m.id)?.(m as MetricsReply);
    if (isMessage(m, COLLECT)) {
      metrics.registry.getMetricsAsJSON().then(
        (json) => process.send?.({ type: COLLECTED, id: m.id, metrics: json } as Collected, () => {}),
        (e: unknown) => process.send?.({ type: COLLECTED, id: m.id, error: messageOf(e) } as Collected, () => {}),
      );
    }
  });
  let next = 0;
  metrics.useSource(
    () =>
      new Promise<string>((resolve, reject) => {
        const id = next++;
        const settle = (r: MetricsReply): void => {
          clearTimeout(timer);
          pending.delete(id);
          if (r.text !== undefined) resolve(r.text);
          else reject(unavailable(r.error ?? 'no answer'));
        };
        const timer = setTimeout(() => settle({ type: REPLY, id, error: `the primary did not answer in ${timeoutMs} ms` }), timeoutMs);
        pending.set(id, settle);
        if (process.send === undefined) return settle({ type: REPLY, id, error: 'no IPC channel to the primary' });
        process.send({ type: REQUEST, id }, (err: Error | null) => {
          if (err) settle({ type: REPLY, id, error: err.message });
        });
      }),
  );
}
