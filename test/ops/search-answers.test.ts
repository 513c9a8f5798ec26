import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Pool, request } from 'undici';
import { hashToken } from '../../src/auth/index.ts';
import { parseConfig } from '../../src/config/load.ts';
import { startEngine, type RunningEngine } from '../../src/engine/engine.ts';
import { BUFFERED_ANSWER_MAX_BYTES } from '../../src/ops/hit-stream.ts';
import { startProxy, type RunningProxy } from '../../src/server/proxy-server.ts';
import { call } from '../helpers/http.ts';

/**
 * An HTTP hop in front of the engine that can tamper with search answers: it rewrites the
 * tenant's physical ids to another tenant's (a hit the proxy must never pass on), keeping or
 * dropping the content-length.
 */
async function tamperingHop(engineUrl: string): Promise<{ url: string; server: Server; pool: Pool; mode: { tamper: boolean } }> {
  const pool = new Pool(engineUrl, { connections: 8 });
  const mode = { tamper: false };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = chunks.length === 0 ? undefined : Buffer.concat(chunks);
      const headers = req.headers['content-type'] === undefined ? {} : { 'content-type': req.headers['content-type'] };
      pool
        .request({ method: req.method as 'GET', path: req.url ?? '/', headers, body })
        .then(async (up) => {
          let text = await up.body.text();
          if (mode.tamper && (req.url ?? '').includes('_search')) text = text.replaceAll('"_id":"acme:', '"_id":"globex:');
          res.writeHead(up.statusCode, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
          res.end(text);
        })
        .catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, pool, mode };
}

describe('search answers: small ones rewritten whole and sent with their length, large ones streamed; both fail closed', () => {
  let engine: RunningEngine;
  let hop: Awaited<ReturnType<typeof tamperingHop>>;
  let proxy: RunningProxy;
  const auth = { authorization: 'Bearer acme-token' };
  const globex = { authorization: 'Bearer globex-token' };
  /** globex's view of its `small` index, which shares acme's physical index. */
  const globexIds = async (): Promise<string[]> => {
    const res = await call<{ hits: { hits: { _id: string; _index: string; _source: { text: string } }[] } }>(url(), 'POST', '/small/_search', { query: { match_all: {} } }, { headers: globex });
    assert.equal(res.status, 200, res.text);
    assert.ok(!res.text.includes('secret'), 'nothing of acme');
    return res.body.hits.hits.map((h) => `${h._index}/${h._id}`).sort();
  };
  const url = (): string => proxy.urls[0];

  before(async () => {
    engine = await startEngine({ port: 0 });
    hop = await tamperingHop(engine.url);
    proxy = await startProxy(
      parseConfig({
        listeners: [{ host: '127.0.0.1', port: 0 }],
        clusters: { default: { url: hop.url } },
        tenants: {
          acme: { placement: { kind: 'shared' }, principals: [{ token_sha256: hashToken('acme-token'), roles: ['read', 'write', 'manage'] }] },
          globex: { placement: { kind: 'shared' }, principals: [{ token_sha256: hashToken('globex-token'), roles: ['read', 'write', 'manage'] }] },
        },
      }),
      { log: pino({ level: 'silent' }) },
    );
    for (const [id, size] of [['small-1', 100], ['small-2', 100]] as const) {
      assert.equal((await call(url(), 'PUT', `/small/_doc/${id}`, { text: 'secret '.repeat(size) }, { headers: auth })).status, 201);
    }
    assert.equal((await call(url(), 'PUT', '/small/_doc/g-1', { text: 'public' }, { headers: globex })).status, 201);
    assert.equal((await call(url(), 'POST', '/small/_refresh', undefined, { headers: globex })).status, 200);
    // Three documents whose answer is well past the buffered size: streamed.
    const big = Math.ceil(BUFFERED_ANSWER_MAX_BYTES / 3 / 7) + 1000;
    for (const id of ['big-1', 'big-2', 'big-3']) assert.equal((await call(url(), 'PUT', `/big/_doc/${id}`, { text: 'secret '.repeat(big) }, { headers: auth })).status, 201);
    assert.equal((await call(url(), 'POST', '/small,big/_refresh', undefined, { headers: auth })).status, 200);
  });
  after(async () => {
    await proxy.close(200);
    hop.server.close();
    await hop.pool.close();
    await engine.close();
  });

  it('a small answer comes whole, with its content-length, the hits mapped', async () => {
    const res = await request(`${url()}/small/_search`, { method: 'POST', body: '{"query":{"match_all":{}}}', headers: { ...auth, 'content-type': 'application/json' } });
    const text = await res.body.text();
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-length'], String(Buffer.byteLength(text)));
    const hits = (JSON.parse(text) as { hits: { hits: { _id: string; _index: string }[] } }).hits.hits;
    assert.deepEqual(hits.map((h) => [h._index, h._id]).sort(), [['small', 'small-1'], ['small', 'small-2']]);
    assert.deepEqual(await globexIds(), ['small/g-1'], 'the tenant sharing the index sees only its own');
  });

  it('a large answer is streamed (no content-length), the hits mapped', async () => {
    const res = await request(`${url()}/big/_search`, { method: 'POST', body: '{"query":{"match_all":{}}}', headers: { ...auth, 'content-type': 'application/json' } });
    const text = await res.body.text();
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-length'], undefined);
    assert.ok(Buffer.byteLength(text) > BUFFERED_ANSWER_MAX_BYTES);
    assert.deepEqual((JSON.parse(text) as { hits: { hits: { _id: string }[] } }).hits.hits.map((h) => h._id).sort(), ['big-1', 'big-2', 'big-3']);
  });

  it('a foreign hit in a small answer is a clean 502 before any byte of it is sent', async () => {
    hop.mode.tamper = true;
    try {
      const res = await call<{ osproxy?: { code: string } }>(url(), 'POST', '/small/_search', { query: { match_all: {} } }, { headers: auth });
      assert.equal(res.status, 502, res.text);
      assert.equal(res.body.osproxy?.code, 'foreign_hit');
      assert.ok(!res.text.includes('secret'), 'nothing of the hit');
      assert.deepEqual(await globexIds(), ['small/g-1'], "acme's refused answers do not disturb globex's");
    } finally {
      hop.mode.tamper = false;
    }
  });

  it('a foreign hit in a large answer cuts the response: the hit never reaches the client', async () => {
    hop.mode.tamper = true;
    try {
      let received = '';
      let failed = false;
      try {
        const res = await request(`${url()}/big/_search`, { method: 'POST', body: '{"query":{"match_all":{}}}', headers: { ...auth, 'content-type': 'application/json' } });
        for await (const chunk of res.body) received += (chunk as Buffer).toString();
      } catch {
        failed = true;
      }
      assert.ok(failed, 'the connection was cut');
      assert.ok(!received.includes('secret'), 'no byte of a foreign hit');
    } finally {
      hop.mode.tamper = false;
    }
  });
});
