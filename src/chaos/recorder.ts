/** Collects the history as clients run, and the per-kind latency and retry counts for the results. */
import { LatencyHistogram } from '../bench/latency-histogram.ts';
import { OP_KINDS, type OpKind, type OpRecord } from './history.ts';

export interface KindStats {
  latency: LatencyHistogram;
  ops: number;
  failed: number;
  unknown: number;
}

export class Recorder {
  readonly ops: OpRecord[] = [];
  readonly t0 = Date.now();
  readonly kinds = new Map<OpKind, KindStats>(OP_KINDS.map((k) => [k, { latency: new LatencyHistogram(), ops: 0, failed: 0, unknown: 0 }]));
  /** Attempts beyond the first, summed. */
  retries = 0;
  /** Operations that needed a retry, and of those the ones that ended acknowledged. */
  retriedOps = 0;
  retriedOk = 0;
  /** Answers by HTTP status (0: no answer), over every attempt. */
  readonly statuses = new Map<number, number>();
  private seq = 0;
  onOp: () => void = () => undefined;

  now(): number {
    return Date.now() - this.t0;
  }

  nextSeq(): number {
    return ++this.seq;
  }

  attempt(status: number): void {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }

  record(op: OpRecord): void {
    this.ops.push(op);
    const k = this.kinds.get(op.kind) as KindStats;
    k.ops++;
    if (op.outcome === 'failed') k.failed++;
    if (op.outcome === 'unknown') k.unknown++;
    k.latency.record(op.end - op.start);
    if (op.attempts > 1) {
      this.retries += op.attempts - 1;
      this.retriedOps++;
      if (op.outcome === 'ok') this.retriedOk++;
    }
    this.onOp();
  }
}
