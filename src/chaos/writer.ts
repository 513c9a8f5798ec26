/**
 * A chaos writer: one session of one tenant writing at a set rate — single documents, `_bulk`,
 * upserting updates and deletes — every operation recorded with each document it asked to write.
 */
import { send, type Instances, type Sent } from './client.ts';
import { valueOf, type OpKind, type Outcome, type WriteEffect } from './history.ts';
import { PacedClient } from './paced-client.ts';
import type { Recorder } from './recorder.ts';

interface BulkItem {
  status: number;
  error?: { type?: string };
}

/** What an answer says of a write: 2xx yes; a delete's 404 yes (it is gone); other 4xx no; else unknown. */
export function writeOutcome(status: number, isDelete: boolean): Outcome {
  if ((status >= 200 && status < 300) || (isDelete && status === 404)) return 'ok';
  if (status >= 400 && status < 500 && status !== 408) return 'failed';
  return 'unknown';
}

export interface WriterSpec {
  tenant: string;
  session: string;
  index: string;
  headers: Record<string, string>;
  shared: readonly string[];
  own: readonly string[];
  rate: number;
}

export class Writer extends PacedClient {
  private n = 0;

  constructor(private readonly spec: WriterSpec, private readonly instances: Instances, private readonly rec: Recorder, private readonly overlap: number) {
    super(spec.rate);
  }

  private key(): string {
    const { shared, own } = this.spec;
    const pool = shared.length > 0 && (own.length === 0 || Math.random() < this.overlap) ? shared : own;
    return pool[Math.floor(Math.random() * pool.length)];
  }

  private value(): string {
    return valueOf(this.spec.tenant, this.spec.session, ++this.n);
  }

  private doc(value: string): Record<string, string> {
    return { v: value, tenant: this.spec.tenant, tag: `g${this.n % 5}` };
  }

  protected async step(): Promise<void> {
    const r = Math.random();
    if (r < 0.35) await this.index();
    else if (r < 0.5) await this.update();
    else if (r < 0.6) await this.remove();
    else await this.bulk(5);
  }

  private record(kind: OpKind, res: Sent, writes: WriteEffect[], outcome: Outcome): void {
    const { tenant, session } = this.spec;
    const error = outcome === 'ok' ? undefined : `${res.status} ${JSON.stringify(res.body ?? '').slice(0, 160)}`;
    this.rec.record({ seq: this.rec.nextSeq(), session, tenant, kind, start: res.start, end: res.end, status: res.status, attempts: res.attempts, unansweredAttempts: res.unanswered, outcome, writes, error });
  }

  private async index(): Promise<void> {
    const key = this.key();
    const value = this.value();
    const res = await send(this.instances, this.rec, 'PUT', `/${this.spec.index}/_doc/${key}`, this.doc(value), this.spec.headers);
    const outcome = writeOutcome(res.status, false);
    this.record('index', res, [{ key, value, outcome }], outcome);
  }

  private async update(): Promise<void> {
    const key = this.key();
    const value = this.value();
    const res = await send(this.instances, this.rec, 'POST', `/${this.spec.index}/_update/${key}`, { doc: this.doc(value), doc_as_upsert: true }, this.spec.headers);
    const outcome = writeOutcome(res.status, false);
    this.record('update', res, [{ key, value, outcome }], outcome);
  }

  private async remove(): Promise<void> {
    const key = this.key();
    const res = await send(this.instances, this.rec, 'DELETE', `/${this.spec.index}/_doc/${key}`, undefined, this.spec.headers);
    const outcome = writeOutcome(res.status, true);
    this.record('delete', res, [{ key, value: null, outcome }], outcome);
  }

  /** `n` items on distinct keys (so one request's order within a key never matters). */
  private async bulk(n: number): Promise<void> {
    const keys = [...new Set(Array.from({ length: n }, () => this.key()))];
    const items = keys.map((key) => ({ key, value: Math.random() < 0.2 ? null : this.value() }));
    const lines = items.flatMap((it): Record<string, unknown>[] => (it.value === null ? [{ delete: { _index: this.spec.index, _id: it.key } }] : [{ index: { _index: this.spec.index, _id: it.key } }, this.doc(it.value)]));
    const res = await send(this.instances, this.rec, 'POST', '/_bulk', lines, this.spec.headers);
    const answers = res.status === 200 ? ((res.body as { items?: Record<string, BulkItem>[] }).items ?? []) : [];
    const writes = items.map((it, i): WriteEffect => {
      const answer = answers[i] === undefined ? undefined : Object.values(answers[i])[0];
      return { key: it.key, value: it.value, outcome: answer === undefined ? writeOutcome(res.status === 200 ? 0 : res.status, false) : writeOutcome(answer.status, it.value === null) };
    });
    this.record('bulk', res, writes, res.status === 200 ? 'ok' : writeOutcome(res.status, false));
  }
}
