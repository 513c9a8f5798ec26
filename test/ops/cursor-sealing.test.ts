import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { hashToken } from '../../src/auth/index.ts';
import { parseConfig } from '../../src/config/load.ts';
import { startProxy, type RunningProxy } from '../../src/server/proxy-server.ts';
import { unsealCursor } from '../../src/tenancy/cursor-seal.ts';
import { call, type HttpResult } from '../helpers/http.ts';
import { startStack, type Stack } from '../helpers/stack.ts';

/*
 * Sealed cursor ids (SPEC §4.3) are encrypted, not merely signed: nothing in them can be read,
 * altered or replayed by another tenant, and a rotated key keeps open cursors working.
 */

type Res = HttpResult<Record<string, unknown>>;
const KEY_1 = randomBytes(32);
const KEY_2 = randomBytes(48);

const errorType = (res: Res): string => ((res.body.error ?? {}) as { type?: string }).type ?? '';

/** Every way a reader might decode the id: as it is, base64url/base64 in latin1 and utf-8, and hex. */
function readings(id: string): string[] {
  const out = [id, id.toLowerCase()];
  for (const bytes of [Buffer.from(id, 'base64url'), Buffer.from(id, 'base64')]) {
    out.push(bytes.toString('latin1'), bytes.toString('utf8'), bytes.toString('hex'));
    // Byte by byte: any run of printable bytes, lowercased.
    out.push([...bytes].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '\n')).join('').toLowerCase());
  }
  return out;
}

function assertRevealsNothing(id: string, secrets: string[]): void {
  for (const reading of readings(id)) {
    for (const secret of secrets) assert.ok(!reading.includes(secret.toLowerCase()), `the cursor id reveals [${secret}]`);
  }
}

/** Replaces the character at `i` by another base64url character. */
function tamperAt(id: string, i: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const other = alphabet[(alphabet.indexOf(id[i]) + 1 + (i % 63)) % 64];
  return id.slice(0, i) + other + id.slice(i + 1);
}

async function proxyOn(engineUrl: string, tenancy: Record<string, unknown>): Promise<RunningProxy> {
  const config = parseConfig({
    listeners: [{ host: '127.0.0.1', port: 0 }],
    clusters: { default: { url: engineUrl } },
    tenants: Object.fromEntries(['acme', 'globex'].map((t) => [t, { principals: [{ name: t, token_sha256: hashToken(`${t}-token`) }] }])),
    tenancy,
  });
  return startProxy(config, { log: pino({ level: 'silent' }) });
}

