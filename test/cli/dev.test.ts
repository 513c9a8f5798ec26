import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@opensearch-project/opensearch';
import { unsealCursor } from '../../src/tenancy/cursor-seal.ts';
import { call } from '../helpers/http.ts';
import { spawnCli, type SpawnedCli } from '../helpers/spawn-cli.ts';
import { signDebugHeader } from '../../src/observe/debug-header.ts';

/*
 * `npm start` (= `osproxy dev`) as an operator first meets it: a real process on a free port,
 * driven with the official client — scrolling needs the cursor key dev generates; the operator
 * token it prints opens the metrics and the admin API; each request is one short terminal line.
 */

const CURSOR_KEY = randomBytes(32);

async function waitFor(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('osproxy dev (npm start) as a real process', () => {
  let dev: SpawnedCli;
  let url: string;
  let operatorToken: string;
  const client = (token: string): Client => new Client({ node: url, headers: { authorization: `Bearer ${token}` } });

  before(async () => {
    dev = await spawnCli(['dev', '--port', '0'], [], { OSPROXY_CURSOR_KEY: CURSOR_KEY.toString('base64') });
    url = (dev.address.osproxy as string[])[0];
    operatorToken = dev.address.operator_token as string;
  });
  after(async () => {
    dev.child.kill('SIGTERM');
    await dev.exited;
  });

  it('prints a machine-readable first line with the proxy URL on a free port and an operator token', () => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(new URL(url).port, '9200');
    assert.match(dev.address.engine as string, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(operatorToken, /^dev-operator-[A-Za-z0-9_-]{16}$/);
  });

  it('prints a debug header key that the running proxy accepts (osproxy directive sign --key)', async () => {
    const key = dev.address.debug_header_key as string;
    assert.ok(key.length >= 32);
    const header = signDebugHeader(key, 'timing', Math.floor(Date.now() / 1000) + 60);
    const id = `dev-debug-${Date.now()}`;
    assert.equal((await call(url, 'GET', '/', undefined, { headers: { authorization: 'Bearer acme-dev-token', 'x-debug-directive': header, 'x-request-id': id } })).status, 200);
    const rec = await call<{ level?: string }>(url, 'GET', `/_osproxy/explain/${id}`, undefined, { headers: { authorization: `Bearer ${operatorToken}` } });
    assert.equal(rec.body.level, 'timing');
  });

  it('scrolls with the official client (helpers.scrollDocuments), the other tenant seeing none of it', async () => {
    const acme = client('acme-dev-token');
    const body = Array.from({ length: 25 }, (_, i) => [{ index: { _index: 'orders', _id: `o-${i}` } }, { n: i }]).flat();
    const bulk = await acme.bulk({ body, refresh: true });
    assert.equal(bulk.body.errors, false);
    const seen: number[] = [];
    for await (const doc of acme.helpers.scrollDocuments<{ n: number }>({ index: 'orders', scroll: '1m', size: 10, body: { sort: [{ n: 'asc' }] } } as never)) seen.push(doc.n);
    assert.deepEqual(seen, [...Array(25).keys()]);
    const globex: unknown[] = [];
    const globexClient = client('globex-dev-token');
    await globexClient.index({ index: 'orders', id: 'g', body: { n: 100 }, refresh: true });
    for await (const doc of globexClient.helpers.scrollDocuments({ index: 'orders', scroll: '1m', size: 10 } as never)) globex.push(doc);
    assert.deepEqual(globex, [{ n: 100 }]);
  });

  it('seals cursors with OSPROXY_CURSOR_KEY when it is set', async () => {
    const res = await call(url, 'POST', '/orders/_search?scroll=1m', { size: 1 }, { headers: { authorization: 'Bearer acme-dev-token' } });
    assert.equal(res.status, 200, res.text);
    assert.equal(unsealCursor({ current: CURSOR_KEY, previous: [] }, res.body._scroll_id as string)?.payload.t, 'acme');
  });

  it('the printed operator token opens /_osproxy/metrics, explain and the admin API', async () => {
    const auth = { authorization: `Bearer ${operatorToken}` };
    const metrics = await call(url, 'GET', '/_osproxy/metrics', undefined, { headers: auth });
    assert.equal(metrics.status, 200);
    assert.match(metrics.text, /osproxy_requests_total/);
    const tenants = await call<{ tenants: { id: string }[] }>(url, 'GET', '/_osproxy/admin/tenants', undefined, { headers: auth });
    assert.equal(tenants.status, 200, tenants.text);
    assert.deepEqual(tenants.body.tenants.map((t) => t.id), ['acme', 'globex']);
    const search = await call(url, 'GET', '/orders/_count', undefined, { headers: { authorization: 'Bearer acme-dev-token' } });
    const explain = await call(url, 'GET', `/_osproxy/explain/${search.headers['x-request-id'] as string}`, undefined, { headers: auth });
    assert.equal(explain.status, 200, explain.text);
    assert.equal(explain.body.tenant, 'acme');
    assert.equal((await call(url, 'GET', '/_osproxy/metrics', undefined, { headers: { authorization: 'Bearer acme-dev-token' } })).status, 401);
  });

  it('shows one compact line per request (method, path, status, tenant, ms), not pino JSON', async () => {
    await call(url, 'GET', '/orders/_doc/o-3', undefined, { headers: { authorization: 'Bearer globex-dev-token' } });
    const line = /^\d\d:\d\d:\d\d GET \/orders\/_doc\/o-3 → 404 globex \d+(\.\d)? ms$/m;
    await waitFor('the request line', () => line.test(dev.stdout()));
    assert.match(dev.stdout(), /^\d\d:\d\d:\d\d POST \/_search\/scroll → 200 acme \d+(\.\d)? ms$/m);
    assert.doesNotMatch(dev.stdout(), /^\{"level"/m);
    assert.match(dev.stdout(), /npm start -- --port N/);
  });
});
