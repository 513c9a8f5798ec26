/**
 * A closed-loop load generator: `concurrency` workers each send one request, wait for its answer,
 * and send the next, until the deadline. Latency per request from `performance.now()`.
 */

/** Sends request number `i` and resolves with its HTTP status (a throw counts as an error). */
export type SendRequest = (i: number) => Promise<number>;

export interface LoopResult {
  requests: number;
  errors: number;
  seconds: number;
  /** Latencies in milliseconds, ascending. */
  sortedMs: number[];
}

export interface LoopOptions {
  concurrency: number;
  durationMs: number;
  send: SendRequest;
  /** Stops the workers early (e.g. on SIGINT); the caller decides whether an aborted run counts. */
  signal?: AbortSignal;
}

async function timedSend(send: SendRequest, i: number): Promise<{ ms: number; ok: boolean }> {
  const t0 = performance.now();
  let ok: boolean;
  try {
    ok = (await send(i)) < 300;
  } catch {
    ok = false;
  }
  return { ms: performance.now() - t0, ok };
}

export async function runClosedLoop(opts: LoopOptions): Promise<LoopResult> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + opts.durationMs;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline && opts.signal?.aborted !== true) {
      const { ms, ok } = await timedSend(opts.send, next++);
      latencies.push(ms);
      if (!ok) errors++;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { requests: latencies.length, errors, seconds, sortedMs: latencies.sort((a, b) => a - b) };
}
