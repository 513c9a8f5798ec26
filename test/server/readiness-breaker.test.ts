import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { hashToken } from '../../src/auth/index.ts';
import { FaultProxy } from '../../src/chaos/fault-proxy.ts';
import { parseConfig } from '../../src/config/load.ts';
import { startEngine, type RunningEngine } from '../../src/engine/engine.ts';
import { startProxy, type RunningProxy } from '../../src/server/proxy-server.ts';
import { call } from '../helpers/http.ts';

/*
 * SPEC §5.5 / issue 14, exactly: with the control store on a healthy cluster, a second cluster
 * whose breaker opens is the one reason /_osproxy/ready gives (no stale-snapshot reason to hide
 * behind), `osproxy_upstream_breaker_open` says so, and one warning is logged when the cluster
 * becomes unreachable and one when it recovers. Half-open — reset_ms passed, no probe yet, since
 * nothing was sent — is still unreachable. Real sockets: the second engine is behind a relay
 * that refuses connections on demand.
 */

const AUTH = { headers: { authorization: 'Bearer acme-t' } };
const OPS = { headers: { authorization: 'Bearer ops-t' } };

interface Ready {
  status: string;
  reasons?: string[];
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('readiness and logs when one cluster of two becomes unreachable and recovers (in-process proxy, real sockets)', () => {
  let main: RunningEngine;
  let second: RunningEngine;
  let relay: FaultProxy;
  let proxy: RunningProxy;
  const logs: { level: number; msg: string; cluster?: string }[] = [];
  const url = (): string => proxy.urls[0];
  const ready = async (): Promise<{ status: number; body: Ready }> => {
    const res = await call<Ready>(url(), 'GET', '/_osproxy/ready');
    return { status: res.status, body: res.body };
  };
  const breakerOf = async (cluster: string): Promise<number> => {
    const text = (await call<string>(url(), 'GET', '/_osproxy/metrics', undefined, OPS)).text;
    const m = new RegExp(`^osproxy_upstream_breaker_open\\{cluster="${cluster}"\\} (\\d+)$`, 'm').exec(text);
    assert.ok(m, `breaker series of ${cluster}`);
    return Number(m[1]);
  };
  const warnings = (re: RegExp): number => logs.filter((l) => l.level === 40 && l.cluster === 'second' && re.test(l.msg)).length;

  before(async () => {
    main = await startEngine({ port: 0 });
    second = await startEngine({ port: 0 });
    relay = await FaultProxy.start(second.url);
    const log = pino({ level: 'warn' }, { write: (line: string) => logs.push(JSON.parse(line) as (typeof logs)[number]) });
    proxy = await startProxy(
      parseConfig({
        listeners: [{ host: '127.0.0.1', port: 0 }],
        clusters: { default: { url: main.url }, second: { url: relay.url, breaker: { failure_threshold: 2, reset_ms: 1_500 } } },
        tenants: { acme: { indices: { events: { kind: 'cluster', cluster: 'second', index_template: 'acme-{lindex}' } }, principals: [{ token_sha256: hashToken('acme-t') }] } },
        operators: [{ name: 'ops', token_sha256: hashToken('ops-t') }],
      }),
      { log },
    );
  });
  after(async () => {
    await proxy.close(200);
    await relay.close();
    await main.close();
    await second.close();
  });

  it('reports exactly the unreachable cluster while its breaker is open or half-open, warns once down and once back', async () => {
    await until('ready', async () => ((await ready()).body.status === 'ready' ? true : undefined));
    assert.equal((await call(url(), 'PUT', '/events/_doc/1?refresh=true', { a: 1 }, AUTH)).status, 201);

    relay.mode = { kind: 'refuse' };
    const degraded = await until('degraded', async () => {
      const during = await call(url(), 'GET', '/events/_doc/1', undefined, AUTH);
      assert.ok([502, 503].includes(during.status), during.text);
      const r = await ready();
      return r.body.status === 'degraded' ? r : undefined;
    });
    assert.equal(degraded.status, 200, 'a degraded instance still serves');
    // Only the second cluster: the control snapshot (on default) is fresh.
    assert.equal(degraded.body.reasons?.length, 1, JSON.stringify(degraded.body));
    assert.match(degraded.body.reasons[0], /^cluster \[second\] is unreachable \(circuit breaker (open|half-open: the next request probes it)\)$/);
    assert.equal(await breakerOf('default'), 0);
    assert.ok((await breakerOf('second')) >= 1);
    assert.equal(warnings(/^cluster \[second\] is unreachable/), 1);

    // No traffic: once reset_ms has passed the breaker is half-open, and the cluster is still reported.
    await until('half-open', async () => ((await breakerOf('second')) === 1 ? true : undefined));
    const halfOpen = await ready();
    assert.deepEqual(halfOpen.body, { status: 'degraded', reasons: ['cluster [second] is unreachable (circuit breaker half-open: the next request probes it)'] });

    relay.mode = { kind: 'pass' };
    await until('the probe through', async () => ((await call(url(), 'GET', '/events/_doc/1', undefined, AUTH)).status === 200 ? true : undefined));
    assert.deepEqual((await ready()).body, { status: 'ready' });
    assert.equal(await breakerOf('second'), 0);
    assert.equal(warnings(/^cluster \[second\] is reachable again/), 1);
    assert.equal(warnings(/^cluster \[second\] is unreachable/), 1, 'one warning per outage, not one per failed request or probe');
  });
});
