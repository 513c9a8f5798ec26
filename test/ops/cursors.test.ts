import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { call, type HttpResult } from '../helpers/http.ts';
import { startStack, type Stack } from '../helpers/stack.ts';

interface Hit { _index: string; _id: string; _source: Record<string, unknown> }
interface Page { _scroll_id?: string; pit_id?: string; hits: { hits: Hit[] } }
type Res = HttpResult<Record<string, unknown>>;

function page(res: Res): Page {
  assert.equal(res.status, 200, res.text);
  return res.body as unknown as Page;
}

function errorType(res: Res): string {
  return ((res.body.error ?? {}) as { type?: string }).type ?? '';
}

function assertMapped(p: Page, index: string, prefix: string): void {
  for (const h of p.hits.hits) {
    assert.equal(h._index, index);
    assert.ok(h._id.startsWith(prefix) && !h._id.includes(':'), h._id);
    assert.equal(h._source._tenant, undefined);
    assert.equal(h._source._lindex, undefined);
  }
}

/** Flips one character of the MAC part. */
function tamper(id: string): string {
  const i = id.length - 3;
  return id.slice(0, i) + (id[i] === 'A' ? 'B' : 'A') + id.slice(i + 1);
}

describe('scroll and PIT cursors through the proxy (shared placement)', () => {
  let stack: Stack;
  const as = (who: string, method: string, path: string, body?: unknown): Promise<Res> =>
    call(stack.url, method, path, body, { headers: stack.auth[who] });

  before(async () => {
    stack = await startStack({ extra: { tenancy: { cursor_key_b64: randomBytes(32).toString('base64') } } });
    const lines: unknown[] = [];
    for (let i = 0; i < 25; i++) lines.push({ index: { _index: 'orders', _id: `a-${String(i).padStart(2, '0')}` } }, { n: i, who: 'acme' });
    assert.equal((await call(stack.url, 'POST', '/_bulk?refresh=true', lines, { ndjson: true, headers: stack.auth.acme })).status, 200);
    const globex: unknown[] = [];
    for (let i = 0; i < 5; i++) globex.push({ index: { _index: 'orders', _id: `g-${i}` } }, { n: 100 + i, who: 'globex' });
    assert.equal((await call(stack.url, 'POST', '/_bulk?refresh=true', globex, { ndjson: true, headers: stack.auth.globex })).status, 200);
  });
  after(() => stack.close());

  const openScroll = async (): Promise<Page> =>
    page(await as('acme', 'POST', '/orders/_search?scroll=1m', { size: 10, sort: [{ n: 'asc' }], query: { match_all: {} } }));

  it('scrolls through 25 documents in pages of 10, every page hit-mapped, ids sealed', async () => {
    const first = await openScroll();
    const ids = first.hits.hits.map((h) => h._id);
    assertMapped(first, 'orders', 'a-');
    assert.ok(first._scroll_id !== undefined && /^[A-Za-z0-9_-]+$/.test(first._scroll_id), first._scroll_id);
    let scrollId = first._scroll_id;
    for (;;) {
      const res = await as('acme', 'POST', '/_search/scroll', { scroll: '1m', scroll_id: scrollId });
      assert.ok(!res.text.includes('osproxy-shared'), res.text);
      const next = page(res);
      if (next.hits.hits.length === 0) break;
      assertMapped(next, 'orders', 'a-');
      ids.push(...next.hits.hits.map((h) => h._id));
      scrollId = next._scroll_id as string;
    }
    assert.equal(ids.length, 25);
    assert.deepEqual(ids, [...Array(25).keys()].map((i) => `a-${String(i).padStart(2, '0')}`));
  });

  it('another tenant presenting the scroll id gets 404, and the owner’s cursor still works', async () => {
    const first = await openScroll();
    const id = first._scroll_id as string;
    for (const res of [
      await as('globex', 'POST', '/_search/scroll', { scroll: '1m', scroll_id: id }),
      await as('globex', 'GET', `/_search/scroll/${id}`),
    ]) {
      assert.equal(res.status, 404, res.text);
      assert.equal(errorType(res), 'search_context_missing_exception');
      assert.ok(!res.text.includes('acme'), res.text);
    }
    const tampered = await as('acme', 'POST', '/_search/scroll', { scroll: '1m', scroll_id: tamper(id) });
    assert.equal(tampered.status, 404, tampered.text);
    assert.equal(errorType(tampered), 'search_context_missing_exception');
    const next = page(await as('acme', 'POST', '/_search/scroll', { scroll: '1m', scroll_id: id }));
    assert.equal(next.hits.hits.length, 10);
    assertMapped(next, 'orders', 'a-');
  });

  it('clear scroll: another tenant’s ids are not found, `_all` clears only the caller’s own', async () => {
    const id = (await openScroll())._scroll_id as string;
    const foreign = await as('globex', 'DELETE', '/_search/scroll', { scroll_id: [id] });
    assert.equal(foreign.status, 404, foreign.text);
    assert.deepEqual(foreign.body, { succeeded: true, num_freed: 0 });
    const globexAll = await as('globex', 'DELETE', '/_search/scroll/_all');
    assert.equal(globexAll.status, 200, globexAll.text);
    assert.equal(globexAll.body.num_freed, 0);
    assert.equal(page(await as('acme', 'POST', '/_search/scroll', { scroll: '1m', scroll_id: id })).hits.hits.length, 10);
    const acmeAll = await as('acme', 'DELETE', '/_search/scroll', { scroll_id: '_all' });
    assert.equal(acmeAll.status, 200, acmeAll.text);
    assert.ok((acmeAll.body.num_freed as number) >= 1, acmeAll.text);
    const gone = await as('acme', 'POST', '/_search/scroll', { scroll: '1m', scroll_id: id });
    assert.equal(gone.status, 404, gone.text);
  });

  it('PIT: create, search (wrapped: the other tenant’s documents never appear), delete', async () => {
    const created = await as('acme', 'POST', '/orders/_search/point_in_time?keep_alive=1m');
    assert.equal(created.status, 200, created.text);
    assert.ok(!created.text.includes('osproxy-shared'), created.text);
    const pitId = created.body.pit_id as string;
    assert.ok(typeof pitId === 'string' && /^[A-Za-z0-9_-]+$/.test(pitId), pitId);
    assert.ok(created.body._shards !== undefined && created.body.creation_time !== undefined);

    const res = await as('acme', 'POST', '/_search', { size: 100, pit: { id: pitId, keep_alive: '1m' }, query: { match_all: {} } });
    assert.ok(!res.text.includes('osproxy-shared'), res.text);
    const found = page(res);
    assert.equal(found.hits.hits.length, 25);
    assertMapped(found, 'orders', 'a-');
    assert.ok(found.hits.hits.every((h) => h._source.who === 'acme'));
    assert.equal(found.pit_id, pitId);

    const foreign = await as('globex', 'POST', '/_search', { pit: { id: pitId }, query: { match_all: {} } });
    assert.equal(foreign.status, 404, foreign.text);
    assert.equal(errorType(foreign), 'search_context_missing_exception');
    const foreignDelete = await as('globex', 'DELETE', '/_search/point_in_time', { pit_id: [pitId] });
    assert.deepEqual(foreignDelete.body, { pits: [{ pit_id: pitId, successful: false }] });
    const withIndex = await as('acme', 'POST', '/orders/_search', { pit: { id: pitId } });
    assert.equal(withIndex.status, 400, withIndex.text);

    const deleted = await as('acme', 'DELETE', '/_search/point_in_time', { pit_id: [pitId] });
    assert.equal(deleted.status, 200, deleted.text);
    assert.deepEqual(deleted.body, { pits: [{ pit_id: pitId, successful: true }] });
    const after = await as('acme', 'POST', '/_search', { pit: { id: pitId }, query: { match_all: {} } });
    assert.equal(after.status, 404, after.text);
  });

  it('PIT `_all` deletes only the caller’s own', async () => {
    const mine = (await as('acme', 'POST', '/orders/_search/point_in_time?keep_alive=1m')).body.pit_id as string;
    const theirs = (await as('globex', 'POST', '/orders/_search/point_in_time?keep_alive=1m')).body.pit_id as string;
    const all = await as('globex', 'DELETE', '/_search/point_in_time/_all');
    assert.deepEqual(all.body, { pits: [{ pit_id: theirs, successful: true }] });
    assert.equal(page(await as('acme', 'POST', '/_search', { pit: { id: mine }, query: { match_all: {} } })).hits.hits.length, 10);
  });
});

