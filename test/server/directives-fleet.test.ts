/**
 * Diagnostics directives and killswitches across a fleet (SPEC §6): three `serve` processes on one
 * fleet store. A directive published through one instance applies on all three within 2 s and
 * stops at its expiry; a killswitch refuses the tenant it names on all three and lifts at expiry;
 * a second tenant is never touched by either.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { hashToken } from '../../src/auth/index.ts';
import { spawnEngine, type EngineProcess } from '../helpers/engine-process.ts';
import { call } from '../helpers/http.ts';
import { spawnProxy, type ProxyProcess } from '../helpers/proxy-process.ts';

const OPERATOR = { authorization: 'Bearer directive-operator' };
const ACME = { authorization: 'Bearer acme-token' };
const GLOBEX = { authorization: 'Bearer globex-token' };

let engine: EngineProcess;
const proxies: ProxyProcess[] = [];
let seq = 0;

const inSeconds = (s: number): string => new Date(Date.now() + s * 1000).toISOString();

/** The level a request to `url` as `who` records, read back from that instance's explain record. */
async function levelOn(url: string, who: Record<string, string>): Promise<{ status: number; level?: string; stages?: unknown }> {
  const id = `probe-${process.pid}-${++seq}`;
  const res = await call(url, 'GET', '/orders/_doc/1', undefined, { headers: { ...who, 'x-request-id': id } });
  const rec = await call<{ level?: string; stages_ms?: unknown }>(url, 'GET', `/_osproxy/explain/${id}`, undefined, { headers: OPERATOR });
  return { status: res.status, level: rec.body.level, stages: rec.body.stages_ms };
}

/** Polls until `ok` holds on every instance; returns the ms it took. */
async function untilAll(ok: (url: string) => Promise<boolean>, limitMs: number, what: string): Promise<number> {
  const started = Date.now();
  const pending = new Set(proxies.map((p) => p.url));
  while (pending.size > 0) {
    for (const url of [...pending]) if (await ok(url)) pending.delete(url);
    if (pending.size === 0) break;
    assert.ok(Date.now() - started < limitMs, `${what}: not on ${[...pending].join(', ')} after ${limitMs} ms`);
    await sleep(20);
  }
  return Date.now() - started;
}

