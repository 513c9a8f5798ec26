import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { hashToken } from '../../src/auth/index.ts';
import { FaultProxy } from '../../src/chaos/fault-proxy.ts';
import { spawnEngine, type EngineProcess } from '../helpers/engine-process.ts';
import { call } from '../helpers/http.ts';
import { spawnProxy, type ProxyProcess } from '../helpers/proxy-process.ts';

/*
 * SPEC §5.5: a proxy whose cluster dies keeps answering /_osproxy/ready — 200 "degraded" with the
 * reason — and says so once in its log; when the cluster is back, ready again and one more line.
 * Real processes: the engine is killed with SIGKILL and restarted (on a new port, with its data)
 * behind a TCP relay whose address the proxy keeps — no port is reused.
 */

interface Ready { status: string; reasons?: string[] }

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function logLines(proxy: ProxyProcess): { level: number; msg: string; cluster?: string }[] {
  return proxy.stdout().split('\n').filter((l) => l.startsWith('{"level"')).map((l) => JSON.parse(l) as { level: number; msg: string; cluster?: string });
}

describe('readiness while the upstream cluster is killed and comes back (spawned engine and proxy)', () => {
  const data = mkdtempSync(join(tmpdir(), 'osproxy-ready-'));
  let engine: EngineProcess;
  let relay: FaultProxy;
  let proxy: ProxyProcess;
  const ready = async (): Promise<{ status: number; body: Ready }> => {
    const res = await call<Ready>(proxy.url, 'GET', '/_osproxy/ready');
    return { status: res.status, body: res.body };
  };

  before(async () => {
    engine = await spawnEngine(['--data', data]);
    relay = await FaultProxy.start(engine.url);
    proxy = await spawnProxy({
      listeners: [{ host: '127.0.0.1', port: 0 }],
      clusters: { default: { url: relay.url, breaker: { failure_threshold: 3, reset_ms: 300 } } },
      tenants: { acme: { principals: [{ name: 'acme-app', token_sha256: hashToken('acme-token') }] } },
      control: { poll_ms: 100, stale_after_ms: 1_000 },
      log_level: 'info',
    });
  });
  after(async () => {
    await proxy.stop();
    await relay.close();
    await engine.stop();
  });

  it('is ready, turns degraded with the reason when the engine dies, and ready again when it is back', async () => {
    await until('ready', async () => ((await ready()).body.status === 'ready' ? true : undefined));
    assert.equal((await call(proxy.url, 'PUT', '/orders/_doc/1?refresh=true', { a: 1 }, { headers: { authorization: 'Bearer acme-token' } })).status, 201);

    await engine.kill();
    const degraded = await until('degraded', async () => {
      const r = await ready();
      return r.body.status === 'degraded' ? r : undefined;
    });
    assert.equal(degraded.status, 200, 'a degraded instance still serves (from its last good snapshot)');
    assert.ok(
      degraded.body.reasons?.some((r) => /cluster \[default\] is unreachable \(circuit breaker open\)|control snapshot is \d+ s old/.test(r)),
      JSON.stringify(degraded.body),
    );
    const down = await until('the unreachable warning', async () => logLines(proxy).find((l) => l.level === 40 && /^cluster \[default\] is unreachable/.test(l.msg)));
    assert.equal(down.cluster, 'default');
    // While down, a tenant request fails cleanly (503/502), never hangs.
    const during = await call(proxy.url, 'GET', '/orders/_doc/1', undefined, { headers: { authorization: 'Bearer acme-token' } });
    assert.ok([502, 503].includes(during.status), during.text);

    engine = await spawnEngine(['--data', data]);
    relay.retarget(engine.url);
    await until('ready again', async () => ((await ready()).body.status === 'ready' ? true : undefined));
    const up = await until('the recovery warning', async () => logLines(proxy).find((l) => l.level === 40 && /^cluster \[default\] is reachable again/.test(l.msg)));
    assert.equal(up.cluster, 'default');
    assert.equal(logLines(proxy).filter((l) => /^cluster \[default\] is unreachable/.test(l.msg)).length, 1, 'one warning per outage, not one per failed probe');
    const afterwards = await call(proxy.url, 'GET', '/orders/_doc/1', undefined, { headers: { authorization: 'Bearer acme-token' } });
    assert.equal(afterwards.status, 200, afterwards.text);
  });
});