describe('cursors without a cursor key', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
    await call(stack.url, 'PUT', '/orders/_doc/1?refresh=true', { n: 1 }, { headers: stack.auth.acme });
  });
  after(() => stack.close());

  it('refuses every cursor request with 400 cursor_key_missing and tells the operator what to set', async () => {
    const requests: [string, string, unknown?][] = [
      ['POST', '/orders/_search?scroll=1m', { query: { match_all: {} } }],
      ['POST', '/_search/scroll', { scroll_id: 'x.y' }],
      ['DELETE', '/_search/scroll/_all'],
      ['POST', '/orders/_search/point_in_time?keep_alive=1m'],
      ['POST', '/_search', { pit: { id: 'x.y' } }],
      ['DELETE', '/_search/point_in_time', { pit_id: ['x.y'] }],
    ];
    for (const [method, path, body] of requests) {
      const res = await call(stack.url, method, path, body, { headers: stack.auth.acme });
      assert.equal(res.status, 400, `${method} ${path}: ${res.text}`);
      const b = res.body as { osproxy: { code: string }; error: { reason: string } };
      assert.equal(b.osproxy.code, 'cursor_key_missing');
      assert.match(b.error.reason, /tenancy\.cursor_key_b64/);
    }
    assert.equal((await call(stack.url, 'POST', '/orders/_search', { query: { match_all: {} } }, { headers: stack.auth.acme })).status, 200);
  });
});
