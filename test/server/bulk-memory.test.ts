import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { hashToken } from '../../src/auth/index.ts';
import { spawnEngine, type EngineProcess } from '../helpers/engine-process.ts';
import { peakRssGrowth, spawnProxy, type ProxyProcess } from '../helpers/proxy-process.ts';

const MiB = 1024 * 1024;
const TENANT = { authorization: 'Bearer bulk-tenant' };
const DOC_BYTES = 1024;

const idOf = (i: number): string => `d${String(i).padStart(7, '0')}`;

/** `count` index actions with 1 KiB documents, generated lazily (the test never holds the body). */
function bulkBody(index: string, count: number): Readable {
  const pad = 'x'.repeat(DOC_BYTES - 40);
  return Readable.from(
    (function* () {
      let chunk = '';
      for (let i = 0; i < count; i++) {
        chunk += `{"index":{"_index":"${index}","_id":"${idOf(i)}"}}\n{"n":${i},"pad":"${pad}"}\n`;
        if (chunk.length >= 64 * 1024) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk !== '') yield chunk;
    })(),
    { objectMode: false },
  );
}

type Entry = { _id: string; status: number; result: string };

/** Sends a bulk and checks every item came back `created`, in order. */
async function sendBulk(url: string, index: string, count: number): Promise<void> {
  const res = await request(`${url}/_bulk`, { method: 'POST', body: bulkBody(index, count), headers: { ...TENANT, 'content-type': 'application/x-ndjson' } });
  const text = await res.body.text();
  assert.equal(res.statusCode, 200, text.slice(0, 300));
  const body = JSON.parse(text) as { errors: boolean; items: { index: Entry }[] };
  assert.equal(body.items.length, count);
  assert.equal(body.errors, false, JSON.stringify(body.items.find((i) => i.index.status !== 201)));
  body.items.forEach((item, i) => {
    if (item.index._id !== idOf(i) || item.index.result !== 'created') assert.fail(`item ${i}: ${JSON.stringify(item)}`);
  });
  assert.equal(body.items[0].index._id, idOf(0));
  assert.equal(body.items[count - 1].index._id, idOf(count - 1));
}

describe('streaming _bulk with bounded memory (spawned proxy, RSS from /proc)', () => {
  let engine: EngineProcess;
  let proxy: ProxyProcess;

  before(async () => {
    engine = await spawnEngine();
    proxy = await spawnProxy(
      {
        listeners: [{ host: '127.0.0.1', port: 0 }],
        clusters: { default: { url: engine.url } },
        tenants: { bulk: { principals: [{ token_sha256: hashToken('bulk-tenant') }] } },
        log_level: 'warn',
      },
      ['--max-semi-space-size=1'],
    );
    // Warm-up (as in bounded-memory.test.ts): one 64 MiB bulk grows the allocator and the young
    // generation once; the test measures the growth a much bigger bulk causes on top.
    await sendBulk(proxy.url, 'warm', 64 * 1024);
  });
  after(async () => {
    await proxy.stop();
    await engine.stop();
  });

  it('streams a 200 MiB bulk (1 KiB documents) with RSS growth < 32 MiB, every item created, in order', { timeout: 600_000 }, async (t) => {
    const count = 200 * 1024;
    const started = Date.now();
    const growth = await peakRssGrowth(proxy.rss, () => sendBulk(proxy.url, 'big', count));
    t.diagnostic(`RSS growth ${(growth / MiB).toFixed(1)} MiB, ${count} items in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    assert.ok(growth < 32 * MiB, `RSS grew by ${(growth / MiB).toFixed(1)} MiB`);
  });
});
