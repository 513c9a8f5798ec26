/**
 * One side at one level: an optional warm-up, then the timed run (closed or open loop) with its
 * samples appended to `samples.csv`, summarised as a `SideResult`.
 */
import type { Pool } from 'undici';
import { runClosedLoop } from './closed-loop.ts';
import type { HeaderMap } from './http.ts';
import { runOpenLoop } from './open-loop.ts';
import type { Side, SideResult } from './profile.ts';
import type { BenchProgress } from './progress.ts';
import type { RunBudget, RunOutcome, SendRequest } from './run-recorder.ts';
import type { RunLabel, SamplesCsv } from './samples-csv.ts';
import type { BenchRequest } from './workloads.ts';

export interface SideTarget {
  side: Side;
  pool: Pool;
  headers: HeaderMap;
  build: (i: number) => BenchRequest;
}

export interface LoadShape {
  concurrency: number;
  /** Open loop when set: arrivals per second, `concurrency` bounding the requests in flight. */
  rate?: number;
  budget: RunBudget;
  warmupMs: number;
}

export interface SideContext {
  progress: BenchProgress;
  samples: SamplesCsv;
  label: Omit<RunLabel, 'side'>;
  signal: AbortSignal;
}

/** Builds the hot-path sender: one request, body discarded, status returned. */
export function sender(t: SideTarget): SendRequest {
  const withBody = { ...t.headers, 'content-type': 'application/json' };
  const ndjson = { ...t.headers, 'content-type': 'application/x-ndjson' };
  return async (i) => {
    const r = t.build(i);
    const headers = r.body === undefined ? t.headers : r.contentType === undefined ? withBody : ndjson;
    const res = await t.pool.request({ method: r.method, path: r.path, body: r.body, headers });
    await res.body.dump();
    return res.statusCode;
  };
}

export function runLoad(send: SendRequest, shape: LoadShape, budget: RunBudget, ctx: Pick<SideContext, 'progress' | 'signal'>): Promise<RunOutcome> {
  const common = { budget, send, signal: ctx.signal, onDone: () => ctx.progress.tick() };
  if (shape.rate === undefined) return runClosedLoop({ ...common, concurrency: shape.concurrency });
  return runOpenLoop({ ...common, rate: shape.rate, maxInflight: shape.concurrency });
}

export function sideResult(side: Side, outcome: RunOutcome): SideResult {
  const { recorder, seconds } = outcome;
  return { side, requests: recorder.requests, errors: recorder.errors, seconds, throughput: recorder.requests / seconds, latency: recorder.histogram.summary() };
}

function runName(t: SideTarget, shape: LoadShape, ctx: SideContext): string {
  return `${t.side} ×${ctx.label.workers} c=${shape.concurrency}${shape.rate === undefined ? '' : ` @${shape.rate}/s`}`;
}

/** The warm-up: `warmupMs` of the same load, not recorded. */
export async function warmUp(t: SideTarget, shape: LoadShape, ctx: SideContext): Promise<void> {
  if (shape.warmupMs <= 0) return;
  ctx.progress.run(`warm-up ${runName(t, shape, ctx)}`);
  await runLoad(sender(t), shape, { durationMs: shape.warmupMs }, ctx);
}

/** The measured run, appended to samples.csv; throws if it was interrupted. */
export async function timedRun(t: SideTarget, shape: LoadShape, ctx: SideContext): Promise<SideResult> {
  ctx.progress.run(runName(t, shape, ctx));
  const outcome = await runLoad(sender(t), shape, shape.budget, ctx);
  ctx.signal.throwIfAborted();
  await ctx.samples.append({ ...ctx.label, side: t.side }, outcome.recorder.samples);
  return sideResult(t.side, outcome);
}

export async function measureSide(t: SideTarget, shape: LoadShape, ctx: SideContext): Promise<SideResult> {
  await warmUp(t, shape, ctx);
  return timedRun(t, shape, ctx);
}
