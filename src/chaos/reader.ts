/**
 * A chaos reader: one session of one tenant reading at a set rate — gets, mgets and searches —
 * every operation recorded with each document its answer showed (id, value, the tenant it names).
 */
import { send, type Instances, type Sent } from './client.ts';
import type { OpKind, Observed } from './history.ts';
import { PacedClient } from './paced-client.ts';
import type { Recorder } from './recorder.ts';

interface Hit {
  _id: string;
  found?: boolean;
  _source?: { v?: unknown; tenant?: unknown };
}

export interface ReaderSpec {
  tenant: string;
  session: string;
  index: string;
  headers: Record<string, string>;
  keys: readonly string[];
  rate: number;
}

/** What one document of an answer shows (a get's or mget's `found: false` is a null value). */
export function observed(hit: Hit): Observed {
  const src = hit._source;
  if (hit.found === false || src === undefined) return { key: hit._id, value: null };
  return { key: hit._id, value: typeof src.v === 'string' ? src.v : String(src.v), tenant: typeof src.tenant === 'string' ? src.tenant : undefined };
}

export class Reader extends PacedClient {

  constructor(private readonly spec: ReaderSpec, private readonly instances: Instances, private readonly rec: Recorder) {
    super(spec.rate);
  }

  private key(): string {
    return this.spec.keys[Math.floor(Math.random() * this.spec.keys.length)];
  }

  protected async step(): Promise<void> {
    const r = Math.random();
    if (r < 0.4) await this.get();
    else if (r < 0.7) await this.mget();
    else await this.search();
  }

  private record(kind: OpKind, res: Sent, ok: boolean, reads: Observed[], realtime: boolean): void {
    const { tenant, session } = this.spec;
    this.rec.record({
      seq: this.rec.nextSeq(), session, tenant, kind, start: res.start, end: res.end, status: res.status, attempts: res.attempts, unansweredAttempts: res.unanswered,
      outcome: ok ? 'ok' : res.status === 0 || res.status >= 500 ? 'unknown' : 'failed', reads, realtime, error: ok ? undefined : `${res.status} ${JSON.stringify(res.body ?? '').slice(0, 160)}`,
    });
  }

  private async get(): Promise<void> {
    const res = await send(this.instances, this.rec, 'GET', `/${this.spec.index}/_doc/${this.key()}`, undefined, this.spec.headers);
    // A 404 is an answer: not found (the index may not exist yet either).
    const ok = res.status === 200 || res.status === 404;
    const body = res.body as Hit | undefined;
    const reads = res.status === 200 && body !== undefined ? [observed(body)] : [];
    this.record('get', res, ok, reads, true);
  }

  private async mget(): Promise<void> {
    const ids = [...new Set([this.key(), this.key(), this.key()])];
    const res = await send(this.instances, this.rec, 'POST', `/${this.spec.index}/_mget`, { ids }, this.spec.headers);
    const docs = res.status === 200 ? ((res.body as { docs?: (Hit & { error?: unknown })[] }).docs ?? []) : [];
    this.record('mget', res, res.status === 200 || res.status === 404, docs.filter((d) => d.error === undefined).map(observed), true);
  }

  private async search(): Promise<void> {
    const query = Math.random() < 0.5 ? { match_all: {} } : { term: { tag: `g${Math.floor(Math.random() * 5)}` } };
    const res = await send(this.instances, this.rec, 'POST', `/${this.spec.index}/_search`, { query, size: 50 }, this.spec.headers);
    const hits = res.status === 200 ? ((res.body as { hits?: { hits?: Hit[] } }).hits?.hits ?? []) : [];
    this.record('search', res, res.status === 200 || res.status === 404, hits.map(observed), false);
  }
}
