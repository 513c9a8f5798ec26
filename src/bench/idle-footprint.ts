/**
 * Idle RSS, read from processes started for it alone — a proxy per worker count and a floor
 * forwarder — each left `--settle` seconds without a request, all at once. Not from the processes
 * then measured under load: a long idle changes what load costs afterwards. Once V8's memory
 * reducer has run in an idle process it grows the heap slowly, and a later run of large bulks
 * spends several times as much in GC (measured: 1,000-document bulks at 0.62× direct after a 15 s
 * idle, 0.86× without; the same for the floor). The timed rounds measure a freshly started proxy,
 * as before.
 */
import type { BenchOptions } from './bench-options.ts';
import { startBenchProxy, type BenchLaunch } from './bench-proxy.ts';
import { startFloorProcess } from './floor-process.ts';
import { settledTreeRssMib, settleMs } from './measure-workers.ts';
import type { Teardown } from './teardown.ts';

export interface IdleFootprint {
  /** Per worker count; null for a proxy the bench did not start (`--proxy`). */
  proxyMib: ReadonlyMap<number, number | null>;
  floorMib: number | null;
}

export async function idleFootprint(opts: BenchOptions, upstream: string, { entry, tokens }: BenchLaunch, teardown: Teardown): Promise<IdleFootprint> {
  const [floor, ...proxies] = await Promise.all([
    startFloorProcess(upstream, teardown),
    ...(entry === undefined ? [] : opts.workers.map((workers) => startBenchProxy({ upstream, workers, entry, tokens }, teardown))),
  ]);
  const wait = settleMs(opts);
  const [floorMib, ...proxyMibs] = await Promise.all([floor.pid, ...proxies.map((p) => p.process?.pid)].map((pid) => (pid === undefined ? null : settledTreeRssMib(pid, wait))));
  await Promise.all([floor.stop(), ...proxies.map((p) => p.process?.stop())]);
  return { proxyMib: new Map(opts.workers.map((w, k) => [w, proxyMibs[k] ?? null])), floorMib };
}
