/**
 * A bounded-window executor (SPEC §4.6): at most `size` tasks run at once; a task that throws only
 * fails its own result. `submit` waits for a free slot before starting the task, which is how a
 * producer (e.g. the streaming `_bulk` reader) gets backpressure.
 */

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export class TaskWindow {
  private running = 0;
  private readonly waiters: (() => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`window size must be a positive integer, got ${size}`);
  }

  get active(): number {
    return this.running;
  }

  /** Waits for a free slot, starts the task, and resolves (once started) with its settled result. */
  async submit<T>(task: () => Promise<T>): Promise<{ result: Promise<Settled<T>> }> {
    while (this.running >= this.size) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.running++;
    const result = settle(task).finally(() => {
      this.running--;
      this.waiters.shift()?.();
      if (this.running === 0) for (const w of this.idleWaiters.splice(0)) w();
    });
    return { result };
  }

  /** Resolves once nothing runs. */
  idle(): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}

async function settle<T>(task: () => Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await task() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Runs the tasks at most `window` at once; results by original position, failures isolated. */
export async function runWindowed<T>(tasks: Iterable<() => Promise<T>> | AsyncIterable<() => Promise<T>>, window: number): Promise<Settled<T>[]> {
  const win = new TaskWindow(window);
  const results: Settled<T>[] = [];
  const pending: Promise<void>[] = [];
  let i = 0;
  for await (const task of tasks) {
    const pos = i++;
    const { result } = await win.submit(task);
    pending.push(result.then((r) => void (results[pos] = r)));
  }
  await Promise.all(pending);
  return results;
}
