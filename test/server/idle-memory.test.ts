/**
 * A burst grows V8's young generation (and leaves old-generation garbage); once requests stop,
 * the idle trim (core/idle-trim.ts) gives that memory back — a real proxy process, RSS from /proc.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Pool } from 'undici';
import { hashToken } from '../../src/auth/index.ts';
import { spawnEngine, type EngineProcess } from '../helpers/engine-process.ts';
import { spawnProxy, type ProxyProcess } from '../helpers/proxy-process.ts';

const MiB = 1024 * 1024;
const AUTH = { authorization: 'Bearer idle-tenant', 'content-type': 'application/json' };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('memory back after a burst (spawned proxy, RSS from /proc)', () => {
  let engine: EngineProcess;
  let proxy: ProxyProcess;
  let pool: Pool;

  before(async () => {
    engine = await spawnEngine();
    proxy = await spawnProxy({
      listeners: [{ host: '127.0.0.1', port: 0 }],
      clusters: { default: { url: engine.url } },
      tenants: { idle: { principals: [{ token_sha256: hashToken('idle-tenant') }] } },
      admission: { tenant_share_percent: 100 },
      log_level: 'warn',
    });
    pool = new Pool(proxy.url, { connections: 16 });
    for (let i = 0; i < 50; i++) {
      const res = await pool.request({ method: 'PUT', path: `/docs/_doc/${i}`, headers: AUTH, body: JSON.stringify({ n: i, text: 'x'.repeat(1000) }) });
      assert.ok(res.statusCode < 300, await res.body.text());
      await res.body.dump();
    }
  });
  after(async () => {
    await pool.close();
    await proxy.stop();
    await engine.stop();
  });

  it('gives back what a burst of reads added, to within 6 MiB, once the requests stop', { timeout: 120_000 }, async (t) => {
    const before = proxy.rss();
    let next = 0;
    const deadline = Date.now() + 5_000;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (Date.now() < deadline) {
          const res = await pool.request({ method: 'GET', path: `/docs/_doc/${next++ % 50}`, headers: AUTH });
          assert.equal(res.statusCode, 200);
          await res.body.dump();
        }
      }),
    );
    const busy = proxy.rss();
    // With the trim the burst's growth goes about 10 s after the last request; without it, most of
    // it stays resident (V8 may return some of it much later, on its own).
    const back = before + 6 * MiB;
    let idle = busy;
    for (let waited = 0; waited < 20_000 && idle > back; waited += 500) {
      await sleep(500);
      idle = proxy.rss();
    }
    t.diagnostic(`RSS before ${(before / MiB).toFixed(1)} MiB, after ${next} reads ${(busy / MiB).toFixed(1)}, idle ${(idle / MiB).toFixed(1)}`);
    assert.ok(busy - before >= 12 * MiB, `the burst grew RSS by only ${((busy - before) / MiB).toFixed(1)} MiB: nothing to give back`);
    assert.ok(idle <= back, `20 s after the burst RSS is still ${((idle - before) / MiB).toFixed(1)} MiB above where it started`);
  });
});
