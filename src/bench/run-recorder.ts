/**
 * What one timed run collects: every latency in an HDR histogram, the error count, and (for
 * `samples.csv`) each request's intended send offset, latency and status in compact arrays.
 */
import { LatencyHistogram } from './latency-histogram.ts';

/** Sends request number `i` and resolves with its HTTP status; a throw is a failed request. */
export type SendRequest = (i: number) => Promise<number>;

/** Status recorded for a request that failed without an HTTP response. */
export const NO_RESPONSE = 0;

export interface RunBudget {
  durationMs?: number;
  requests?: number;
}

export interface Samples {
  /** Intended send time of each request, ms from the start of the run. */
  intendedMs: number[];
  latencyMs: number[];
  status: number[];
}

export class RunRecorder {
  readonly histogram = new LatencyHistogram();
  readonly samples: Samples = { intendedMs: [], latencyMs: [], status: [] };
  errors = 0;

  constructor(private readonly onDone?: () => void) {}

  record(intendedMs: number, latencyMs: number, status: number): void {
    this.histogram.record(latencyMs);
    if (status === NO_RESPONSE || status >= 300) this.errors++;
    this.samples.intendedMs.push(intendedMs);
    this.samples.latencyMs.push(latencyMs);
    this.samples.status.push(status);
    this.onDone?.();
  }

  get requests(): number {
    return this.histogram.count;
  }
}

export interface RunOutcome {
  recorder: RunRecorder;
  seconds: number;
}

/** Sends one request and resolves with its status, NO_RESPONSE when it failed without one. */
export async function statusOf(send: SendRequest, i: number): Promise<number> {
  try {
    return await send(i);
  } catch {
    return NO_RESPONSE;
  }
}

export function checkBudget(budget: RunBudget): void {
  if (budget.durationMs === undefined && budget.requests === undefined) throw new Error('a run needs a duration or a request count');
}
