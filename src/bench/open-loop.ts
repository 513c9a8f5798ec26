/**
 * Open loop: requests are due at a fixed arrival rate whether or not earlier ones have answered;
 * latency runs from each request's *intended* send time, so a stalled server shows up as queueing
 * delay instead of silently slowing the load (no coordinated omission). `maxInflight` bounds the
 * connections; requests due while every slot is busy wait, and their wait counts.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { checkBudget, RunRecorder, statusOf, type RunBudget, type RunOutcome, type SendRequest } from './run-recorder.ts';

export interface OpenLoopOptions {
  /** Arrivals per second. */
  rate: number;
  maxInflight: number;
  budget: RunBudget;
  send: SendRequest;
  signal?: AbortSignal;
  onDone?: () => void;
}

/** A counting semaphore: `acquire` resolves when a slot is free. */
class Slots {
  private free: number;
  private readonly waiters: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  acquire(): Promise<void> | undefined {
    if (this.free > 0) {
      this.free--;
      return undefined;
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next === undefined) this.free++;
    else next();
  }
}

function totalRequests(opts: OpenLoopOptions): number {
  const byDuration = opts.budget.durationMs === undefined ? Number.POSITIVE_INFINITY : Math.max(1, Math.floor((opts.rate * opts.budget.durationMs) / 1000));
  return Math.min(opts.budget.requests ?? Number.POSITIVE_INFINITY, byDuration);
}

export async function runOpenLoop(opts: OpenLoopOptions): Promise<RunOutcome> {
  checkBudget(opts.budget);
  if (!(opts.rate > 0)) throw new Error('an open-loop run needs a positive rate');
  const recorder = new RunRecorder(opts.onDone);
  const slots = new Slots(opts.maxInflight);
  const total = totalRequests(opts);
  const interval = 1000 / opts.rate;
  const started = performance.now();
  const inflight = new Set<Promise<void>>();
  const fire = async (i: number, intended: number): Promise<void> => {
    await slots.acquire();
    const status = await statusOf(opts.send, i);
    slots.release();
    recorder.record(intended - started, performance.now() - intended, status);
  };
  for (let i = 0; i < total && opts.signal?.aborted !== true; i++) {
    const intended = started + i * interval;
    const wait = intended - performance.now();
    if (wait >= 1) await sleep(wait);
    const p = fire(i, intended);
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  }
  await Promise.all(inflight);
  return { recorder, seconds: (performance.now() - started) / 1000 };
}
