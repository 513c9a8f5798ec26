/** CPU starvation for the `cpu` scenario: worker threads that spin, each reporting the busy time it burned. */
import { Worker } from 'node:worker_threads';

const SPIN = `
const { parentPort } = require('node:worker_threads');
let stop = false;
parentPort.on('message', () => { stop = true; });
const started = Date.now();
function slice() {
  const until = Date.now() + 50;
  while (Date.now() < until) {}
  if (stop) parentPort.postMessage(Date.now() - started);
  else setImmediate(slice);
}
slice();
`;

export class CpuStress {
  private readonly workers: Worker[] = [];

  start(threads: number): void {
    for (let i = 0; i < threads; i++) this.workers.push(new Worker(SPIN, { eval: true }));
  }

  /** Stops every thread; resolves with the busy milliseconds they burned together. */
  async stop(): Promise<number> {
    const burned = await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<number>((resolve) => {
            w.once('message', (ms: number) => resolve(ms));
            w.postMessage('stop');
          }),
      ),
    );
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
    return burned.reduce((a, b) => a + b, 0);
  }
}
