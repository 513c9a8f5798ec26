/**
 * Closed loop: `concurrency` workers each send a request, wait for its answer and send the next,
 * until the duration has passed or the request budget is spent. Latency from the actual send.
 */
import { checkBudget, RunRecorder, statusOf, type RunBudget, type RunOutcome, type SendRequest } from './run-recorder.ts';

export interface ClosedLoopOptions {
  concurrency: number;
  budget: RunBudget;
  send: SendRequest;
  /** Stops the workers early (teardown on SIGINT); the caller decides whether a partial run counts. */
  signal?: AbortSignal;
  /** Called once per completed request (progress bars). */
  onDone?: () => void;
}

export async function runClosedLoop(opts: ClosedLoopOptions): Promise<RunOutcome> {
  checkBudget(opts.budget);
  const recorder = new RunRecorder(opts.onDone);
  const started = performance.now();
  const deadline = started + (opts.budget.durationMs ?? Number.POSITIVE_INFINITY);
  const limit = opts.budget.requests ?? Number.POSITIVE_INFINITY;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < limit && performance.now() < deadline && opts.signal?.aborted !== true) {
      const i = next++;
      const sent = performance.now();
      const status = await statusOf(opts.send, i);
      recorder.record(sent - started, performance.now() - sent, status);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return { recorder, seconds: (performance.now() - started) / 1000 };
}
