/** A chaos client's loop: one operation at a time at a set rate (no burst to catch up after a slow one), until stopped. */
import { setTimeout as sleep } from 'node:timers/promises';

export abstract class PacedClient {
  private stopped = false;
  private done: Promise<void> = Promise.resolve();

  constructor(private readonly rate: number) {}

  start(): void {
    this.done = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  /** One operation (recorded by the subclass). */
  protected abstract step(): Promise<void>;

  private async loop(): Promise<void> {
    if (this.rate <= 0) return; // a rate of 0: this client sends nothing
    const gap = 1000 / this.rate;
    let next = Date.now();
    while (!this.stopped) {
      await this.step();
      next = Math.max(next + gap, Date.now() - gap);
      const wait = next - Date.now();
      if (wait > 0 && !this.stopped) await sleep(wait);
    }
  }
}
