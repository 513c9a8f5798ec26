/**
 * Everything measured against one proxy configuration (a worker count): its idle footprint, every
 * concurrency level (direct, proxy and peer sides, pool reuse around the proxy's timed run), and
 * the soak that follows.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { processTreeRssKib } from '../observe/process-rss.ts';
import { overhead } from './analysis.ts';
import type { BenchOptions } from './bench-options.ts';
import type { BenchProxy } from './bench-proxy.ts';
import type { HeaderMap } from './http.ts';
import { measureSide, runLoad, sender, timedRun, warmUp, type LoadShape, type SideContext, type SideTarget } from './measure-side.ts';
import { poolDelta, readPoolCounters, type PoolCounters } from './pool-stats.ts';
import type { Footprint, LevelResult, SideResult } from './profile.ts';
import type { BenchProgress } from './progress.ts';
import type { SamplesCsv } from './samples-csv.ts';
import type { Workload } from './workloads.ts';

const SETTLE_MS = 1_000;

export interface WorkersContext {
  opts: BenchOptions;
  workload: Workload;
  direct: Pool;
  peer?: Pool;
  progress: BenchProgress;
  samples: SamplesCsv;
  signal: AbortSignal;
}

function mib(kib: number | undefined): number | null {
  return kib === undefined ? null : kib / 1024;
}

/** RSS of the proxy and its workers after a short settle; null for a proxy we did not start. */
export async function settledRssMib(proxy: BenchProxy): Promise<number | null> {
  if (proxy.process === undefined) return null;
  await sleep(SETTLE_MS);
  return mib(processTreeRssKib(proxy.process.pid));
}

function shapeAt(opts: BenchOptions, concurrency: number): LoadShape {
  return {
    concurrency,
    rate: opts.rate,
    budget: { durationMs: opts.durationSeconds === undefined ? undefined : opts.durationSeconds * 1000, requests: opts.requests },
    warmupMs: opts.warmupSeconds * 1000,
  };
}

async function countersOf(pool: Pool, proxy: BenchProxy): Promise<PoolCounters | undefined> {
  return proxy.operatorToken === undefined ? undefined : readPoolCounters(pool, proxy.operatorToken);
}

async function measureProxySide(t: SideTarget, shape: LoadShape, ctx: SideContext, proxy: BenchProxy): Promise<SideResult> {
  // Reuse is diffed around the timed run only: the warm-up opens the connections a level needs.
  await warmUp(t, shape, ctx);
  const before = await countersOf(t.pool, proxy);
  const result = await timedRun(t, shape, ctx);
  const after = await countersOf(t.pool, proxy);
  return before === undefined || after === undefined ? result : { ...result, pool: poolDelta(before, after) };
}

async function measureLevel(ctx: WorkersContext, proxyTarget: SideTarget, proxy: BenchProxy, workers: number, concurrency: number): Promise<LevelResult> {
  const shape = shapeAt(ctx.opts, concurrency);
  const sideCtx: SideContext = { progress: ctx.progress, samples: ctx.samples, signal: ctx.signal, label: { workload: ctx.opts.workload, mode: ctx.opts.rate === undefined ? 'closed' : 'open', workers, concurrency } };
  const directTarget: SideTarget = { side: 'direct', pool: ctx.direct, headers: {}, build: ctx.workload.direct };
  const direct = await measureSide(directTarget, shape, sideCtx);
  const proxied = await measureProxySide(proxyTarget, shape, sideCtx, proxy);
  const level: LevelResult = { workers, concurrency, direct, proxy: proxied, overhead: overhead(proxied, direct) };
  if (ctx.peer === undefined) return level;
  const peer = await measureSide({ side: 'peer', pool: ctx.peer, headers: {}, build: ctx.workload.direct }, shape, sideCtx);
  return { ...level, peer, peerOverhead: overhead(peer, direct) };
}

/** Closed loop of `soakRequests` through the proxy at the profile concurrency, samples discarded. */
async function soak(ctx: WorkersContext, target: SideTarget): Promise<void> {
  if (ctx.opts.soakRequests === 0) return;
  ctx.progress.run(`soak ${ctx.opts.soakRequests} requests through the proxy`);
  const shape = { ...shapeAt(ctx.opts, ctx.opts.profileConcurrency), rate: undefined };
  await runLoad(sender(target), shape, { requests: ctx.opts.soakRequests }, ctx);
  ctx.signal.throwIfAborted();
}

export interface WorkersResult {
  levels: LevelResult[];
  footprint: Footprint;
}

/** Measures every level against `proxy` (already started and idle-measured) then soaks it. */
export async function measureWorkers(ctx: WorkersContext, proxy: BenchProxy, proxyPool: Pool, workers: number, idleRssMib: number | null): Promise<WorkersResult> {
  const auth: HeaderMap = { authorization: `Bearer ${proxy.token}` };
  const target: SideTarget = { side: 'proxy', pool: proxyPool, headers: auth, build: ctx.workload.proxy };
  const levels: LevelResult[] = [];
  for (const c of ctx.opts.concurrencies) levels.push(await measureLevel(ctx, target, proxy, workers, c));
  const beforeSoakRssMib = await settledRssMib(proxy);
  await soak(ctx, target);
  const afterSoakRssMib = await settledRssMib(proxy);
  const growthMib = idleRssMib === null || afterSoakRssMib === null ? null : afterSoakRssMib - idleRssMib;
  return { levels, footprint: { workers, idleRssMib, beforeSoakRssMib, soakRequests: ctx.opts.soakRequests, afterSoakRssMib, growthMib } };
}
