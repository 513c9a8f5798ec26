/**
 * UpstreamCluster.requestBuffered: an answer collected whole by a dispatch handler, against a real
 * HTTP server on loopback — status, headers and a body sent in pieces; a read retried after a
 * connection reset keeps nothing of the failed attempt; a write is never retried.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { UpstreamCluster } from '../../src/upstream/cluster.ts';
import { loopbackCluster } from './loopback-cluster.ts';
import { OsproxyError } from '../../src/http/errors.ts';

describe('buffered upstream answers', () => {
  let server: Server;
  let cluster: UpstreamCluster;
  let resetsLeft = 0;
  let writes = 0;

  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/pieces') {
        res.writeHead(207, [['content-type', 'application/json'], ['x-seen', 'a'], ['X-Seen', 'b']]);
        res.write('{"pie');
        setTimeout(() => res.write('ces":['), 5);
        setTimeout(() => res.end('1,2,3]}'), 10);
        return;
      }
      if (req.url === '/flaky') {
        if (resetsLeft > 0) {
          resetsLeft--;
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
          res.write('{"partial":');
          setTimeout(() => req.socket.destroy(), 5);
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"whole":true}');
        return;
      }
      if (req.url === '/write') {
        writes++;
        req.socket.destroy();
        return;
      }
      res.writeHead(204).end();
    });
    cluster = await loopbackCluster(server);
  });
  after(async () => {
    await cluster.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('collects a body sent in pieces, with the status and every header', async () => {
    const answer = await cluster.requestBuffered({ method: 'GET', path: '/pieces', idempotent: true });
    assert.equal(answer.status, 207);
    assert.equal(answer.headers['content-type'], 'application/json');
    assert.deepEqual(answer.headers['x-seen'], ['a', 'b']);
    assert.deepEqual(JSON.parse(answer.body.toString()), { pieces: [1, 2, 3] });
  });

  it('answers an empty body as zero bytes', async () => {
    const answer = await cluster.requestBuffered({ method: 'GET', path: '/empty', idempotent: true });
    assert.equal(answer.status, 204);
    assert.equal(answer.body.length, 0);
  });

  it('retries a read cut mid-body and keeps only the attempt that completed', async () => {
    resetsLeft = 1;
    const answer = await cluster.requestBuffered({ method: 'GET', path: '/flaky', idempotent: true });
    assert.equal(resetsLeft, 0, 'the first attempt was cut');
    assert.deepEqual(JSON.parse(answer.body.toString()), { whole: true });
  });

  it('never retries a write: one attempt, then a 502 that names no address', async () => {
    writes = 0;
    await assert.rejects(cluster.requestBuffered({ method: 'PUT', path: '/write', body: '{}', idempotent: false }), (e: unknown) => {
      assert.ok(e instanceof OsproxyError);
      assert.equal(e.status, 502);
      assert.doesNotMatch(e.reason, /127\.0\.0\.1/);
      return true;
    });
    assert.equal(writes, 1);
  });
});
