/**
 * Fixtures for the isolation suite (SPEC §4.4 closing property): tenant A (`acme`) owns documents
 * with distinctive values; tenant B (`globex`) acts and must never observe any of them.
 */
import assert from 'node:assert/strict';
import { call, type HttpResult } from '../helpers/http.ts';
import { startStack, type Stack, type StackOptions } from '../helpers/stack.ts';

export type Body = Record<string, unknown> & {
  error?: { type: string; reason: string; root_cause?: unknown[] };
  status?: number;
  osproxy?: { code: string };
  hits?: { total: { value: number }; hits: Hit[] };
  aggregations?: Record<string, unknown>;
  docs?: Record<string, unknown>[];
  items?: Record<string, Record<string, unknown>>[];
  count?: number;
};
export type Hit = Record<string, unknown> & { _index: string; _id: string; _source?: Record<string, unknown> };
export type Res = HttpResult<Body>;

export const A = 'acme';
export const B = 'globex';

/** A's documents: every value is distinctive, so any trace of it in B's responses is a leak. */
export const A_ORDERS = {
  'a-secret-1': { tag: 'acmetag', n: 7, body: 'zanzibar-acme rocket anvil' },
  'a-secret-2': { tag: 'acmetag', n: 9, body: 'zanzibar-acme second anvil' },
};
export const A_ONLY = { 'a-only-1': { tag: 'onlytag', n: 1, body: 'zanzibar-acme only' } };
export const B_ORDERS = {
  'g-1': { tag: 'globtag', n: 3, body: 'hello rocket' },
  'g-2': { tag: 'globtag', n: 5, body: 'plain words' },
};
export const B_IDS = Object.keys(B_ORDERS).sort();

/** Strings that must never reach B unless B itself sent them: A's values, ids, index and tenant names, physical names. */
export const FORBIDDEN = ['zanzibar', 'anvil', 'a-secret', 'a-only', 'acmetag', 'onlytag', 'acme', 'osproxy-shared', 'globex:', 't-globex-', 't-acme-'];

export interface Tenants {
  stack: Stack;
  as(tenant: string, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Res>;
}

export async function startTenants(opts: StackOptions = {}): Promise<Tenants> {
  const stack = await startStack(opts);
  const as = (tenant: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    call<Body>(stack.url, method, path, body, { headers: { ...stack.auth[tenant], ...headers }, ndjson: Array.isArray(body) });
  return { stack, as };
}

function bulkLines(index: string, docs: Record<string, Record<string, unknown>>): unknown[] {
  return Object.entries(docs).flatMap(([id, doc]) => [{ index: { _index: index, _id: id } }, doc]);
}

/** A's `orders` and `acme-only` (plus `big` when asked), B's `orders`; refreshed. */
export async function seed(t: Tenants, opts: { bigForA?: boolean } = {}): Promise<void> {
  const aLines = [...bulkLines('orders', A_ORDERS), ...bulkLines('acme-only', A_ONLY)];
  if (opts.bigForA) aLines.push({ index: { _index: 'big', _id: 'a-big-1' } }, { tag: 'acmetag', n: 11, body: 'zanzibar-acme big' });
  const a = await t.as(A, 'POST', '/_bulk?refresh=true', aLines);
  assert.equal(a.status, 200);
  assert.equal(a.body.errors, false, a.text);
  const b = await t.as(B, 'POST', '/_bulk?refresh=true', bulkLines('orders', B_ORDERS));
  assert.equal(b.status, 200);
  assert.equal(b.body.errors, false, b.text);
}

/** Nothing of A (nor any physical name) in the response text; `echoes` are strings B itself sent. */
export function assertNoLeak(res: Res, echoes: string[] = []): void {
  let text = res.text;
  for (const e of [...echoes].sort((x, y) => y.length - x.length)) text = text.split(e).join('');
  for (const f of FORBIDDEN) assert.ok(!text.includes(f), `response (${res.status}) contains [${f}]: ${res.text.slice(0, 400)}`);
}

/** A 4xx in OpenSearch's error shape (+ osproxy's block) with no leak. */
export function assertCleanError(res: Res, echoes: string[] = [], status?: number): void {
  assert.ok(res.status >= 400 && res.status < 500, `expected a 4xx, got ${res.status}: ${res.text.slice(0, 300)}`);
  if (status !== undefined) assert.equal(res.status, status, res.text);
  assert.equal(typeof res.body.error?.type, 'string', res.text);
  assert.equal(typeof res.body.error?.reason, 'string', res.text);
  assert.equal(res.body.status, res.status);
  assert.equal(typeof res.body.osproxy?.code, 'string', res.text);
  assertNoLeak(res, echoes);
}

/** Either a scoped 200 (checked by `scoped`) or a clean 4xx: the two answers §4.4 allows. */
export function assertScopedOrRefused(res: Res, scoped: (res: Res) => void, echoes: string[] = []): void {
  if (res.status === 200) {
    assertNoLeak(res, echoes);
    scoped(res);
  } else assertCleanError(res, echoes);
}

export function hitIds(res: Res): string[] {
  assert.equal(res.status, 200, res.text);
  return (res.body.hits?.hits ?? []).map((h) => h._id).sort();
}

export function total(res: Res): number {
  assert.equal(res.status, 200, res.text);
  return res.body.hits?.total.value ?? -1;
}

/** Hits are B's own (logical names, no reserved fields) and exactly `ids`. */
export function assertOwnHits(res: Res, ids: string[] = B_IDS, indexName = 'orders'): void {
  assertNoLeak(res);
  assert.deepEqual(hitIds(res), [...ids].sort());
  assert.equal(total(res), ids.length);
  for (const h of res.body.hits?.hits ?? []) {
    assert.equal(h._index, indexName);
    assertNoReserved(h);
  }
}

export function assertNoReserved(value: unknown): void {
  const text = JSON.stringify(value);
  assert.ok(!/"_tenant|"_lindex|"_routing/.test(text), `reserved or routing field exposed: ${text.slice(0, 300)}`);
}
