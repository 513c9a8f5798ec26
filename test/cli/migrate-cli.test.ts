/**
 * `osproxy migrate` as an operator runs it against a running proxy (SPEC §5.3, §5.5): start
 * follows to `verified`, status --json has the documented keys, verify, cutover, reverse; bad
 * input is one clear line and an exit code, never a stack trace.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { hashToken } from '../../src/auth/index.ts';
import { spawnEngine, type EngineProcess } from '../helpers/engine-process.ts';
import { call } from '../helpers/http.ts';
import { spawnProxy, type ProxyProcess } from '../helpers/proxy-process.ts';
import { runCli } from '../helpers/spawn-cli.ts';

const ACME = { authorization: 'Bearer acme-token' };

describe('osproxy migrate', () => {
  let engine: EngineProcess;
  let proxy: ProxyProcess;
  let base: string[];
  const env = { OSPROXY_ADMIN_TOKEN: 'cli-operator' };

  before(async () => {
    engine = await spawnEngine();
    proxy = await spawnProxy({
      listeners: [{ host: '127.0.0.1', port: 0 }],
      clusters: { default: { url: engine.url, request_timeout_ms: 2_000 } },
      operators: [{ name: 'sre', token_sha256: hashToken('cli-operator') }],
      tenants: { acme: { principals: [{ name: 'app', token_sha256: hashToken('acme-token'), roles: ['read', 'write', 'manage'] }] } },
      tenancy: { cursor_key_b64: randomBytes(32).toString('base64') },
      control: { poll_ms: 100, heartbeat_ms: 100, write_fence_ms: 2_000, migration_lease_ms: 1_500, migration_cleanup_grace_ms: 200 },
      log_level: 'warn',
    });
    base = ['--tenant', 'acme', '--index', 'orders', '--url', proxy.url];
    const lines = Array.from({ length: 120 }, (_, i) => [{ index: { _index: 'orders', _id: `d${i}` } }, { n: i }]).flat();
    const res = await call<{ errors: boolean }>(proxy.url, 'POST', '/_bulk?refresh=true', lines, { headers: ACME, ndjson: true });
    assert.equal(res.body.errors, false, res.text.slice(0, 300));
  });
  after(async () => {
    await proxy.stop();
    await engine.stop();
  });

  it('start follows to verified; status, verify, cutover and reverse do what they say', async () => {
    const started = await runCli(['migrate', 'start', ...base, '--to', 'index', '--json'], { env });
    assert.equal(started.code, 0, started.stderr);
    assert.equal((JSON.parse(started.stdout) as { state: string }).state, 'verified');
    assert.match(started.stderr, /acme\/orders: shared → index, (copying|catching_up|verified)/, 'state changes are shown');

    const status = await runCli(['migrate', 'status', ...base, '--json'], { env });
    assert.equal(status.code, 0, status.stderr);
    const s = JSON.parse(status.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(s), ['tenant', 'index', 'from', 'to', 'state', 'epoch', 'copied', 'total', 'diff']);
    assert.deepEqual([s.tenant, s.index, s.from, s.to, s.state, s.copied, s.total], ['acme', 'orders', 'shared', 'index', 'verified', 120, 120]);

    const verify = await runCli(['migrate', 'verify', ...base, '--deep'], { env });
    assert.equal(verify.code, 0, verify.stderr);
    assert.match(verify.stdout, /acme\/orders: clean \(120 = 120\)/);

    const cut = await runCli(['migrate', 'cutover', ...base], { env });
    assert.equal(cut.code, 0, cut.stderr);
    assert.match(cut.stdout, /shared → index, complete/);
    const count = await call<{ count: number }>(proxy.url, 'GET', '/orders/_count', undefined, { headers: ACME });
    assert.equal(count.body.count, 120, 'every document is served from the new placement');
    assert.equal((await call(engine.url, 'HEAD', '/t-acme-orders')).status, 200, 'the index lives in its dedicated index now');

    const back = await runCli(['migrate', 'reverse', ...base, '--auto-cutover', '--json'], { env });
    assert.equal(back.code, 0, back.stderr);
    const r = JSON.parse(back.stdout) as { from: string; to: string; state: string };
    assert.deepEqual([r.from, r.to, r.state], ['index', 'shared', 'complete']);
    const again = await call<{ count: number }>(proxy.url, 'GET', '/orders/_count', undefined, { headers: ACME });
    assert.equal(again.body.count, 120);
    const metrics = await call(proxy.url, 'GET', '/_osproxy/metrics', undefined, { headers: { authorization: 'Bearer cli-operator' } });
    assert.match(metrics.text, /^osproxy_migrations\{state="complete"\} 1$/m, 'the migration is counted by state');
    assert.match(metrics.text, /^osproxy_migrations\{state="copying"\} 0$/m);
  });

  it('bad input: one line naming the problem and an exit code, no stack trace', async () => {
    const cases: [string[], Record<string, string>, number, RegExp][] = [
      [['migrate', 'start', ...base, '--to', 'moon'], env, 1, /must be shared, index or cluster:NAME/],
      [['migrate', 'start', ...base, '--to', 'shared'], env, 1, /400: index \[orders\] already lives in placement \[shared\]/],
      [['migrate', 'start', ...base, '--to', 'cluster:nowhere'], env, 1, /cluster \[nowhere\] is not configured/],
      [['migrate', 'status', '--tenant', 'acme', '--index', 'invoices', '--url', proxy.url], env, 1, /404: no migration of index \[invoices\]/],
      [['migrate', 'status', ...base], { OSPROXY_ADMIN_TOKEN: '' }, 2, /no operator token/],
      [['migrate', 'cutover', ...base], { OSPROXY_ADMIN_TOKEN: 'wrong' }, 1, /^osproxy: 401/],
      [['migrate', 'status', '--index', 'orders', '--url', proxy.url], env, 1, /required option '--tenant <tenant>' not specified/],
    ];
    for (const [args, e, code, message] of cases) {
      const run = await runCli(args, { env: e });
      assert.equal(run.code, code, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message, args.join(' '));
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    }
  });
});