describe('sealed cursor ids reveal nothing and survive key rotation (AES-256-GCM)', () => {
  let stack: Stack;
  const as = (who: string, method: string, path: string, body?: unknown, url = stack.url): Promise<Res> =>
    call(url, method, path, body, { headers: stack.auth[who] });
  const openScroll = async (url = stack.url): Promise<string> => {
    const res = await as('acme', 'POST', '/orders/_search?scroll=1m', { size: 2, sort: [{ n: 'asc' }] }, url);
    assert.equal(res.status, 200, res.text);
    return res.body._scroll_id as string;
  };

  before(async () => {
    stack = await startStack({
      tenantExtra: { acme: { indices: { orders: { kind: 'index' } } } },
      extra: { tenancy: { cursor_key_b64: KEY_1.toString('base64') } },
    });
    const lines: unknown[] = [];
    for (let i = 0; i < 6; i++) lines.push({ index: { _index: 'orders', _id: `o-${i}` } }, { n: i });
    assert.equal((await call(stack.url, 'POST', '/_bulk?refresh=true', lines, { ndjson: true, headers: stack.auth.acme })).status, 200);
    assert.equal((await call(stack.url, 'POST', '/_bulk?refresh=true', lines, { ndjson: true, headers: stack.auth.globex })).status, 200);
  });
  after(() => stack.close());

  it('no tenant, index, cluster or upstream id can be read from a scroll or PIT id, in any encoding', async () => {
    const scrollId = await openScroll();
    const pit = await as('acme', 'POST', '/orders/_search/point_in_time?keep_alive=1m');
    assert.equal(pit.status, 200, pit.text);
    for (const [id, kind] of [[scrollId, 'scroll'], [pit.body.pit_id as string, 'pit']] as const) {
      assert.match(id, /^[A-Za-z0-9_-]+$/);
      const payload = unsealCursor({ current: KEY_1, previous: [] }, id)?.payload;
      assert.ok(payload !== undefined && payload.k === kind && payload.t === 'acme', 'the proxy itself can open it');
      // The upstream id and its own decoding (the engine's ids are base64 text too).
      const upstream = [payload.id, Buffer.from(payload.id, 'base64url').toString('latin1')];
      assertRevealsNothing(id, ['acme', 'orders', 't-acme-orders', 'default', ...payload.p, ...upstream]);
    }
  });

  it('an id with any one character changed is a 404, exactly like an expired cursor', async () => {
    const id = await openScroll();
    const expired = await as('acme', 'POST', '/_search/scroll', { scroll: '1m', scroll_id: 'DnF1ZXJ5VGhlbkZldGNo' });
    assert.equal(expired.status, 404);
    const shape = (res: Res): unknown => ({ status: res.status, type: errorType(res), reason: (res.body.error as { reason: string }).reason });
    for (let i = 0; i < id.length; i++) {
      const res = await as('acme', 'POST', '/_search/scroll', { scroll: '1m', scroll_id: tamperAt(id, i) });
      assert.deepEqual(shape(res), shape(expired), `character ${i} changed`);
    }
    for (const altered of [id.slice(0, -1), id + 'A', id.slice(1)]) {
      assert.deepEqual(shape(await as('acme', 'POST', '/_search/scroll', { scroll: '1m', scroll_id: altered })), shape(expired));
    }
    const intact = await as('acme', 'POST', '/_search/scroll', { scroll: '1m', scroll_id: id });
    assert.equal(intact.status, 200, intact.text);
  });

  it('another tenant presenting the id gets the same 404 and the owner keeps scrolling', async () => {
    const id = await openScroll();
    const foreign = await as('globex', 'POST', '/_search/scroll', { scroll: '1m', scroll_id: id });
    assert.equal(foreign.status, 404, foreign.text);
    assert.equal(errorType(foreign), 'search_context_missing_exception');
    assert.ok(!foreign.text.includes('acme') && !foreign.text.includes('orders'), foreign.text);
    const owner = await as('acme', 'POST', '/_search/scroll', { scroll: '1m', scroll_id: id });
    assert.equal(owner.status, 200, owner.text);
    assert.deepEqual((owner.body.hits as { hits: { _id: string }[] }).hits.map((h) => h._id), ['o-2', 'o-3']);
  });

  it('after rotation, ids sealed with the previous key still work; without it they are gone', async () => {
    const oldId = await openScroll();
    const rotated = await proxyOn(stack.engine.url, { cursor_key_b64: KEY_2.toString('base64'), cursor_previous_keys_b64: [KEY_1.toString('base64')] });
    const forgotten = await proxyOn(stack.engine.url, { cursor_key_b64: KEY_2.toString('base64') });
    try {
      const res = await as('acme', 'POST', '/_search/scroll', { scroll: '1m', scroll_id: oldId }, rotated.urls[0]);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual((res.body.hits as { hits: { _id: string }[] }).hits.map((h) => h._id), ['o-2', 'o-3']);
      // The next page's id is sealed with the new key only (the old key's grace period ends).
      const next = res.body._scroll_id as string;
      assert.equal(unsealCursor({ current: KEY_1, previous: [] }, next), undefined);
      assert.equal(unsealCursor({ current: KEY_2, previous: [] }, next)?.previousKey, false);
      const page3 = await as('acme', 'POST', '/_search/scroll', { scroll: '1m', scroll_id: next }, forgotten.urls[0]);
      assert.deepEqual((page3.body.hits as { hits: { _id: string }[] }).hits.map((h) => h._id), ['o-4', 'o-5']);
      assert.equal(page3.body._scroll_id, next, 'a continuation under the current key keeps its id, like OpenSearch');
      const gone = await as('acme', 'POST', '/_search/scroll', { scroll: '1m', scroll_id: oldId }, forgotten.urls[0]);
      assert.equal(gone.status, 404, gone.text);
      assert.equal(errorType(gone), 'search_context_missing_exception');
      const foreign = await as('globex', 'POST', '/_search/scroll', { scroll: '1m', scroll_id: next }, rotated.urls[0]);
      assert.equal(foreign.status, 404, foreign.text);
    } finally {
      await rotated.close(1_000);
      await forgotten.close(1_000);
    }
  });
});

describe('cursor key rotation is validated at load', () => {
  const base = { clusters: { default: { url: 'http://127.0.0.1:9' } } };
  it('each previous key must be base64 of at least 32 bytes, named by its position', () => {
    assert.throws(
      () => parseConfig({ ...base, tenancy: { cursor_key_b64: KEY_1.toString('base64'), cursor_previous_keys_b64: [KEY_2.toString('base64'), 'short'] } }),
      /tenancy\.cursor_previous_keys_b64\.1: must be base64 of at least 32/,
    );
    const ok = parseConfig({ ...base, tenancy: { cursor_key_b64: KEY_1.toString('base64'), cursor_previous_keys_b64: [KEY_2.toString('base64')] } });
    assert.deepEqual(ok.tenancy.cursor_previous_keys_b64, [KEY_2.toString('base64')]);
  });
});
