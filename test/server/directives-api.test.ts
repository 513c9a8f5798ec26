/**
 * The directive admin API and what directives record on one instance (SPEC §6): bad bodies are
 * refused with 400 naming the problem (nothing is published), CAS with `if_version`, levels as
 * recorded in explain records, signed debug headers counted by outcome, break-glass rings.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { signDebugHeader } from '../../src/observe/debug-header.ts';
import { call } from '../helpers/http.ts';
import { OPERATOR_TOKEN, startStack, type Stack } from '../helpers/stack.ts';

const KEY = 'debug-header-key-of-at-least-32-characters';
const operator = { authorization: `Bearer ${OPERATOR_TOKEN}` };
type ErrorBody = { error: { type: string; reason: string } };
const inSeconds = (s: number): string => new Date(Date.now() + s * 1000).toISOString();

describe('the directive admin API and what directives record', () => {
  let stack: Stack;
  let seq = 0;
  const admin = (method: string, path: string, body?: unknown) => call<ErrorBody & Record<string, unknown>>(stack.url, method, `/_osproxy/admin${path}`, body, { headers: operator });

  /** The explain record of one request (`headers` added to the tenant's). */
  async function recordOf(tenant: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const id = `rec-${++seq}`;
    await call(stack.url, method, path, body, { headers: { ...stack.auth[tenant], 'x-request-id': id, ...headers } });
    return (await call<Record<string, unknown>>(stack.url, 'GET', `/_osproxy/explain/${id}`, undefined, { headers: operator })).body;
  }

  before(async () => {
    stack = await startStack({ extra: { control: { store: 'memory' }, observe: { debug_header_key: KEY } } });
    for (const t of ['acme', 'globex']) {
      const put = await call(stack.url, 'PUT', '/orders/_doc/1?refresh=true', { title: 'first order', qty: 2 }, { headers: stack.auth[t] });
      assert.equal(put.status, 201, put.text);
    }
  });
  after(() => stack.close());

  it('refuses unknown keys, unknown levels, a sample over 1000, a past expiry, and a killswitch naming no tenant or endpoint', async () => {
    const ok = { match: { tenant: 'acme' }, level: 'timing', expires_at: inSeconds(60) };
    const cases: [unknown, RegExp][] = [
      [{ ...ok, colour: 'blue' }, /unknown key\(s\) "colour"/],
      [{ ...ok, match: { tenant: 'acme', tennant: 'x' } }, /match: unknown key\(s\) "tennant"/],
      [{ ...ok, level: 'verbose' }, /level/],
      [{ ...ok, sample_per_mille: 1001 }, /sample_per_mille/],
      [{ ...ok, expires_at: inSeconds(-10) }, /in the past/],
      [{ ...ok, expires_at: '2026-12-01 20:00' }, /RFC 3339/],
      [{ ...ok, match: { index: 'orders' }, refuse: { status: 503 } }, /needs match.tenant or match.endpoint/],
      [{ ...ok, refuse: { status: 500 } }, /refuse.status/],
      [{ ...ok, match: { endpoint: 'no_such_endpoint' } }, /match.endpoint/],
      [{ ...ok, id: 'x' }, /unknown key\(s\) "id"/],
      [{ ...ok, expires_at: inSeconds(8 * 86_400) }, /more than 604800 s away/],
      [{ match: { tenant: 'acme' }, level: 'timing' }, /expires_at: is required/],
      [{ ...ok, refuse: { status: 500 } }, /refuse.status: must be 503 or 403/],
    ];
    for (const [body, reason] of cases) {
      const res = await admin('PUT', '/directives/bad', body);
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
      assert.match(res.body.error.reason, reason);
    }
    assert.equal((await admin('PUT', '/directives/has space', ok)).status, 400, 'an invalid id');
    const param = await admin('PUT', '/directives/bad?colour=blue', ok);
    assert.equal(param.status, 400);
    assert.match(param.body.error.reason, /parameter \[colour\] is not allowed/);
    assert.equal((await admin('GET', '/directives/bad')).status, 404, 'nothing was published');
  });

  it('publishes with compare-and-set on if_version', async () => {
    const body = { match: { tenant: 'globex' }, level: 'shape', expires_at: inSeconds(60) };
    assert.equal((await admin('PUT', '/directives/cas?if_version=0', body)).status, 201);
    const conflict = await admin('PUT', '/directives/cas?if_version=0', body);
    assert.equal(conflict.status, 409);
    assert.match(conflict.body.error.reason, /at version \[1\], not \[0\]/);
    assert.equal((await admin('PUT', '/directives/cas?if_version=1', body)).status, 200);
    assert.equal((await admin('GET', '/directives/cas')).body.version, 2);
    assert.equal((await admin('DELETE', '/directives/cas')).status, 200);
  });

  it('records stages at timing and the body shape (never values) at rewrite, for the named tenant only', async () => {
    const shape = await recordOf('acme', 'POST', '/orders/_search', { query: { match: { title: 'first' } } });
    assert.equal(shape.level, 'shape');
    assert.equal(shape.route, '/{index}/_search');
    assert.deepEqual(shape.indices, ['orders']);
    assert.equal(shape.rewrite, undefined);
    assert.equal((await admin('PUT', '/directives/acme-rw', { match: { tenant: 'acme', endpoint: 'search' }, level: 'rewrite', expires_at: inSeconds(60) })).status, 201);
    const rw = await recordOf('acme', 'POST', '/orders/_search', { query: { match: { title: 'first' } } });
    assert.equal(rw.level, 'rewrite');
    assert.deepEqual(rw.directives, ['acme-rw'], 'the record names the directive that raised it');
    assert.ok(rw.stages_ms !== undefined, 'rewrite includes timing');
    const rewrite = rw.rewrite as { before: unknown; after: unknown };
    assert.deepEqual(rewrite.before, { query: { match: { title: '<string>' } } });
    assert.ok(!JSON.stringify(rw).includes('first'), 'no query value in the record');
    assert.notDeepEqual(rewrite.after, rewrite.before, 'the rewritten shape differs (tenant filter, physical names)');
    assert.equal((await recordOf('globex', 'POST', '/orders/_search', { query: { match_all: {} } })).level, 'shape', 'the other tenant is not raised');
    assert.equal((await recordOf('acme', 'GET', '/orders/_doc/1')).level, 'shape', 'another endpoint of the tenant is not raised');
    await admin('DELETE', '/directives/acme-rw');
  });

  it('raises one request with a valid signed header, and counts tampered, expired and wrong-key headers by reason', async () => {
    const exp = (s: number): number => Math.floor(Date.now() / 1000) + s;
    const good = signDebugHeader(KEY, 'timing', exp(120));
    assert.equal((await recordOf('acme', 'GET', '/orders/_doc/1', undefined, { 'x-debug-directive': good })).level, 'timing');
    const [payload, mac] = good.split('.');
    const tampered = `${Buffer.from(Buffer.from(payload, 'hex').toString().replace('timing', 'rewrite')).toString('hex')}.${mac}`;
    const bad = { tampered, expired: signDebugHeader(KEY, 'rewrite', exp(-5)), wrong_key: signDebugHeader('another-key-that-is-also-32-characters-long', 'rewrite', exp(120)) };
    for (const [why, header] of Object.entries(bad)) {
      const rec = await recordOf('acme', 'GET', '/orders/_doc/1', undefined, { 'x-debug-directive': header });
      assert.equal(rec.level, 'shape', `${why} raises nothing`);
    }
    const metrics = (await call(stack.url, 'GET', '/_osproxy/metrics', undefined, { headers: operator })).text;
    for (const outcome of ['accepted', 'tampered', 'expired', 'wrong_key']) assert.match(metrics, new RegExp(`osproxy_debug_headers_total\\{outcome="${outcome}"\\} 1\\b`), outcome);
  });

  it('records a streamed _bulk like any request: bytes in, its indexes, and its upstream stage', async () => {
    assert.equal((await admin('PUT', '/directives/acme-bulk', { match: { tenant: 'acme', endpoint: 'bulk' }, level: 'timing', expires_at: inSeconds(60) })).status, 201);
    const lines = [{ index: { _index: 'orders', _id: 'b1' } }, { title: 'bulk one' }, { index: { _index: 'items', _id: 'b2' } }, { title: 'bulk two' }];
    const sent = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
    const rec = await recordOf('acme', 'POST', '/_bulk', sent, { 'content-type': 'application/x-ndjson' });
    assert.equal(rec.bytes_in, Buffer.byteLength(sent));
    assert.deepEqual([...(rec.indices as string[])].sort(), ['items', 'orders']);
    assert.ok((rec.stages_ms as Record<string, number>).upstream > 0, JSON.stringify(rec.stages_ms));
    const metrics = (await call(stack.url, 'GET', '/_osproxy/metrics', undefined, { headers: operator })).text;
    assert.match(metrics, /osproxy_bytes_in_total\{endpoint="bulk"\} [1-9]/);
    assert.equal((await admin('DELETE', '/directives/acme-bulk')).status, 200);
  });

  it('copies matching explain records into a bounded break-glass ring, and nothing of another tenant', async () => {
    assert.equal((await admin('PUT', '/directives/acme-ring', { match: { tenant: 'acme' }, level: 'timing', ring_buffer: { size: 3 }, expires_at: inSeconds(60) })).status, 201);
    for (let i = 0; i < 5; i++) {
      await recordOf('acme', 'GET', '/orders/_doc/1');
      await recordOf('globex', 'GET', '/orders/_doc/1');
    }
    const res = await admin('GET', '/breakglass?directive=acme-ring');
    const ring = (res.body.rings as Record<string, { tenant: string; request_id: string; stages_ms?: unknown }[]>)['acme-ring'];
    assert.equal(ring.length, 3, 'bounded by its size');
    assert.ok(ring.every((r) => r.tenant === 'acme' && r.stages_ms !== undefined));
    const order = ring.map((r) => Number(r.request_id.slice('rec-'.length)));
    assert.deepEqual(order, [...order].sort((a, b) => b - a), 'newest first');
    assert.equal((await admin('DELETE', '/directives/acme-ring')).status, 200);
    await recordOf('acme', 'GET', '/orders/_doc/1');
    const after = await admin('GET', '/breakglass?directive=acme-ring');
    assert.equal((after.body.rings as Record<string, unknown[]>)['acme-ring'].length, 3, 'still readable after the directive is gone, and no longer filled');
    assert.equal((await admin('GET', '/breakglass?directive=never-published')).status, 404);
    assert.equal((await admin('GET', '/breakglass?colour=blue')).status, 400);
  });
});
