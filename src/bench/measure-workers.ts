/**
 * Everything measured against one proxy configuration (a worker count): its idle footprint, every
 * concurrency level (direct, proxy, peer and floor sides in interleaved rounds, pool reuse around
 * the proxy's rounds), and the soak that follows.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { processTreeRssKib } from '../observe/process-rss.ts';
import { levelResult } from './analysis.ts';
import type { BenchOptions } from './bench-options.ts';
import type { BenchProxy } from './bench-proxy.ts';
import type { HeaderMap } from './http.ts';
import { runRounds, warmUpAll } from './measure-rounds.ts';
import { runLoad, sender, type LoadShape, type SideContext, type SideTarget } from './measure-side.ts';
import { poolDelta, readPoolCounters, type PoolCounters } from './pool-stats.ts';
import type { Footprint, LevelResult, Side, SideResult } from './profile.ts';
import type { BenchProgress } from './progress.ts';
import type { SamplesCsv } from './samples-csv.ts';
import type { Workload } from './workloads.ts';

/** Before a reading right after load (the working set): what a short pause leaves. */
const BRIEF_SETTLE_MS = 1_000;

/** A hop the bench talks to besides osproxy: its pool, and its process when the bench started it. */
export interface HopPool {
  pool: Pool;
  pid?: number;
}

export interface WorkersContext {
  opts: BenchOptions;
  workload: Workload;
  direct: Pool;
  peer?: HopPool;
  floor?: HopPool;
  /** The upstream's process when the bench started it (the engine). */
  upstreamPid?: number;
  progress: BenchProgress;
  samples: SamplesCsv;
  signal: AbortSignal;
}

function mib(kib: number | undefined): number | null {
  return kib === undefined ? null : kib / 1024;
}

/** RSS of the proxy and its workers after `settleMs` without a request; null for a proxy we did not start. */
export async function settledRssMib(proxy: BenchProxy, settleMs: number): Promise<number | null> {
  return proxy.process === undefined ? null : settledTreeRssMib(proxy.process.pid, settleMs);
}

/** RSS of a process and its descendants after the same settle (the floor's, beside the proxy's). */
export async function settledTreeRssMib(pid: number, settleMs: number): Promise<number | null> {
  await sleep(settleMs);
  return mib(processTreeRssKib(pid));
}

/** The bench's settle before an idle or after-soak reading, in ms. */
export function settleMs(opts: BenchOptions): number {
  return opts.settleSeconds * 1000;
}

function shapeAt(opts: BenchOptions, concurrency: number): LoadShape {
  return {
    concurrency,
    rate: opts.rate,
    budget: { durationMs: opts.durationSeconds === undefined ? undefined : opts.durationSeconds * 1000, requests: opts.requests },
    rounds: opts.rounds,
    warmupMs: opts.warmupSeconds * 1000,
  };
}

async function countersOf(pool: Pool, proxy: BenchProxy): Promise<PoolCounters | undefined> {
  return proxy.operatorToken === undefined ? undefined : readPoolCounters(pool, proxy.operatorToken);
}

/** The sides of one level, in no particular order (the rounds put them in theirs). */
function levelTargets(ctx: WorkersContext, proxyTarget: SideTarget): SideTarget[] {
  const physical = { headers: {}, build: ctx.workload.direct };
  const targets: SideTarget[] = [{ side: 'direct', pool: ctx.direct, ...physical }, proxyTarget];
  if (ctx.peer !== undefined) targets.push({ side: 'peer', pool: ctx.peer.pool, hopPid: ctx.peer.pid, ...physical });
  if (ctx.floor !== undefined) targets.push({ side: 'floor', pool: ctx.floor.pool, hopPid: ctx.floor.pid, ...physical });
  return targets;
}

function sideOf(sides: ReadonlyMap<Side, SideResult>, side: Side): SideResult {
  const r = sides.get(side);
  if (r === undefined) throw new Error(`side ${side} was not measured`);
  return r;
}

async function measureLevel(ctx: WorkersContext, proxyTarget: SideTarget, proxy: BenchProxy, workers: number, concurrency: number): Promise<LevelResult> {
  const shape = shapeAt(ctx.opts, concurrency);
  const label = { workload: ctx.opts.workload, mode: ctx.opts.rate === undefined ? ('closed' as const) : ('open' as const), workers, concurrency };
  const sideCtx: SideContext = { progress: ctx.progress, samples: ctx.samples, signal: ctx.signal, upstreamPid: ctx.upstreamPid, label };
  const targets = levelTargets(ctx, proxyTarget);
  await warmUpAll(targets, shape, sideCtx);
  // Reuse is diffed around the rounds only (the warm-up opens the connections a level needs); no
  // other side goes through the proxy, so the delta is the proxy's rounds. Counter reads stay
  // outside every round's CPU window.
  const before = await countersOf(proxyTarget.pool, proxy);
  const sides = await runRounds(targets, shape, sideCtx);
  const after = await countersOf(proxyTarget.pool, proxy);
  const proxied = sideOf(sides, 'proxy');
  const withPool = before === undefined || after === undefined ? proxied : { ...proxied, pool: poolDelta(before, after) };
  return levelResult(workers, concurrency, { direct: sideOf(sides, 'direct'), proxy: withPool, peer: sides.get('peer'), floor: sides.get('floor') });
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
  const target: SideTarget = { side: 'proxy', pool: proxyPool, headers: auth, build: ctx.workload.proxy, hopPid: proxy.process?.pid };
  const levels: LevelResult[] = [];
  for (const c of ctx.opts.concurrencies) levels.push(await measureLevel(ctx, target, proxy, workers, c));
  const beforeSoakRssMib = await settledRssMib(proxy, BRIEF_SETTLE_MS);
  await soak(ctx, target);
  const justAfterSoakRssMib = await settledRssMib(proxy, BRIEF_SETTLE_MS);
  const afterSoakRssMib = await settledRssMib(proxy, Math.max(0, settleMs(ctx.opts) - BRIEF_SETTLE_MS));
  const growthMib = idleRssMib === null || afterSoakRssMib === null ? null : afterSoakRssMib - idleRssMib;
  const footprint = { workers, settleSeconds: ctx.opts.settleSeconds, idleRssMib, beforeSoakRssMib, soakRequests: ctx.opts.soakRequests, justAfterSoakRssMib, afterSoakRssMib, growthMib };
  return { levels, footprint };
}
