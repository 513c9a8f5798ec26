import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { hashToken } from '../../src/auth/index.ts';
import { spawnEngine, type EngineProcess } from '../helpers/engine-process.ts';
import { spawnProxy } from '../helpers/proxy-process.ts';

/** Polls `probe` until it yields true (conditions, not the clock: a loaded machine only makes it slower). */
async function until(what: string, probe: () => Promise<boolean>, ms = 30_000): Promise<void> {
  for (const deadline = Date.now() + ms; !(await probe()); await sleep(20)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

/** Whether a new connection to the port is refused (the listener has closed). */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('graceful shutdown on SIGTERM', () => {
  let engine: EngineProcess;
  before(async () => {
    engine = await spawnEngine();
  });
  after(() => engine.stop());

  it('finishes the in-flight request, then exits', async () => {
    const proxy = await spawnProxy({
      listeners: [{ host: '127.0.0.1', port: 0 }],
      clusters: { default: { url: engine.url } },
      tenants: { acme: { principals: [{ token_sha256: hashToken('t') }] } },
      operators: [{ name: 'ops', token_sha256: hashToken('ops') }],
      log_level: 'warn',
    });
    const exited = new Promise<number | null>((resolve) => proxy.child.once('exit', (code) => resolve(code)));
    // A client whose body is held back until the proxy is draining keeps one request in flight across the signal.
    let release = (): void => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const body = Readable.from(
      (async function* () {
        yield '{"slow":';
        await released;
        yield '"yes"}';
      })(),
    );
    const inflight = request(`${proxy.url}/drain/_doc/1`, {
      method: 'PUT',
      body,
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
    });
    // In flight: the proxy counts it (the scrape itself is the other one).
    await until('the request in flight', async () => {
      const res = await request(`${proxy.url}/_osproxy/metrics`, { headers: { authorization: 'Bearer ops' } });
      return /^osproxy_inflight_requests (\d+)$/m.exec(await res.body.text())?.[1] === '2';
    });
    proxy.child.kill('SIGTERM');
    // Draining: new connections are refused, the request in flight is still being served.
    await until('the listener closed', () => refused(Number(new URL(proxy.url).port)));
    release();
    const res = await inflight;
    assert.equal(res.statusCode, 201, await res.body.text());
    assert.equal(await exited, 0);
    const after = await call(engine.url);
    assert.equal(after, 200, 'the write reached the engine');
  });
});

async function call(engineUrl: string): Promise<number> {
  const res = await request(`${engineUrl}/osproxy-shared-drain/_doc/acme:drain:1?routing=acme`);
  await res.body.dump();
  return res.statusCode;
}
