import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { hashToken } from '../../src/auth/index.ts';
import { startEngine, type RunningEngine } from '../../src/engine/engine.ts';
import { parseConfig } from '../../src/config/load.ts';
import { startProxy, type RunningProxy } from '../../src/server/proxy-server.ts';
import { call } from '../helpers/http.ts';

type Entry = { _index: string; _id: string; status: number; result?: string; error?: { type: string; reason: string } };
type BulkBody = { errors: boolean; items: Record<string, Entry>[]; osproxy?: { code: string }; error?: { reason: string } };
const entries = (b: BulkBody): [string, Entry][] => b.items.map((i) => Object.entries(i)[0]);
const ndjson = (lines: unknown[]): string => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';

describe('streaming _bulk (batches per target, window, order, per-line cap)', () => {
  let main: RunningEngine;
  let second: RunningEngine;
  let proxy: RunningProxy;
  let url: string;
  const acme = { authorization: 'Bearer acme-t' };
  const globex = { authorization: 'Bearer globex-t' };
  const bulk = (auth: Record<string, string>, body: string, query = '?refresh=true') =>
    call<BulkBody>(url, 'POST', `/_bulk${query}`, body, { headers: { ...auth, 'content-type': 'application/x-ndjson' } });
  const dispatched = (): number => [...proxy.services.clusters.values()].reduce((n, c) => n + c.stats.dispatched, 0);

  before(async () => {
    main = await startEngine({ port: 0 });
    second = await startEngine({ port: 0 });
    proxy = await startProxy(
      parseConfig({
        listeners: [{ host: '127.0.0.1', port: 0 }],
        clusters: { default: { url: main.url }, second: { url: second.url } },
        limits: { max_bulk_line_bytes: 2048, bulk_batch_docs: 1000, bulk_window: 2 },
        // The fleet store in memory: its polls would otherwise count among the upstream calls below.
        control: { store: 'memory' },
        tenants: {
          acme: {
            indices: { ded: { kind: 'index' }, events: { kind: 'cluster', cluster: 'second', index_template: 'acme-{lindex}' } },
            principals: [{ token_sha256: hashToken('acme-t') }],
          },
          globex: { principals: [{ token_sha256: hashToken('globex-t') }] },
        },
      }),
      { log: pino({ level: 'silent' }) },
    );
    url = proxy.urls[0];
  });
  after(async () => {
    await proxy.close(200);
    await main.close();
    await second.close();
  });

  it('keeps items in request order across the shared index, a dedicated index and a second cluster', async () => {
    const res = await bulk(acme, ndjson([
      { index: { _index: 'orders', _id: 'o1' } }, { n: 1 },
      { index: { _index: 'ded', _id: 'd1' } }, { n: 2 },
      { create: { _index: 'events', _id: 'e1' } }, { n: 3 },
      { create: { _index: 'orders', _id: 'o1' } }, { n: 4 },
      { delete: { _index: 'events', _id: 'missing' } },
      { update: { _index: 'ded', _id: 'd1' } }, { doc: { m: 5 } },
      { index: { _index: 'orders', _id: 'o2' } }, { n: 6, _tenant: 'evil' },
      { index: { _index: 'events', _id: 'e2' } }, { n: 7 },
      { delete: { _index: 'orders', _id: 'o1' } },
    ]));
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.equal(res.body.errors, true);
    assert.deepEqual(entries(res.body).map(([a, e]) => [a, e._index, e._id, e.status]), [
      ['index', 'orders', 'o1', 201],
      ['index', 'ded', 'd1', 201],
      ['create', 'events', 'e1', 201],
      ['create', 'orders', 'o1', 409],
      ['delete', 'events', 'missing', 404],
      ['update', 'ded', 'd1', 200],
      ['index', 'orders', 'o2', 400],
      ['index', 'events', 'e2', 201],
      ['delete', 'orders', 'o1', 200],
    ]);
    assert.deepEqual((await call(second.url, 'GET', '/acme-events/_doc/e1')).body._source, { n: 3 });
    assert.equal((await call(main.url, 'GET', '/acme-events/_doc/e1')).status, 404, 'nothing on the default cluster');
    const d1 = await call(url, 'GET', '/ded/_doc/d1', undefined, { headers: acme });
    assert.deepEqual(d1.body._source, { n: 2, m: 5 });
    assert.equal((await call(url, 'GET', '/orders/_doc/o1', undefined, { headers: acme })).status, 404);
    assert.equal((await call(url, 'GET', '/orders', undefined, { headers: acme })).status, 200, 'implicitly created index registered');
  });

  it('fails only the item whose line is over the cap (document or action line), the rest goes on', async () => {
    const big = { blob: 'x'.repeat(3000) };
    const res = await bulk(acme, ndjson([
      { index: { _index: 'orders', _id: 'c1' } }, { n: 1 },
      { index: { _index: 'orders', _id: 'c2' } }, big, // line 4 over the cap
      { index: { _index: 'orders', _id: 'c3' } }, { n: 3 },
      { index: { _index: 'orders', _id: 'c4', pad: 'p'.repeat(3000) } }, { n: 4 }, // line 7 over the cap, its doc skipped
      { delete: { _index: 'orders', _id: 'c1' } },
      { index: { _index: 'orders', _id: 'c5' } }, { n: 5 },
    ]));
    assert.equal(res.status, 200, res.text.slice(0, 300));
    const got = entries(res.body);
    assert.deepEqual(got.map(([a, e]) => [a, e._id, e.status]), [
      ['index', 'c1', 201],
      ['index', 'c2', 400],
      ['index', 'c3', 201],
      ['index', undefined, 400],
      ['delete', 'c1', 200],
      ['index', 'c5', 201],
    ]);
    assert.equal(got[1][1].error?.type, 'illegal_argument_exception');
    assert.match(got[1][1].error?.reason ?? '', /line \[4\]/);
    assert.match(got[3][1].error?.reason ?? '', /line \[7\]/);
    assert.equal((await call(url, 'GET', '/orders/_doc/c2', undefined, { headers: acme })).status, 404);
  });

  it('splits 2,500 documents into batches of 1,000 and returns all of them in order', async () => {
    const lines = (prefix: string): string => {
      const out: unknown[] = [];
      for (let i = 0; i < 2500; i++) out.push({ index: { _index: 'many', _id: `${prefix}${String(i).padStart(4, '0')}` } }, { i });
      return ndjson(out);
    };
    for (const prefix of ['m', 'n']) {
      const before = dispatched();
      const res = await bulk(acme, lines(prefix));
      const upstreamCalls = dispatched() - before;
      assert.equal(res.status, 200, res.text.slice(0, 300));
      assert.equal(res.body.errors, false);
      const got = entries(res.body);
      assert.equal(got.length, 2500);
      got.forEach(([a, e], i) => {
        assert.equal(a, 'index');
        assert.equal(e._id, `${prefix}${String(i).padStart(4, '0')}`);
        assert.equal(e.status, 201);
      });
      // The second time the index and its fields are known: 3 bulks (1000 + 1000 + 500), nothing else.
      if (prefix === 'n') assert.equal(upstreamCalls, 3, `upstream calls: ${upstreamCalls}`);
    }
    const count = await call<{ count: number }>(url, 'GET', '/many/_count', undefined, { headers: acme });
    assert.equal(count.body.count, 5000);
  });

  it('a malformed action line fails the whole request while nothing was sent, per item afterwards', async () => {
    const early = await bulk(acme, ndjson([{ index: { _index: 'orders', _id: 'x1' } }, { n: 1 }, '{nope']));
    assert.equal(early.status, 400);
    assert.equal(early.body.osproxy?.code, 'malformed_bulk');
    assert.equal((await call(url, 'GET', '/orders/_doc/x1', undefined, { headers: acme })).status, 404);
    const lines: unknown[] = [];
    for (let i = 0; i < 1000; i++) lines.push({ index: { _index: 'late', _id: `l${i}` } }, { i });
    lines.push({ index: { _index: 'late', _id: 'after' } }, { i: -1 }, '{nope', { index: { _index: 'late', _id: 'never' } }, { i: -2 });
    const late = await bulk(acme, ndjson(lines));
    assert.equal(late.status, 200, late.text.slice(0, 300));
    const got = entries(late.body);
    assert.equal(got.length, 1002);
    assert.ok(got.slice(0, 1000).every(([, e]) => e.status === 201));
    assert.deepEqual([got[1000][1]._id, got[1000][1].status], ['after', 400]);
    assert.match(got[1001][1].error?.reason ?? '', /line \[2003\]/);
    assert.equal(late.body.errors, true);
  });

  it('isolation holds: globex cannot update or delete acme documents via bulk', async () => {
    await bulk(acme, ndjson([{ index: { _index: 'shared', _id: 's1' } }, { owner: 'acme' }]));
    const res = await bulk(globex, ndjson([
      { update: { _index: 'shared', _id: 's1' } }, { doc: { owner: 'globex' } },
      { delete: { _index: 'shared', _id: 's1' } },
      { index: { _index: 'shared', _id: 's2' } }, { owner: 'globex' },
    ]));
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.deepEqual(entries(res.body).map(([a, e]) => [a, e._id, e.status]), [['update', 's1', 404], ['delete', 's1', 404], ['index', 's2', 201]]);
    assert.doesNotMatch(res.text, /acme/);
    const s1 = await call(url, 'GET', '/shared/_doc/s1', undefined, { headers: acme });
    assert.deepEqual(s1.body._source, { owner: 'acme' });
    assert.equal((await call(url, 'GET', '/shared/_doc/s2', undefined, { headers: acme })).status, 404);
  });
});
