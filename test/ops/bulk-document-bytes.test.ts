/**
 * `_bulk` document lines take the byte-level pass once their index is registered in the request
 * (every item after the first of its index); the first item takes the general path (JSON.parse,
 * assertNoReservedFields, the renamers). The same document line must get the same answer and be
 * stored the same either way: sent alone (general path) and sent after a seed item (byte pass).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { call } from '../helpers/http.ts';
import { startStack, type Stack } from '../helpers/stack.ts';
import { DOCUMENT_TEXTS } from './document-texts.ts';

type Entry = { _index: string; _id: string; status: number; result?: string; error?: { type: string; reason: string } };
type BulkBody = { errors: boolean; items: Record<string, Entry>[]; error?: { type: string; reason: string } };

const DOCS = DOCUMENT_TEXTS;

describe('_bulk document lines: the byte pass answers as the general path does', () => {
  let stack: Stack;
  const bulk = (lines: string[]) =>
    call<BulkBody>(stack.url, 'POST', '/_bulk?refresh=true', `${lines.join('\n')}\n`, { headers: { ...stack.auth.acme, 'content-type': 'application/x-ndjson' } });
  const source = async (lindex: string, id: string) => {
    const res = await call<{ _source?: unknown }>(stack.url, 'GET', `/${lindex}/_doc/${id}`, undefined, { headers: stack.auth.acme });
    return { status: res.status, source: res.body._source };
  };
  const physical = async (lindex: string, id: string) => {
    const path = lindex === 'orders' ? `/osproxy-shared-orders/_doc/acme:orders:${id}?routing=acme` : `/t-acme-${lindex}/_doc/${id}`;
    const res = await call<{ _source?: Record<string, unknown> }>(stack.engine.url, 'GET', path);
    if (res.body._source === undefined) return undefined;
    const { _lid: _, ...rest } = res.body._source;
    return rest;
  };

  before(async () => {
    stack = await startStack({ tenantExtra: { acme: { indices: { ded: { kind: 'index' } } } } });
    // Both indexes exist with the seed's fields (and the user object) before the comparisons.
    for (const lindex of ['orders', 'ded']) {
      const res = await bulk([JSON.stringify({ index: { _index: lindex, _id: 'seed' } }), '{"n":0,"title":"seed","user":{"name":"s","tags":["t"]}}']);
      assert.equal(res.body.errors, false, res.text);
    }
  });
  after(() => stack.close());

  for (const lindex of ['orders', 'ded']) {
    it(`${lindex}: each line alone and after a registered item get the same item answer and are stored alike`, async () => {
      for (const [k, doc] of DOCS.entries()) {
        const alone = `a${k}`;
        const later = `b${k}`;
        const first = await bulk([JSON.stringify({ index: { _index: lindex, _id: alone } }), doc]);
        const second = await bulk([JSON.stringify({ index: { _index: lindex, _id: `seed-${k}` } }), '{"n":0}', JSON.stringify({ index: { _index: lindex, _id: later } }), doc]);
        assert.equal(first.status, 200, first.text);
        assert.equal(second.status, 200, second.text);
        const a = first.body.items[0].index;
        const b = second.body.items[1].index;
        assert.equal(second.body.items[0].index.status, 201, second.text);
        assert.deepEqual([b.status, b.error?.type, b.error?.reason], [a.status, a.error?.type, a.error?.reason], `${lindex}: ${doc}`);
        assert.deepEqual(await source(lindex, later), await source(lindex, alone), `${lindex}: ${doc}`);
        assert.deepEqual(await physical(lindex, later), await physical(lindex, alone), `${lindex}: ${doc}`);
      }
    });
  }

  it('refuses reserved keys also when escaped, after a registered item, and stores nothing of them', async () => {
    const res = await bulk([
      JSON.stringify({ index: { _index: 'orders', _id: 'r0' } }), '{"n":1}',
      JSON.stringify({ index: { _index: 'orders', _id: 'r1' } }), '{"\\u005ftenant":"globex","n":2}',
      JSON.stringify({ index: { _index: 'orders', _id: 'r2' } }), '{"user":{"_lin\\u0064ex":"x"}}',
      JSON.stringify({ create: { _index: 'ded', _id: 'r3' } }), '{"n":3}',
      JSON.stringify({ create: { _index: 'ded', _id: 'r4' } }), '{"n":4,"a":[{"\\u005fepoch":1}]}',
    ]);
    assert.equal(res.status, 200, res.text);
    const items = res.body.items.map((i) => Object.values(i)[0]);
    assert.deepEqual(items.map((e) => e.status), [201, 400, 400, 201, 400]);
    for (const e of [items[1], items[2], items[4]]) assert.match(e.error?.reason ?? '', /is reserved by osproxy for tenant isolation/);
    assert.equal((await source('orders', 'r1')).status, 404);
    assert.equal((await source('ded', 'r4')).status, 404);
  });

  it('fails the request on an invalid UTF-8 document line, as before', async () => {
    const body = Buffer.concat([
      Buffer.from(`${JSON.stringify({ index: { _index: 'orders', _id: 'u0' } })}\n{"n":1}\n${JSON.stringify({ index: { _index: 'orders', _id: 'u1' } })}\n{"title":"`),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}\n'),
    ]);
    const raw = await request(`${stack.url}/_bulk`, { method: 'POST', body, headers: { ...stack.auth.acme, 'content-type': 'application/x-ndjson' } });
    const text = await raw.body.text();
    assert.equal(raw.statusCode, 400, text);
    assert.match(text, /UTF-8/);
  });
});