describe('directives across three instances', () => {
  before(async () => {
    engine = await spawnEngine();
    const config = {
      listeners: [{ host: '127.0.0.1', port: 0 }],
      clusters: { default: { url: engine.url } },
      operators: [{ name: 'sre', token_sha256: hashToken('directive-operator') }],
      tenants: {
        acme: { principals: [{ name: 'app', token_sha256: hashToken('acme-token'), roles: ['read', 'write', 'manage'] }] },
        globex: { principals: [{ name: 'app', token_sha256: hashToken('globex-token'), roles: ['read', 'write', 'manage'] }] },
      },
      tenancy: { cursor_key_b64: randomBytes(32).toString('base64') },
      control: { poll_ms: 100, heartbeat_ms: 200 },
      log_level: 'warn',
    };
    for (let i = 0; i < 3; i++) proxies.push(await spawnProxy(config));
    for (const who of [ACME, GLOBEX]) {
      const put = await call(proxies[0].url, 'PUT', '/orders/_doc/1?refresh=true', { item: 'x' }, { headers: who });
      assert.equal(put.status, 201, put.text);
    }
    await untilAll(async (url) => (await levelOn(url, ACME)).status === 200 && (await levelOn(url, GLOBEX)).status === 200, 10_000, 'the index on every instance');
  });

  after(async () => {
    for (const p of proxies) await p.stop().catch(() => undefined);
    await engine?.stop();
  });

  it('applies a directive on all three within 2 s, only to the tenant it names, and stops it at its expiry', async () => {
    const before = await levelOn(proxies[1].url, ACME);
    assert.equal(before.level, 'shape');
    assert.equal(before.stages, undefined, 'shape records no stage timings');
    const expiresAt = inSeconds(5);
    const put = await call(proxies[0].url, 'PUT', '/_osproxy/admin/directives/acme-timing', { match: { tenant: 'acme' }, level: 'timing', expires_at: expiresAt }, { headers: OPERATOR });
    assert.equal(put.status, 201, put.text);
    const tookMs = await untilAll(async (url) => (await levelOn(url, ACME)).level === 'timing', 2_000, 'the directive');
    assert.ok(tookMs <= 2_000, `took ${tookMs} ms`);
    for (const p of proxies) {
      const acme = await levelOn(p.url, ACME);
      assert.ok(typeof acme.stages === 'object' && acme.stages !== null && 'upstream' in acme.stages, `timing records stages: ${JSON.stringify(acme.stages)}`);
      assert.equal((await levelOn(p.url, GLOBEX)).level, 'shape', 'another tenant is not raised');
    }
    const listed = await call<{ directives: { id: string; active: boolean; published_by: string }[] }>(proxies[2].url, 'GET', '/_osproxy/admin/directives', undefined, { headers: OPERATOR });
    assert.deepEqual(listed.body.directives.map((d) => [d.id, d.active, d.published_by]), [['acme-timing', true, 'sre']]);
    // At expiry it stops by itself, on every instance, with nobody removing it.
    await untilAll(async (url) => (await levelOn(url, ACME)).level === 'shape', 8_000, 'the expiry');
    assert.ok(Date.now() >= Date.parse(expiresAt) - 50, 'not before its expiry');
    for (const p of proxies) {
      await untilAll(async () => p.stdout().includes('"action":"directive.expire"'), 3_000, 'the expiry audit line');
    }
    const audit = proxies[0].stdout().split('\n').filter((l) => l.includes('"action":"directive.publish"'));
    assert.equal(audit.length, 1, 'the publish is audit-logged where it was made');
  });

  it('refuses the named tenant on all three with a killswitch, never the other tenant, and lifts it at expiry', async () => {
    const expiresAt = inSeconds(5);
    const put = await call(proxies[2].url, 'PUT', '/_osproxy/admin/directives/acme-off', { match: { tenant: 'acme', endpoint: 'doc_get' }, level: 'shape', expires_at: expiresAt, refuse: { status: 503 } }, { headers: OPERATOR });
    assert.equal(put.status, 201, put.text);
    await untilAll(async (url) => (await levelOn(url, ACME)).status === 503, 2_000, 'the killswitch');
    for (const p of proxies) {
      const refused = await call<{ error: { type: string; reason: string }; status: number }>(p.url, 'GET', '/orders/_doc/1', undefined, { headers: ACME });
      assert.equal(refused.status, 503);
      assert.equal(refused.body.error.type, 'unavailable_exception');
      assert.match(refused.body.error.reason, /refused by an operator directive until/);
      assert.ok(Number(refused.headers['retry-after']) >= 1, 'retryable, with Retry-After');
      assert.equal((await levelOn(p.url, GLOBEX)).status, 200, 'the other tenant is served');
      const search = await call(p.url, 'POST', '/orders/_search', { query: { match_all: {} } }, { headers: ACME });
      assert.equal(search.status, 200, 'another endpoint of the same tenant is served');
    }
    await untilAll(async (url) => (await levelOn(url, ACME)).status === 200, 8_000, 'the lift at expiry');
    assert.ok(Date.now() >= Date.parse(expiresAt) - 50, 'not lifted before its expiry');
    const metrics = await call(proxies[2].url, 'GET', '/_osproxy/metrics', undefined, { headers: OPERATOR });
    assert.match(metrics.text, /osproxy_killswitch_refusals_total\{status="503"\} [1-9]/);
    for (const p of proxies) assert.ok(!p.stdout().includes('"msg":"request failed"'), 'a refusal is not logged as an error (with a stack)');
  });

  it('removes a directive on every instance when it is deleted', async () => {
    const put = await call(proxies[0].url, 'PUT', '/_osproxy/admin/directives/acme-rewrite', { match: { tenant: 'acme' }, level: 'rewrite', expires_at: inSeconds(600) }, { headers: OPERATOR });
    assert.equal(put.status, 201, put.text);
    await untilAll(async (url) => (await levelOn(url, ACME)).level === 'rewrite', 2_000, 'the directive');
    const del = await call(proxies[1].url, 'DELETE', '/_osproxy/admin/directives/acme-rewrite', undefined, { headers: OPERATOR });
    assert.equal(del.status, 200, del.text);
    await untilAll(async (url) => (await levelOn(url, ACME)).level === 'shape', 2_000, 'the removal');
    const again = await call(proxies[1].url, 'DELETE', '/_osproxy/admin/directives/acme-rewrite', undefined, { headers: OPERATOR });
    assert.equal(again.status, 404);
  });
});
