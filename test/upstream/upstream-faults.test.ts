import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { hashToken } from '../../src/auth/index.ts';
import { FaultProxy } from '../../src/chaos/fault-proxy.ts';
import { startEngine, type RunningEngine } from '../../src/engine/engine.ts';
import { parseConfig } from '../../src/config/load.ts';
import { startProxy, type RunningProxy } from '../../src/server/proxy-server.ts';
import { call } from '../helpers/http.ts';

type Body = Record<string, unknown> & { osproxy?: { code: string }; items?: Record<string, { status: number; error?: unknown }>[] };

describe('upstream faults end in clean errors, never a hang or a 500', () => {
  let engine: RunningEngine;
  let faults: FaultProxy;
  let proxy: RunningProxy;
  const auth = { headers: { authorization: 'Bearer f-token' } };
  const url = (): string => proxy.urls[0];

  before(async () => {
    engine = await startEngine({ port: 0 });
    faults = await FaultProxy.start(engine.url);
    proxy = await startProxy(
      parseConfig({
        listeners: [{ host: '127.0.0.1', port: 0 }],
        // The control registry stays on the healthy engine; the data cluster goes through the faults.
        clusters: { default: { url: engine.url }, flaky: { url: faults.url, request_timeout_ms: 700, retries: 1, breaker: { failure_threshold: 100, reset_ms: 1000 } } },
        tenants: { acme: { placement: { kind: 'cluster', cluster: 'flaky', index_template: 'f-{lindex}' }, principals: [{ token_sha256: hashToken('f-token') }] } },
      }),
      { log: pino({ level: 'silent' }) },
    );
    assert.equal((await call(url(), 'PUT', '/docs/_doc/1?refresh=true', { a: 'x'.repeat(2000) }, auth)).status, 201);
  });
  after(async () => {
    await proxy.close(200);
    await faults.close();
    await engine.close();
  });

  it('a hanging upstream answers 504 in bounded time', async () => {
    faults.mode = { kind: 'hang' };
    const t0 = Date.now();
    const res = await call<Body>(url(), 'GET', '/docs/_doc/1', undefined, auth);
    assert.equal(res.status, 504);
    assert.equal(res.body.osproxy?.code, 'upstream_timeout');
    assert.ok(Date.now() - t0 < 5_000, `took ${Date.now() - t0} ms`);
    faults.mode = { kind: 'pass' };
  });

  it('a reset in the middle of a response answers 502, not 500', async () => {
    faults.mode = { kind: 'reset-after', bytes: 200 };
    const res = await call<Body>(url(), 'GET', '/docs/_doc/1', undefined, auth);
    assert.equal(res.status, 502);
    assert.match(String(res.body.osproxy?.code), /^upstream_/);
    faults.mode = { kind: 'pass' };
  });

  it('a reset during a bulk fails its items per item, the request still answers 200', async () => {
    faults.mode = { kind: 'reset-after', bytes: 50 };
    const lines = [{ index: { _index: 'docs', _id: 'b1' } }, { a: 1 }, { index: { _index: 'docs', _id: 'b2' } }, { a: 2 }];
    const res = await call<Body>(url(), 'POST', '/_bulk', lines, { ...auth, ndjson: true });
    assert.equal(res.status, 200);
    const statuses = (res.body.items ?? []).map((i) => Object.values(i)[0].status);
    assert.equal(statuses.length, 2);
    for (const s of statuses) assert.ok(s === 502 || s === 504, `item status ${s}`);
    faults.mode = { kind: 'pass' };
  });

  it('recovers once the upstream behaves again', async () => {
    faults.mode = { kind: 'pass' };
    const res = await call<Body>(url(), 'GET', '/docs/_doc/1', undefined, auth);
    assert.equal(res.status, 200);
  });
});
