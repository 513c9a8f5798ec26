import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { hashToken } from '../../src/auth/index.ts';
import { startEngine, type RunningEngine } from '../../src/engine/engine.ts';
import { parseConfig } from '../../src/config/load.ts';
import { startProxy, type RunningProxy } from '../../src/server/proxy-server.ts';
import { IndexRegistry } from '../../src/control/index-registry.ts';
import { call } from '../helpers/http.ts';

const AUTH = { authorization: 'Bearer reg-token' };

describe('the logical index registry is shared through the cluster', () => {
  let engine: RunningEngine;
  const proxies: RunningProxy[] = [];
  const start = async (): Promise<string> => {
    const config = parseConfig({
      listeners: [{ host: '127.0.0.1', port: 0 }],
      clusters: { default: { url: engine.url } },
      tenants: { acme: { principals: [{ token_sha256: hashToken('reg-token') }] } },
    });
    const p = await startProxy(config, { log: pino({ level: 'silent' }) });
    proxies.push(p);
    return p.urls[0];
  };

  before(async () => {
    engine = await startEngine({ port: 0 });
  });
  after(async () => {
    for (const p of proxies) await p.close(500);
    await engine.close();
  });

  it('a restarted instance still knows the tenant’s indexes', async () => {
    const first = await start();
    assert.equal((await call(first, 'PUT', '/kept/_doc/1?refresh=true', { a: 1 }, { headers: AUTH })).status, 201);
    await proxies.shift()!.close(500);
    const second = await start();
    const res = await call<{ hits: { hits: { _id: string }[] } }>(second, 'GET', '/kept/_search', undefined, { headers: AUTH });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.hits.hits.map((h) => h._id), ['1']);
  });

  it('another running instance sees a new index after its next poll', async () => {
    const a = await start();
    const b = await start();
    assert.equal((await call(a, 'PUT', '/fresh', {}, { headers: AUTH })).status, 200);
    let status = 0;
    for (let i = 0; i < 30 && status !== 200; i++) {
      status = (await call(b, 'HEAD', '/fresh', undefined, { headers: AUTH })).status;
      if (status !== 200) await sleep(100);
    }
    assert.equal(status, 200);
    assert.equal((await call(b, 'DELETE', '/fresh', undefined, { headers: AUTH })).status, 200);
    await sleep(1_500);
    assert.equal((await call(a, 'HEAD', '/fresh', undefined, { headers: AUTH })).status, 404);
  });
});

describe('registry change notifications (shared between the workers of one proxy)', () => {
  it('reports each local change once and applies a peer’s change without reporting it', async () => {
    const registry = new IndexRegistry();
    const seen: string[] = [];
    registry.onChange((e, added) => seen.push(`${added ? '+' : '-'}${e.tenant}/${e.lindex}`));
    await registry.register('acme', 'logs');
    await registry.register('acme', 'logs');
    await registry.unregister('acme', 'logs');
    assert.deepEqual(seen, ['+acme/logs', '-acme/logs']);
    registry.applyPeerChange({ tenant: 'globex', lindex: 'events', createdAt: 1 }, true);
    assert.ok(registry.has('globex', 'events'));
    registry.applyPeerChange({ tenant: 'globex', lindex: 'events', createdAt: 0 }, false);
    assert.ok(!registry.has('globex', 'events'));
    assert.equal(seen.length, 2);
  });
});
