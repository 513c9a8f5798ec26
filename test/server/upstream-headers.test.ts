import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { hashToken } from '../../src/auth/index.ts';
import { parseConfig } from '../../src/config/load.ts';
import { startProxy, type RunningProxy } from '../../src/server/proxy-server.ts';
import { call } from '../helpers/http.ts';

// A recording upstream (unit test of header hygiene only; the proxy's behaviour against a real
// engine is covered by the other suites).
describe('the client Authorization is never forwarded; the cluster credentials are', () => {
  let upstream: Server;
  let proxy: RunningProxy;
  const seen: IncomingHttpHeaders[] = [];

  before(async () => {
    upstream = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ version: { number: '2.17.0' }, hits: { hits: [] } }));
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    const port = (upstream.address() as AddressInfo).port;
    proxy = await startProxy(
      parseConfig({
        listeners: [{ host: '127.0.0.1', port: 0 }],
        clusters: { default: { url: `http://127.0.0.1:${port}`, auth: { username: 'svc', password: 'cluster-secret' } } },
        // A recording stub is no fleet store: the control state stays in this process.
        control: { store: 'memory' },
        tenants: { acme: { principals: [{ token_sha256: hashToken('client-secret-token') }] } },
      }),
      { log: pino({ level: 'silent' }) },
    );
  });
  after(async () => {
    await proxy.close(200);
    await new Promise<void>((r) => upstream.close(() => r()));
  });

  it('replaces the caller’s credentials with the cluster’s on every upstream request', async () => {
    const res = await call(proxy.urls[0], 'GET', '/', undefined, { headers: { authorization: 'Bearer client-secret-token' } });
    assert.equal(res.status, 200);
    const forwarded = seen.filter((h) => h['x-opaque-id'] !== undefined);
    assert.ok(forwarded.length > 0);
    for (const h of forwarded) {
      assert.equal(h.authorization, `Basic ${Buffer.from('svc:cluster-secret').toString('base64')}`);
      assert.doesNotMatch(JSON.stringify(h), /client-secret-token/);
    }
  });
});
