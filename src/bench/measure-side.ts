/**
 * One side at one level, the building blocks: the hot-path sender, one load run (closed or open
 * loop), and the warm-up. The timed rounds that interleave the sides are in measure-rounds.ts.
 */
import type { Pool } from 'undici';
import { runClosedLoop } from './closed-loop.ts';
import type { HeaderMap } from './http.ts';
import { runOpenLoop } from './open-loop.ts';
import type { Side } from './profile.ts';
import type { BenchProgress } from './progress.ts';
import type { RunBudget, RunOutcome, SendRequest } from './run-recorder.ts';
import type { RunLabel, SamplesCsv } from './samples-csv.ts';
import type { BenchRequest } from './workloads.ts';

export interface SideTarget {
  side: Side;
  pool: Pool;
  headers: HeaderMap;
  build: (i: number) => BenchRequest;
  /** The hop's process (the tree is read for CPU): the proxy, nginx or the floor; none for direct or a process we did not start. */
  hopPid?: number;
}

export interface LoadShape {
  concurrency: number;
  /** Open loop when set: arrivals per second, `concurrency` bounding the requests in flight. */
  rate?: number;
  /** Per side for the whole level, split evenly into the rounds. */
  budget: RunBudget;
  rounds: number;
  warmupMs: number;
}

export interface SideContext {
  progress: BenchProgress;
  samples: SamplesCsv;
  label: Omit<RunLabel, 'side' | 'round'>;
  signal: AbortSignal;
  /** The upstream's process, when the bench started it: its CPU is read around every round. */
  upstreamPid?: number;
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

export function runName(t: SideTarget, shape: LoadShape, ctx: SideContext): string {
  return `${t.side} ×${ctx.label.workers} c=${shape.concurrency}${shape.rate === undefined ? '' : ` @${shape.rate}/s`}`;
}

/** The warm-up: `warmupMs` of the same load, not recorded. */
export async function warmUp(t: SideTarget, shape: LoadShape, ctx: SideContext): Promise<void> {
  if (shape.warmupMs <= 0) return;
  ctx.progress.run(`warm-up ${runName(t, shape, ctx)}`);
  await runLoad(sender(t), shape, { durationMs: shape.warmupMs }, ctx);
}
