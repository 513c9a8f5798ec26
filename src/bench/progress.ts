/**
 * Progress on the terminal: a cli-progress bar over the planned runs when stderr is a terminal,
 * otherwise one plain line per run (logs and CI output stay readable).
 */
import { SingleBar } from 'cli-progress';

export interface BenchProgress {
  /** A new run starts (a warm-up or a measured side). */
  run(label: string): void;
  /** One request completed. */
  tick(): void;
  /** A message between runs (setup, footprint, files). */
  note(message: string): void;
  stop(): void;
}

const TICK_EVERY = 128;

class BarProgress implements BenchProgress {
  private readonly bar = new SingleBar({
    format: '{bar} {value}/{total} runs | {label} | {requests} req',
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: false,
  });
  private runs = 0;
  private requests = 0;
  private label = 'starting';

  constructor(totalRuns: number) {
    this.bar.start(totalRuns, 0, { label: this.label, requests: 0 });
  }

  run(label: string): void {
    this.bar.update(this.runs++, { label, requests: (this.requests = 0) });
    this.label = label;
  }

  tick(): void {
    if (++this.requests % TICK_EVERY === 0) this.bar.update({ requests: this.requests });
  }

  note(message: string): void {
    this.bar.update({ label: message });
  }

  stop(): void {
    this.bar.update(this.runs, { label: 'done', requests: this.requests });
    this.bar.stop();
  }
}

class LineProgress implements BenchProgress {
  constructor(private readonly prefix: string) {}

  run(label: string): void {
    process.stderr.write(`${this.prefix}: ${label}\n`);
  }

  tick(): void {}

  note(message: string): void {
    process.stderr.write(`${this.prefix}: ${message}\n`);
  }

  stop(): void {}
}

/** `prefix`: the command the plain lines name (`bench: …`, `chaos: …`). */
export function createProgress(enabled: boolean, totalRuns: number, prefix = 'bench'): BenchProgress {
  return enabled && process.stderr.isTTY ? new BarProgress(totalRuns) : new LineProgress(prefix);
}
