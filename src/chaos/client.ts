/**
 * The chaos clients' HTTP: one keep-alive pool per proxy instance, a request sent to a random live
 * instance, retried with exponential backoff on retryable answers (429, 503, 409 `stale_epoch`) and
 * on no answer (tried on another instance), up to a deadline.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool, type Dispatcher } from 'undici';
import type { Recorder } from './recorder.ts';

export interface Sent {
  /** The last attempt's status (0: no answer) and parsed body. */
  status: number;
  body: unknown;
  attempts: number;
  /** Attempts before the last that got no answer. */
  unanswered: number;
  start: number;
  end: number;
}

const TIMEOUT_MS = 4_000;
const RETRY_DEADLINE_MS = 15_000;

export function retryable(status: number, body: unknown): boolean {
  if (status === 429 || status === 503) return true;
  return status === 409 && JSON.stringify(body ?? '').includes('stale_epoch');
}

export class Instances {
  private readonly pools = new Map<string, Pool>();

  /** `urls()` is read on each request: a restarted instance's new address is used at once. */
  constructor(readonly urls: () => readonly string[]) {}

  pool(url: string): Pool {
    let p = this.pools.get(url);
    if (p === undefined) this.pools.set(url, (p = new Pool(url, { connections: 8, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS })));
    return p;
  }

  pick(): string {
    const all = this.urls();
    return all[Math.floor(Math.random() * all.length)];
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.destroy()));
  }
}

async function once(instances: Instances, method: Dispatcher.HttpMethod, path: string, body: string | undefined, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  try {
    const res = await instances.pool(instances.pick()).request({ method, path, body, headers });
    const text = await res.body.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
    } catch {
      // not JSON: kept as text
    }
    return { status: res.statusCode, body: parsed };
  } catch {
    return { status: 0, body: undefined };
  }
}

/** Sends until the answer is final (not retryable) or the deadline passes; every attempt is counted. */
export async function send(instances: Instances, rec: Recorder, method: Dispatcher.HttpMethod, path: string, payload: unknown, headers: Record<string, string>, retryNoAnswer = true): Promise<Sent> {
  const ndjson = Array.isArray(payload);
  const body = payload === undefined ? undefined : ndjson ? payload.map((l) => JSON.stringify(l)).join('\n') + '\n' : JSON.stringify(payload);
  const h = body === undefined ? headers : { ...headers, 'content-type': ndjson ? 'application/x-ndjson' : 'application/json' };
  const start = rec.now();
  let unanswered = 0;
  for (let attempt = 1; ; attempt++) {
    const res = await once(instances, method, path, body, h);
    rec.attempt(res.status);
    const again = res.status === 0 ? retryNoAnswer : retryable(res.status, res.body);
    if (!again || rec.now() - start > RETRY_DEADLINE_MS) return { ...res, attempts: attempt, unanswered, start, end: rec.now() };
    if (res.status === 0 || res.status >= 500) unanswered++; // it may still have taken effect
    await sleep(Math.min(500, 10 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random()));
  }
}
