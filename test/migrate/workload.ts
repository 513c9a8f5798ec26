/**
 * The workload of the live-migration tests: a writer (single documents, `_bulk`, updates, deletes,
 * retrying 409 `stale_epoch` and 429/503 with backoff) that keeps a model of every acknowledged
 * write, and readers (search, get, mget, scroll) against random instances that count every failure.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { call, type HttpResult } from '../helpers/http.ts';
import { ACME, type MigrationFleet } from './migration-fleet.ts';

type Body = Record<string, unknown> & { items?: Record<string, { status: number; error?: { type: string } }>[] };

const IDS = 200;
const RETRYABLE = new Set([409, 429, 503]);

/** What the writer knows for sure: every id's last acknowledged state. */
export class WriteModel {
  readonly docs = new Map<string, number | undefined>();
  /** Ids whose last write got an answer that says neither yes nor no (their value is not checked). */
  readonly uncertain = new Set<string>();
  /** Every answer each id's writes got, in order (what a failed check prints). */
  readonly history = new Map<string, string[]>();
  acknowledged = 0;
  retried = 0;
  /** The longest a write waited for a placement to accept it (ms): the cutover's pause, as the writer saw it. */
  longestPause = 0;
  /** What the longest pause was made of: each attempt's status and duration. */
  longestPauseAttempts = '';
}

/** Whether an answer is a refusal the writer retries (stale epoch, rate limit, fleet store stale). */
function retryable(res: HttpResult<Body>): boolean {
  return RETRYABLE.has(res.status) && (res.status !== 409 || JSON.stringify(res.body).includes('stale_epoch'));
}

export class Writer {
  readonly model = new WriteModel();
  private stopped = false;
  private counter = 0;
  private done: Promise<void> | undefined;

  constructor(private readonly fleet: MigrationFleet) {}

  start(): void {
    this.done = this.loop();
  }

  /** Waits until `n` more writes are acknowledged (the placement just reached is taking writes). */
  async progress(n: number, timeoutMs = 20_000): Promise<void> {
    const target = this.model.acknowledged + n;
    const deadline = Date.now() + timeoutMs;
    while (this.model.acknowledged < target) {
      assert.ok(Date.now() < deadline, `the writer acknowledged only ${this.model.acknowledged} of ${target} writes`);
      await sleep(20);
    }
  }

  async stop(): Promise<WriteModel> {
    this.stopped = true;
    await this.done;
    return this.model;
  }

  /** While on, the writer sends `_bulk` requests of many documents (a catch-up then always finds changes). */
  bursting = false;

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const r = Math.random();
      if (this.bursting) await this.bulk(100);
      else if (r < 0.5) await this.index(`k${Math.floor(Math.random() * IDS)}`);
      else if (r < 0.7) await this.update(`k${Math.floor(Math.random() * IDS)}`);
      else if (r < 0.8) await this.remove(`k${Math.floor(Math.random() * IDS)}`);
      else await this.bulk(5);
    }
  }

  /** Sends until the answer is not a retryable refusal; records how long that took. */
  private async send(method: string, path: string, body?: unknown): Promise<HttpResult<Body>> {
    const started = Date.now();
    const attempts: string[] = [];
    for (let attempt = 0; ; attempt++) {
      const sent = Date.now();
      const res = await call<Body>(this.fleet.any(), method, path, body, { headers: ACME, ndjson: Array.isArray(body) }).catch(() => undefined);
      attempts.push(`${res?.status ?? 'error'}:${Date.now() - sent}ms${attempts.length === 0 && res !== undefined && res.status >= 300 ? ` ${res.text.slice(0, 300)}` : ''}`);
      if (res !== undefined && !retryable(res)) {
        if (Date.now() - started > this.model.longestPause) {
          this.model.longestPause = Date.now() - started;
          this.model.longestPauseAttempts = `${method} ${path} ${attempts.join(' ')}`;
        }
        return res;
      }
      if (res !== undefined) this.model.retried++;
      assert.ok(attempt < 400, `a write was refused for too long: ${method} ${path} ${res?.status} ${res?.text.slice(0, 200)}`);
      await sleep(Math.min(200, 10 * 2 ** Math.min(attempt, 4)));
    }
  }

  private settle(id: string, res: HttpResult<Body>, ok: boolean, value: number | undefined): void {
    const h = this.model.history.get(id) ?? [];
    h.push(`${value ?? 'delete'}:${res.status}${ok ? '' : '!'}@${Date.now() % 100_000}`);
    this.model.history.set(id, h.slice(-12));
    if (ok) {
      this.model.docs.set(id, value);
      this.model.uncertain.delete(id);
      this.model.acknowledged++;
    } else if (res.status >= 500) this.model.uncertain.add(id);
  }

  private async index(id: string): Promise<void> {
    const v = ++this.counter;
    const res = await this.send('PUT', `/orders/_doc/${id}`, { v, tag: `t${v % 7}` });
    this.settle(id, res, res.status === 200 || res.status === 201, v);
  }

  private async update(id: string): Promise<void> {
    const v = ++this.counter;
    const res = await this.send('POST', `/orders/_update/${id}`, { doc: { v } });
    if (res.status === 404) {
      this.model.history.get(id)?.push(`update ${v}:404@${Date.now() % 100_000}`);
      return; // not there: nothing changed
    }
    this.settle(id, res, res.status === 200, v);
  }

  private async remove(id: string): Promise<void> {
    const res = await this.send('DELETE', `/orders/_doc/${id}`);
    this.settle(id, res, res.status === 200 || res.status === 404, undefined);
  }

  /** `n` items; an item refused as retryable is written again on its own. */
  private async bulk(n: number): Promise<void> {
    const ops = Array.from({ length: n }, () => ({ id: `k${Math.floor(Math.random() * IDS)}`, v: ++this.counter, del: Math.random() < 0.2 }));
    // One item per id: the model then knows the order of what one request did.
    const unique = [...new Map(ops.map((o) => [o.id, o])).values()];
    const lines = unique.flatMap((o): Record<string, unknown>[] => (o.del ? [{ delete: { _index: 'orders', _id: o.id } }] : [{ index: { _index: 'orders', _id: o.id } }, { v: o.v, tag: `t${o.v % 7}` }]));
    const res = await this.send('POST', '/_bulk', lines);
    if (res.status !== 200) return unique.forEach((o) => this.model.uncertain.add(o.id));
    const again: (() => Promise<void>)[] = [];
    (res.body.items ?? []).forEach((entry, i) => {
      const o = unique[i];
      const item = Object.values(entry)[0];
      if (item.status === 409 && item.error?.type === 'stale_epoch_exception') {
        this.model.retried++;
        again.push(() => (o.del ? this.remove(o.id) : this.rewrite(o.id, o.v)));
        return;
      }
      this.settle(o.id, res, o.del ? item.status === 200 || item.status === 404 : item.status < 300, o.del ? undefined : o.v);
      if (item.status >= 400 && !(o.del && item.status === 404)) this.model.uncertain.add(o.id);
    });
    for (const retry of again) await retry();
  }

  private async rewrite(id: string, v: number): Promise<void> {
    const res = await this.send('PUT', `/orders/_doc/${id}`, { v, tag: `t${v % 7}` });
    this.settle(id, res, res.status === 200 || res.status === 201, v);
  }
}

