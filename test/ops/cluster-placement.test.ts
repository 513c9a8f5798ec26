import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { hashToken } from '../../src/auth/index.ts';
import { startEngine, type RunningEngine } from '../../src/engine/engine.ts';
import { parseConfig } from '../../src/config/load.ts';
import { startProxy, type RunningProxy } from '../../src/server/proxy-server.ts';
import { call } from '../helpers/http.ts';

type Body = Record<string, unknown> & { osproxy?: { code: string }; hits?: { hits: { _id: string; _index: string }[] } };

describe('cluster placement: a logical index on a second cluster', () => {
  let main: RunningEngine;
  let second: RunningEngine;
  let proxy: RunningProxy;
  const auth = { headers: { authorization: 'Bearer acme-t' } };

  before(async () => {
    main = await startEngine({ port: 0 });
    second = await startEngine({ port: 0 });
    proxy = await startProxy(
      parseConfig({
        listeners: [{ host: '127.0.0.1', port: 0 }],
        clusters: { default: { url: main.url }, second: { url: second.url } },
        tenants: {
          acme: {
            indices: { events: { kind: 'cluster', cluster: 'second', index_template: 'acme-{lindex}' } },
            principals: [{ token_sha256: hashToken('acme-t') }],
          },
        },
      }),
      { log: pino({ level: 'silent' }) },
    );
  });
  after(async () => {
    await proxy.close(200);
    await main.close();
    await second.close();
  });

  it('writes and reads the index on its own cluster with untouched ids and bodies', async () => {
    const put = await call<Body>(proxy.urls[0], 'PUT', '/events/_doc/e1?refresh=true', { kind: 'login' }, auth);
    assert.equal(put.status, 201);
    assert.equal(put.body._index, 'events');
    const raw = await call<Body>(second.url, 'GET', '/acme-events/_doc/e1');
    assert.deepEqual(raw.body._source, { kind: 'login' });
    assert.equal((await call(main.url, 'GET', '/acme-events/_doc/e1')).status, 404, 'nothing on the default cluster');
    const found = await call<Body>(proxy.urls[0], 'POST', '/events/_search', { query: { match: { kind: 'login' } } }, auth);
    assert.deepEqual(found.body.hits?.hits.map((h) => [h._index, h._id]), [['events', 'e1']]);
  });

  it('refuses one search across indexes on different clusters', async () => {
    await call(proxy.urls[0], 'PUT', '/orders/_doc/o1?refresh=true', { item: 'x' }, auth);
    const res = await call<Body>(proxy.urls[0], 'POST', '/orders,events/_search', { query: { match_all: {} } }, auth);
    assert.equal(res.status, 400);
    assert.equal(res.body.osproxy?.code, 'multiple_clusters');
  });
});
