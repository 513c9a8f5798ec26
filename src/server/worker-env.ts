/** How a `serve --workers N` worker knows it is one (without loading the primary's code). */
import cluster from 'node:cluster';

/** Marks the processes forked by runPrimary (workers.ts), so that only they take the worker role. */
export const WORKER_ENV = 'OSPROXY_CLUSTER_WORKER';

/** True in a process forked by runPrimary: it must run worker.ts's runWorker. */
export function isProxyWorker(): boolean {
  return cluster.isWorker && process.env[WORKER_ENV] === '1';
}
