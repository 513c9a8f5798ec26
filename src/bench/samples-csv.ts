/**
 * `samples.csv`: one row per measured request, fixed columns, appended run by run:
 * workload,mode,workers,concurrency,side,round,seq,intended_ms,latency_ms,status
 * (`round` 1-based, `seq` and `intended_ms` from the start of that round; status 0 = no HTTP response).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Samples } from './run-recorder.ts';
import type { Side } from './profile.ts';

export const SAMPLE_COLUMNS = ['workload', 'mode', 'workers', 'concurrency', 'side', 'round', 'seq', 'intended_ms', 'latency_ms', 'status'] as const;

export interface RunLabel {
  workload: string;
  mode: 'closed' | 'open';
  workers: number;
  concurrency: number;
  side: Side;
  round: number;
}

export class SamplesCsv {
  private readonly out: WriteStream;

  constructor(file: string) {
    this.out = createWriteStream(file);
    this.out.write(`${SAMPLE_COLUMNS.join(',')}\n`);
  }

  /** Appends one run's samples; resolves once the chunk is buffered below the stream's high-water mark. */
  async append(label: RunLabel, samples: Samples): Promise<void> {
    const prefix = `${label.workload},${label.mode},${label.workers},${label.concurrency},${label.side},${label.round},`;
    const rows: string[] = [];
    for (let k = 0; k < samples.latencyMs.length; k++) {
      rows.push(`${prefix}${k},${samples.intendedMs[k].toFixed(3)},${samples.latencyMs[k].toFixed(3)},${samples.status[k]}\n`);
      if (rows.length === 4096) await this.write(rows.splice(0).join(''));
    }
    if (rows.length > 0) await this.write(rows.join(''));
  }

  async close(): Promise<void> {
    this.out.end();
    await once(this.out, 'close');
  }

  private async write(chunk: string): Promise<void> {
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }
}
