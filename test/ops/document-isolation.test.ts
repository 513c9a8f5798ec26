import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call } from '../helpers/http.ts';
import { startStack, type Stack } from '../helpers/stack.ts';
import type { JsonObject } from '../../src/core/json.ts';
import { logicalSource } from '../../src/tenancy/mapping/physical-names.ts';

type Body = Record<string, unknown> & { error?: { type: string; reason: string }; osproxy?: { code: string } };

describe('documents through the proxy are isolated per tenant (shared placement)', () => {
  let stack: Stack;
  const as = (tenant: string, method: string, path: string, body?: unknown) =>
    call<Body>(stack.url, method, path, body, { headers: stack.auth[tenant] });

  before(async () => {
    stack = await startStack();
  });
  after(() => stack.close());

  it('indexes and reads back a document with logical names only', async () => {
    const put = await as('acme', 'PUT', '/orders/_doc/1?refresh=true', { item: 'anvil', qty: 2 });
    assert.equal(put.status, 201);
    assert.equal(put.body._index, 'orders');
    assert.equal(put.body._id, '1');
    const get = await as('acme', 'GET', '/orders/_doc/1');
    assert.equal(get.status, 200);
    assert.deepEqual(get.body._source, { item: 'anvil', qty: 2 });
    assert.equal(get.body._index, 'orders');
    assert.equal(get.body._routing, undefined);
  });

  it('stores the document in the shared physical index with the tenant tags', async () => {
    const raw = await call<Body>(stack.engine.url, 'GET', '/osproxy-shared-orders/_doc/acme:orders:1?routing=acme');
    assert.equal(raw.status, 200);
    const source = raw.body._source as Record<string, unknown>;
    assert.deepEqual(logicalSource(source as JsonObject), { item: 'anvil', qty: 2, _tenant: 'acme', _lindex: 'orders', _lid: '1' });
    const fields = Object.keys(source).filter((k) => !k.startsWith('_'));
    assert.ok(fields.length === 2 && fields.every((k) => /__osx_[a-z2-7]{10}$/.test(k)), `stored under the tenant's own physical names: ${fields.join(', ')}`);
    const mapping = await call<Body>(stack.engine.url, 'GET', '/osproxy-shared-orders/_mapping');
    assert.equal(JSON.stringify(mapping.body).includes('"item"'), false, 'no field of the tenant under its plain name');
  });

  it('another tenant cannot read, update, delete or count it', async () => {
    assert.equal((await as('globex', 'GET', '/orders/_doc/1')).status, 404);
    await as('globex', 'PUT', '/orders/_doc/other?refresh=true', { item: 'rocket' });
    assert.equal((await as('globex', 'GET', '/orders/_doc/1')).status, 404);
    const upd = await as('globex', 'POST', '/orders/_update/1', { doc: { qty: 99 } });
    assert.equal(upd.status, 404);
    const del = await as('globex', 'DELETE', '/orders/_doc/1');
    assert.equal(del.status, 404);
    const count = await as('globex', 'GET', '/orders/_count');
    assert.equal(count.body.count, 1);
    const search = await as('globex', 'POST', '/orders/_search', { query: { match_all: {} } });
    const hits = (search.body.hits as { hits: { _id: string }[] }).hits;
    assert.deepEqual(hits.map((h) => h._id), ['other']);
    const mine = await as('acme', 'GET', '/orders/_doc/1');
    assert.deepEqual(mine.body._source, { item: 'anvil', qty: 2 });
  });

  it('rejects documents that name a reserved field, also with an escaped key', async () => {
    const plain = await as('acme', 'PUT', '/orders/_doc/2', { item: 'x', _tenant: 'globex' });
    assert.equal(plain.status, 400);
    assert.equal(plain.body.osproxy?.code, 'reserved_field');
    const escaped = await call<Body>(stack.url, 'PUT', '/orders/_doc/3', '{"item":"x","_ten\\u0061nt":"globex"}', { headers: stack.auth.acme });
    assert.equal(escaped.status, 400);
    const nested = await as('acme', 'POST', '/orders/_update/1', { doc: { meta: { _lindex: 'x' } } });
    assert.equal(nested.status, 400);
    const upsert = await as('acme', 'POST', '/orders/_update/9', { doc: { a: 1 }, upsert: { _tenant: 'globex' } });
    assert.equal(upsert.status, 400);
    assert.equal((await as('acme', 'GET', '/orders/_doc/2')).status, 404);
  });

  it('refuses inline update scripts in shared placement with a clear reason', async () => {
    const res = await as('acme', 'POST', '/orders/_update/1', { script: { source: 'ctx._source.qty += 1' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.osproxy?.code, 'inline_script_refused');
  });

  it('does not reveal the physical index name in errors', async () => {
    const bad = await as('acme', 'PUT', '/orders/_doc/4', { qty: 'not-a-number' });
    assert.equal(bad.status, 400);
    assert.doesNotMatch(bad.text, /osproxy-shared|acme:orders/);
    assert.doesNotMatch(bad.text, /not-a-number/, 'error bodies carry no document values');
  });
});

describe('reserved field names are refused in dedicated placement too', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ placement: 'index' });
  });
  after(() => stack.close());

  it('refuses _tenant in a document, an update doc and a bulk line, so the index can later move to shared', async () => {
    const h = { headers: stack.auth.acme };
    assert.equal((await call<Body>(stack.url, 'PUT', '/ded/_doc/1', { _tenant: 'x' }, h)).status, 400);
    await call(stack.url, 'PUT', '/ded/_doc/2', { a: 1 }, h);
    assert.equal((await call<Body>(stack.url, 'POST', '/ded/_update/2', { doc: { _lindex: 'y' } }, h)).status, 400);
    const bulk = await call<{ items: Record<string, { status: number }>[] }>(stack.url, 'POST', '/_bulk', [{ index: { _index: 'ded', _id: '3' } }, { _tenant: 'x' }], { ...h, ndjson: true });
    assert.equal(bulk.body.items[0].index.status, 400);
  });
});