/** Readers: every failed read is counted (a 404 of a single document is an answer, not a failure). */
export class Readers {
  readonly failures: string[] = [];
  reads = 0;
  private stopped = false;
  private loops: Promise<void>[] = [];

  constructor(private readonly fleet: MigrationFleet, private readonly headers: Record<string, string> = ACME) {}

  start(n = 2): void {
    for (let i = 0; i < n; i++) this.loops.push(this.loop());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  private fail(what: string, res: HttpResult | undefined): void {
    this.failures.push(`${what}: ${res?.status ?? 'no answer'} ${res?.text.slice(0, 200) ?? ''}`);
  }

  /**
   * One read; a dropped connection (an instance killed under it) is tried on each other instance,
   * as a client behind a load balancer does. Any answer, good or bad, is the read's result.
   */
  private async read<T = Body>(method: string, path: string, body?: unknown): Promise<HttpResult<T> | undefined> {
    // Each attempt on a different instance (a random pick could land on the killed one thrice).
    for (const url of this.fleet.shuffled()) {
      const res = await call<T>(url, method, path, body, { headers: this.headers }).catch(() => undefined);
      if (res !== undefined) return res;
    }
    return undefined;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const r = Math.random();
      const get = (method: string, path: string, body?: unknown) => this.read(method, path, body);
      this.reads++;
      if (r < 0.4) {
        const res = await get('POST', '/orders/_search', { query: { match_all: {} }, size: 20 });
        if (res?.status !== 200) this.fail('search', res);
      } else if (r < 0.7) {
        const res = await get('GET', `/orders/_doc/k${Math.floor(Math.random() * IDS)}`);
        if (res?.status !== 200 && res?.status !== 404) this.fail('get', res);
      } else if (r < 0.85) {
        const res = await get('POST', '/_mget', { docs: [{ _index: 'orders', _id: 'k1' }, { _index: 'orders', _id: 'k2' }] });
        if (res?.status !== 200) this.fail('mget', res);
      } else await this.scroll();
    }
  }

  /** A whole scroll, slowly (its pages may straddle a cutover): every page must answer; cleared at the end. */
  private async scroll(): Promise<void> {
    type Page = { _scroll_id?: string; hits?: { hits: unknown[] } };
    let res = await this.read<Page>('POST', '/orders/_search?scroll=5s', { size: 25 });
    let id: string | undefined;
    for (let page = 0; page < 20; page++) {
      if (res?.status !== 200) return this.fail('scroll', res);
      id = res.body._scroll_id ?? id;
      if ((res.body.hits?.hits.length ?? 0) === 0 || id === undefined) break;
      await sleep(50);
      res = await this.read<Page>('POST', '/_search/scroll', { scroll: '5s', scroll_id: id });
    }
    if (id !== undefined) await call(this.fleet.any(), 'DELETE', '/_search/scroll', { scroll_id: [id] }, { headers: this.headers }).catch(() => undefined);
  }
}

/** Every acknowledged write is there exactly once with its last value; no acknowledged delete came back. */
export async function checkModel(fleet: MigrationFleet, model: WriteModel): Promise<void> {
  await call(fleet.any(), 'POST', '/orders/_refresh', undefined, { headers: ACME });
  const all = await call<{ hits: { total: { value: number }; hits: { _id: string; _source: { v: number } }[] } }>(fleet.any(), 'POST', '/orders/_search', { size: 1_000, query: { match_all: {} } }, { headers: ACME });
  assert.equal(all.status, 200, all.text);
  const seen = new Map<string, number>();
  for (const h of all.body.hits.hits) {
    assert.ok(!seen.has(h._id), `document ${h._id} is there twice`);
    seen.set(h._id, h._source.v);
  }
  for (const [id, value] of model.docs) {
    if (model.uncertain.has(id)) continue;
    if (value === undefined) assert.ok(!seen.has(id), `deleted document ${id} came back (its writes: ${model.history.get(id)?.join(' ')})`);
    else if (seen.get(id) !== value) assert.fail(`document ${id} should hold its last acknowledged value ${value}, holds ${seen.get(id)} (its writes: ${model.history.get(id)?.join(' ')}; where it is: ${await fleet.whereIs(id)})`);
  }
}
