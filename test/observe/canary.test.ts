/**
 * The canary (SPEC §6): a distinctive document value, written and searched at every level with
 * every directive kind active, never appears in logs, explain records, the break-glass ring,
 * metrics or exported spans. Levels record shapes — names, kinds, sizes, timings — never values.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { hashToken } from '../../src/auth/index.ts';
import { signDebugHeader } from '../../src/observe/debug-header.ts';
import { spawnEngine, type EngineProcess } from '../helpers/engine-process.ts';
import { call } from '../helpers/http.ts';
import { startOtlpReceiver, waitFor, type OtlpReceiver } from '../helpers/otlp-receiver.ts';
import { spawnProxy, type ProxyProcess } from '../helpers/proxy-process.ts';

const CANARY = `canary${randomBytes(6).toString('hex')}`;
const KEY = 'canary-test-debug-header-key-32-chars-long';
const OPERATOR = { authorization: 'Bearer canary-operator' };
const ACME = { authorization: 'Bearer acme-token' };

describe('no document value is ever recorded', () => {
  let engine: EngineProcess;
  let proxy: ProxyProcess;
  let receiver: OtlpReceiver;
  const ids: string[] = [];

  before(async () => {
    engine = await spawnEngine();
    receiver = await startOtlpReceiver();
    proxy = await spawnProxy({
      listeners: [{ host: '127.0.0.1', port: 0 }],
      clusters: { default: { url: engine.url } },
      operators: [{ name: 'sre', token_sha256: hashToken('canary-operator') }],
      tenants: { acme: { principals: [{ name: 'app', token_sha256: hashToken('acme-token'), roles: ['read', 'write', 'manage'] }] } },
      tenancy: { cursor_key_b64: randomBytes(32).toString('base64') },
      control: { store: 'memory' },
      observe: { debug_header_key: KEY, traces: { otlp_endpoint: receiver.url, export_interval_ms: 50 } },
      log_level: 'debug',
    });
  });
  after(async () => {
    await proxy?.stop();
    await engine?.stop();
    await receiver?.close();
  });

  it('keeps the canary, and every credential, out of logs, explain records, break-glass rings, metrics and spans', async () => {
    const expires = new Date(Date.now() + 600_000).toISOString();
    const directives: Record<string, unknown> = {
      tenant: { match: { tenant: 'acme' }, level: 'timing', ring_buffer: { size: 500 }, expires_at: expires },
      search: { match: { endpoint: 'search' }, level: 'rewrite', ring_buffer: { size: 500 }, expires_at: expires },
      index: { match: { index: 'orders' }, level: 'rewrite', sample_per_mille: 500, expires_at: expires },
      principal: { match: { principal: 'acme/app' }, level: 'shape', expires_at: expires },
      kill: { match: { tenant: 'acme', endpoint: 'doc_delete' }, level: 'rewrite', refuse: { status: 403 }, expires_at: expires },
    };
    for (const [id, d] of Object.entries(directives)) assert.equal((await call(proxy.url, 'PUT', `/_osproxy/admin/directives/${id}`, d, { headers: OPERATOR })).status, 201);
    const exp = Math.floor(Date.now() / 1000) + 300;
    const levels: Record<string, string>[] = [{}, ...(['shape', 'timing', 'rewrite'] as const).map((l) => ({ 'x-debug-directive': signDebugHeader(KEY, l, exp) }))];
    let n = 0;
    const send = async (method: string, path: string, body?: unknown, extra: Record<string, string> = {}, ndjson = false): Promise<void> => {
      const id = `canary-req-${++n}`;
      ids.push(id);
      const res = await call(proxy.url, method, path, body, { headers: { ...ACME, ...extra, 'x-request-id': id }, ndjson });
      assert.ok(res.status < 500, `${method} ${path}: ${res.status} ${res.text}`);
    };
    for (const header of levels) {
      await send('PUT', '/orders/_doc/1?refresh=true', { note: CANARY, nested: { deep: [CANARY, 1] } }, header);
      await send('POST', '/orders/_doc?refresh=true', { note: `${CANARY} again` }, header);
      await send('POST', '/_bulk?refresh=true', [{ index: { _index: 'orders', _id: '2' } }, { note: CANARY }, { update: { _index: 'orders', _id: '1' } }, { doc: { note: CANARY } }], header, true);
      await send('POST', '/orders/_update/1', { doc: { note: CANARY } }, header);
      await send('POST', '/orders/_search', { query: { match: { note: CANARY } }, aggs: { notes: { terms: { field: 'note.keyword', include: CANARY } } } }, header);
      await send('GET', `/orders/_search?q=note:${CANARY}`, undefined, header);
      await send('POST', '/orders/_count', { query: { term: { 'note.keyword': CANARY } } }, header);
      await send('POST', '/_msearch', [{ index: 'orders' }, { query: { match: { note: CANARY } } }], header, true);
      await send('POST', '/_mget', { docs: [{ _index: 'orders', _id: '1' }] }, header);
      await send('GET', '/orders/_doc/1', undefined, header);
      await send('DELETE', '/orders/_doc/1', undefined, header); // refused by the killswitch
      await send('POST', '/orders/_delete_by_query?refresh=true', { query: { match: { note: 'nothing-like-it' } } }, header);
      await send('POST', '/orders/_search', { query: { match: { note: { query: CANARY, fuzziness: 'AUTO' } } } }, header);
    }
    // The canary is really there (the test would prove nothing if no request carried it).
    const found = await call<{ hits: { total: { value: number } } }>(proxy.url, 'POST', '/orders/_search', { query: { match: { note: CANARY } } }, { headers: ACME });
    assert.ok(found.body.hits.total.value >= 1, found.text);

    const seen: Record<string, string> = {};
    const explains: string[] = [];
    for (const id of ids) {
      const rec = await call(proxy.url, 'GET', `/_osproxy/explain/${id}`, undefined, { headers: OPERATOR });
      if (rec.status === 200) explains.push(rec.text);
    }
    seen.explain = explains.join('\n');
    seen.breakglass = (await call(proxy.url, 'GET', '/_osproxy/admin/breakglass', undefined, { headers: OPERATOR })).text;
    seen.metrics = (await call(proxy.url, 'GET', '/_osproxy/metrics', undefined, { headers: OPERATOR })).text;
    seen.logs = proxy.stdout();
    await waitFor('spans of the last request', () => receiver.spans.some((sp) => sp.attributes['osproxy.request_id'] === ids[ids.length - 1]));
    seen.spans = Buffer.concat(receiver.raw).toString('utf8');
    assert.ok(receiver.spans.every((sp) => sp.attributes['osproxy.endpoint'] !== 'other'), 'admin calls (directives, explain, metrics) are not traced');
    assert.ok(explains.length > ids.length / 2, `explain records were kept (${explains.length})`);
    assert.match(seen.explain, /"level":"rewrite"/, 'rewrite-level records were made');
    assert.match(seen.explain, /"rewrite":\{"before"/, 'with body shapes');
    assert.match(seen.breakglass, /canary-req-/, 'the rings hold records');
    assert.match(seen.logs, /"msg":"request"/, 'request lines were logged');
    for (const [where, text] of Object.entries(seen)) assert.ok(!text.includes(CANARY), `the canary appears in ${where}`);
    for (const secret of ['acme-token', 'canary-operator', KEY]) {
      for (const [where, text] of Object.entries(seen)) assert.ok(!text.includes(secret), `a credential appears in ${where}`);
    }
  });
});
