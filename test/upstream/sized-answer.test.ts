/**
 * UpstreamCluster.requestSized: an answer that declares a small length arrives whole in one
 * buffer; a larger or undeclared one streams through undici's body with its backpressure, and
 * failures and cancellation reach the stream — against a real HTTP server on loopback.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { UpstreamCluster } from '../../src/upstream/cluster.ts';
import { loopbackCluster } from './loopback-cluster.ts';
import { isWhole } from '../../src/upstream/sized-answer.ts';

const LIMIT = 1024;
const MIB = 1024 * 1024;

describe('sized upstream answers', () => {
  let server: Server;
  let cluster: UpstreamCluster;
  let resetsLeft = 0;
  /** Bytes of the endless answer the server got to write, and whether its connection closed. */
  const endless = { written: 0, closed: false };

  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/small') return void res.writeHead(200, { 'content-type': 'application/json', 'content-length': '11' }).end('{"small":1}');
      if (req.url === '/chunked') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"chunked":');
        return void setTimeout(() => res.end('true}'), 5);
      }
      if (req.url === '/large') return void res.writeHead(200, { 'content-length': String(LIMIT + 1) }).end('x'.repeat(LIMIT + 1));
      if (req.url === '/flaky') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': resetsLeft > 0 ? '100' : '14' });
        if (resetsLeft-- > 0) {
          res.write('{"partial":');
          return void setTimeout(() => req.socket.destroy(), 5);
        }
        return void res.end('{"whole":true}');
      }
      if (req.url === '/cut') {
        res.writeHead(200, { 'content-length': String(10 * LIMIT) });
        res.write('y'.repeat(2 * LIMIT));
        return void setTimeout(() => req.socket.destroy(), 20);
      }
      if (req.url === '/endless') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.on('close', () => (endless.closed = true));
        const chunk = Buffer.alloc(64 * 1024, 'z');
        const pump = (): void => {
          for (let more = true; more && !res.destroyed; ) {
            more = res.write(chunk);
            endless.written += chunk.length;
          }
          if (!res.destroyed) res.once('drain', pump);
        };
        return pump();
      }
      res.writeHead(204).end();
    });
    cluster = await loopbackCluster(server);
  });
  after(async () => {
    await cluster.close();
    server.closeAllConnections();
    server.close();
  });

  const get = (path: string) => cluster.requestSized({ method: 'GET', path, idempotent: true }, LIMIT);

  it('an answer that declares at most the limit arrives whole, headers parsed', async () => {
    const answer = await get('/small');
    assert.ok(isWhole(answer));
    assert.equal(answer.body.toString(), '{"small":1}');
    assert.equal(answer.headers['content-type'], 'application/json');
  });

  it('an answer without a declared length streams, and reads like a pool.request body', async () => {
    const answer = await get('/chunked');
    assert.ok(!isWhole(answer));
    assert.equal(answer.status, 200);
    assert.deepEqual(await answer.body.json(), { chunked: true });
  });

  it('an answer declared one byte over the limit streams', async () => {
    const answer = await get('/large');
    assert.ok(!isWhole(answer));
    assert.equal((await answer.body.text()).length, LIMIT + 1);
  });

  it('a small read cut mid-body is retried and keeps only the completed attempt', async () => {
    resetsLeft = 1;
    const answer = await get('/flaky');
    assert.ok(isWhole(answer));
    assert.equal(answer.body.toString(), '{"whole":true}');
  });

  it('a streamed answer cut mid-body fails its stream, it does not hang', async () => {
    const answer = await get('/cut');
    assert.ok(!isWhole(answer));
    await assert.rejects(answer.body.text());
  });

  it('a streamed answer nobody reads holds back the upstream, and dropping it closes the connection', async () => {
    const answer = await get('/endless');
    assert.ok(!isWhole(answer));
    // As for a pool.request body, dropping it unread is an abort the consumer (a pipeline) hears.
    const aborted = new Promise((resolve) => answer.body.once('error', resolve));
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Socket buffers and the body's high-water mark hold a few MiB at most: the rest waits upstream.
      assert.ok(endless.written < 16 * MIB, `the server wrote ${endless.written} bytes to a reader that read none`);
    } finally {
      answer.body.destroy();
    }
    assert.equal(((await aborted) as Error).name, 'AbortError');
    for (let i = 0; i < 100 && !endless.closed; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(endless.closed, 'the upstream connection was closed');
  });
});
