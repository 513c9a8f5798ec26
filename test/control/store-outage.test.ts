import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { hashToken } from '../../src/auth/index.ts';
import { FaultProxy } from '../../src/chaos/fault-proxy.ts';
import { call } from '../helpers/http.ts';
import { spawnEngine, type EngineProcess } from '../helpers/engine-process.ts';
import { spawnProxy, type ProxyProcess } from '../helpers/proxy-process.ts';

/*
 * The fleet store is unreachable, or its index is deleted under a running fleet (SPEC §5.1): every
 * instance keeps serving every tenant from its last good snapshot and says "degraded"; an instance
 * started meanwhile serves nothing it cannot verify and says why; after recovery the store is
 * repaired and every instance converges.
 */

const OPERATOR = { authorization: 'Bearer outage-operator' };
const ACME = { authorization: 'Bearer acme-outage' };

type Ready = { status: string; reasons?: string[] };

async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    assert.ok(Date.now() < deadline, `${what}: still ${JSON.stringify(v)}`);
    await sleep(100);
  }
}

describe('the fleet keeps serving through a fleet store outage, and repairs a lost store', () => {
  let engine: EngineProcess;
  let faults: FaultProxy;
  const fleet: ProxyProcess[] = [];
  let config: Record<string, unknown>;
  const ready = (p: ProxyProcess) => call<Ready>(p.url, 'GET', '/_osproxy/ready');
  const search = (p: ProxyProcess, auth = ACME) => call(p.url, 'GET', '/orders/_search', undefined, { headers: auth });

  before(async () => {
    engine = await spawnEngine();
    faults = await FaultProxy.start(engine.url);
    config = {
      listeners: [{ host: '127.0.0.1', port: 0 }],
      // Tenant data goes straight to the engine; only the control plane's traffic crosses the faults.
      clusters: {
        default: { url: engine.url },
        control: { url: faults.url, request_timeout_ms: 1_000, connect_timeout_ms: 500, retries: 0, breaker: { failure_threshold: 1_000, reset_ms: 200 } },
      },
      control: { cluster: 'control', poll_ms: 200, heartbeat_ms: 200, stale_after_ms: 1_000 },
      operators: [{ name: 'sre', token_sha256: hashToken('outage-operator') }],
      tenants: { acme: { principals: [{ name: 'app', token_sha256: hashToken('acme-outage') }] } },
      log_level: 'silent',
    };
    for (let i = 0; i < 2; i++) fleet.push(await spawnProxy(config));
    assert.equal((await call(fleet[0].url, 'PUT', '/orders/_doc/1?refresh=true', { item: 'anvil' }, { headers: ACME })).status, 201);
    await until('the index on the second instance', () => search(fleet[1]), (r) => r.status === 200);
  });
  after(async () => {
    for (const p of fleet) await p.stop();
    await faults.close();
    await engine.stop();
  });

  it('serves every tenant from the last good snapshot while the store is unreachable, and says degraded', async () => {
    faults.mode = { kind: 'refuse' };
    for (const p of fleet) {
      const r = await until('degraded', () => ready(p), (v) => v.body.status === 'degraded');
      assert.equal(r.status, 200);
      assert.match((r.body.reasons ?? []).join(' '), /control snapshot is \d+ s old/);
      assert.equal((await search(p)).status, 200, 'the tenant is still served');
    }
  });

  it('a new instance started during the outage serves nothing and says why', async () => {
    const late = await spawnProxy(config);
    fleet.push(late);
    const r = await ready(late);
    assert.equal(r.status, 503);
    assert.equal(r.body.status, 'not_ready');
    assert.match((r.body.reasons ?? []).join(' '), /no verified control snapshot/);
    const refused = await call<{ osproxy: { code: string } }>(late.url, 'GET', '/orders/_search', undefined, { headers: ACME });
    assert.equal(refused.status, 503);
    assert.equal(refused.body.osproxy.code, 'control_store_unavailable');
  });

  it('converges after recovery: every instance ready, a change visible everywhere', async () => {
    faults.mode = { kind: 'pass' };
    for (const p of fleet) await until('ready', () => ready(p), (v) => v.body.status === 'ready');
    assert.equal((await search(fleet[2])).status, 200, 'the late instance serves now');
    const put = await call(fleet[2].url, 'PUT', '/_osproxy/admin/tenants/globex', { principals: [{ name: 'app', token_sha256: hashToken('globex-outage') }] }, { headers: OPERATOR });
    assert.equal(put.status, 201, put.text);
    for (const p of fleet) await until('globex served', () => call(p.url, 'GET', '/_search', undefined, { headers: { authorization: 'Bearer globex-outage' } }), (v) => v.status === 200);
  });

  it('repairs a store index deleted under the running fleet, from the last good snapshot', async () => {
    const aliases = await call<Record<string, unknown>>(engine.url, 'GET', '/_alias/.osproxy-fleet');
    const [concrete] = Object.keys(aliases.body);
    assert.equal((await call(engine.url, 'DELETE', `/${concrete}`)).status, 200);
    // Served throughout; the store comes back with its strict mapping and every tenant in it.
    for (const p of fleet) assert.equal((await search(p)).status, 200);
    await until('the store repaired', () => call<Record<string, { mappings: { dynamic?: string } }>>(engine.url, 'GET', '/.osproxy-fleet/_mapping'), (r) => r.status === 200 && Object.values(r.body)[0]?.mappings.dynamic === 'strict');
    const tenants = await until('the tenants back in the store', () => call<{ hits: { hits: { _id: string }[] } }>(engine.url, 'POST', '/.osproxy-fleet/_search?size=100', { query: { term: { kind: 'tenant' } } }), (r) => r.status === 200 && r.body.hits.hits.length >= 2);
    assert.deepEqual(tenants.body.hits.hits.map((h) => h._id).sort(), ['tenant:acme', 'tenant:globex']);
    const index = await call<{ found: boolean }>(engine.url, 'GET', '/.osproxy-fleet/_doc/index:acme%2Forders');
    assert.equal(index.body.found, true, 'logical indexes are rebuilt too');
    for (const p of fleet) await until('ready after the repair', () => ready(p), (v) => v.body.status === 'ready');
    assert.equal((await call(fleet[0].url, 'POST', '/_osproxy/admin/tenants/globex/_suspend', undefined, { headers: OPERATOR })).status, 200);
    for (const p of fleet) await until('the change after the repair', () => call(p.url, 'GET', '/_search', undefined, { headers: { authorization: 'Bearer globex-outage' } }), (v) => v.status === 403);
  });
});
