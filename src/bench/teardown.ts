/**
 * Last-in-first-out cleanup for benchmark runs: each started resource registers its stopper, and
 * `run` stops them all once — from `finally`, or from a SIGINT/SIGTERM handler.
 */
export type Stopper = () => Promise<void> | void;

export class Teardown {
  private readonly stoppers: Stopper[] = [];
  private running: Promise<void> | undefined;
  private readonly aborter = new AbortController();

  /** Aborted as soon as teardown starts, so load loops stop before their pools close. */
  get signal(): AbortSignal {
    return this.aborter.signal;
  }

  add(stop: Stopper): void {
    this.stoppers.push(stop);
  }

  /** Runs every stopper in reverse order (errors reported, not thrown); later calls share the first run. */
  run(): Promise<void> {
    this.aborter.abort();
    this.running ??= this.runAll();
    return this.running;
  }

  /** On SIGINT/SIGTERM: tear down, then exit 130. */
  onSignals(): void {
    const handler = (): void => {
      console.error('\ninterrupted: stopping engine and proxy');
      void this.run().finally(() => process.exit(130));
    };
    process.once('SIGINT', handler);
    process.once('SIGTERM', handler);
  }

  private async runAll(): Promise<void> {
    for (const stop of this.stoppers.splice(0).reverse()) {
      try {
        await stop();
      } catch (e) {
        console.error('teardown:', e);
      }
    }
  }
}
