import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { hashToken } from '../../src/auth/index.ts';
import { spawnEngine, type EngineProcess } from '../helpers/engine-process.ts';
import { spawnProxy } from '../helpers/proxy-process.ts';

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
      log_level: 'warn',
    });
    const exited = new Promise<number | null>((resolve) => proxy.child.once('exit', (code) => resolve(code)));
    // A client that sends its body slowly keeps one request in flight across the signal.
    const body = Readable.from(
      (async function* () {
        yield '{"slow":';
        await sleep(400);
        yield '"yes"}';
      })(),
    );
    const inflight = request(`${proxy.url}/drain/_doc/1`, {
      method: 'PUT',
      body,
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
    });
    await sleep(150);
    proxy.child.kill('SIGTERM');
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
