/** The fault proxy's chaos modes fire and are counted: delay, throttle, flaky resets, refusals. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { FaultProxy } from '../../src/chaos/fault-proxy.ts';

describe('fault proxy: latency, bandwidth and reset modes, with counters', () => {
  let upstream: Server;
  let faults: FaultProxy;
  const big = 'x'.repeat(256 * 1024);

  before(async () => {
    upstream = createServer((req, res) => res.end(req.url === '/big' ? big : 'ok'));
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    faults = await FaultProxy.start(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
  });
  after(async () => {
    await faults.close();
    await new Promise((r) => upstream.close(r));
  });

  const fetchText = async (path: string): Promise<string> => (await request(`${faults.url}${path}`, { reset: true })).body.text();

  it('delays each chunk by at least the set latency, and counts it', async () => {
    faults.mode = { kind: 'delay', ms: 200, jitterMs: 50 };
    faults.resetCounters();
    const t0 = Date.now();
    assert.equal(await fetchText('/small'), 'ok');
    // The request and the answer are each held ≥ 200 ms.
    assert.ok(Date.now() - t0 >= 400, `took ${Date.now() - t0} ms`);
    assert.ok(faults.counters.delayedChunks >= 2);
    assert.ok(faults.counters.delayMsTotal >= 400);
  });

  it('throttles a large answer to the bandwidth limit', async () => {
    faults.mode = { kind: 'throttle', bytesPerSecond: 512 * 1024 };
    faults.resetCounters();
    const t0 = Date.now();
    assert.equal((await fetchText('/big')).length, big.length);
    // 256 KiB at 512 KiB/s: ≥ 0.5 s (less a chunk's worth of slack).
    assert.ok(Date.now() - t0 >= 400, `took ${Date.now() - t0} ms`);
    assert.ok(faults.counters.throttledChunks >= 2, `${faults.counters.throttledChunks} chunks`); // the request and at least one answer chunk
  });

  it('resets answers mid-way when flaky, and refuses in an outage, counting both', async () => {
    faults.mode = { kind: 'flaky', resetProbability: 1 };
    faults.resetCounters();
    await assert.rejects(fetchText('/big'));
    assert.ok(faults.counters.resets >= 1);
    faults.mode = { kind: 'refuse' };
    await assert.rejects(fetchText('/small'));
    assert.equal(faults.counters.refused, 1);
    faults.mode = { kind: 'pass' };
    assert.equal(await fetchText('/small'), 'ok');
  });
});
