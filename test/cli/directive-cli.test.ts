/**
 * `osproxy directive publish|list|rm|sign` against a running proxy (SPEC §6): the CLI's directive
 * applies to the tenant it names, a killswitch refuses it, a signed header raises one request,
 * and mistakes print one line and exit 2.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call } from '../helpers/http.ts';
import { runCli } from '../helpers/spawn-cli.ts';
import { OPERATOR_TOKEN, startStack, type Stack } from '../helpers/stack.ts';

const KEY = 'cli-debug-header-key-of-32-characters-or-more';

describe('osproxy directive', () => {
  let stack: Stack;
  let env: Record<string, string>;
  const operator = { authorization: `Bearer ${OPERATOR_TOKEN}` };
  let seq = 0;
  async function record(headers: Record<string, string> = {}, tenant = 'acme'): Promise<{ status: number; level?: string }> {
    const id = `cli-${++seq}`;
    const res = await call(stack.url, 'GET', '/orders/_doc/1', undefined, { headers: { ...stack.auth[tenant], 'x-request-id': id, ...headers } });
    const rec = await call<{ level?: string }>(stack.url, 'GET', `/_osproxy/explain/${id}`, undefined, { headers: operator });
    return { status: res.status, level: rec.body.level };
  }

  before(async () => {
    stack = await startStack({ extra: { control: { store: 'memory' }, observe: { debug_header_key: KEY } } });
    env = { OSPROXY_URL: stack.url, OSPROXY_ADMIN_TOKEN: OPERATOR_TOKEN };
    for (const t of ['acme', 'globex']) assert.equal((await call(stack.url, 'PUT', '/orders/_doc/1', { a: 1 }, { headers: stack.auth[t] })).status, 201);
  });
  after(() => stack.close());

  it('publishes, lists and removes a directive', async () => {
    const pub = await runCli(['directive', 'publish', '--id', 'look', '--level', 'rewrite', '--tenant', 'acme', '--endpoint', 'doc_get', '--ttl', '10m', '--ring', '16'], { env });
    assert.equal(pub.code, 0, pub.stderr);
    assert.match(pub.stdout, /directive look published \(version 1\)/);
    assert.equal((await record()).level, 'rewrite');
    assert.equal((await record({}, 'globex')).level, 'shape');
    const list = await runCli(['directive', 'list'], { env });
    assert.match(list.stdout, /^look\s+active\s+rewrite\s+tenant=acme,endpoint=doc_get\s+1000\s+16\s/m);
    const json = await runCli(['directive', 'list', '--json'], { env });
    assert.equal((JSON.parse(json.stdout) as { directives: unknown[] }).directives.length, 1);
    const rm = await runCli(['directive', 'rm', 'look'], { env });
    assert.equal(rm.code, 0, rm.stderr);
    assert.equal((await record()).level, 'shape');
  });

  it('publishes a killswitch that refuses only the tenant it names', async () => {
    const pub = await runCli(['directive', 'publish', '--id', 'stop', '--tenant', 'acme', '--refuse', '403', '--ttl', '5m'], { env });
    assert.equal(pub.code, 0, pub.stderr);
    assert.equal((await record()).status, 403);
    assert.equal((await record({}, 'globex')).status, 200);
    assert.equal((await runCli(['directive', 'rm', 'stop'], { env })).code, 0);
    assert.equal((await record()).status, 200);
  });

  it('signs a header that raises one request', async () => {
    const signed = await runCli(['directive', 'sign', '--level', 'timing', '--ttl', '5m'], { env: { ...env, OSPROXY_DEBUG_HEADER_KEY: KEY } });
    assert.equal(signed.code, 0, signed.stderr);
    const header = signed.stdout.trim();
    assert.match(header, /^[0-9a-f]+\.[0-9a-f]{64}$/);
    assert.equal((await record({ 'x-debug-directive': header })).level, 'timing');
    assert.equal((await record()).level, 'shape', 'only the request that carries it');
  });

  it('names the mistake: a bad duration, no signing key (exit 2), a killswitch over everything (400)', async () => {
    const ttl = await runCli(['directive', 'publish', '--id', 'x', '--level', 'timing', '--ttl', 'forever'], { env });
    assert.equal(ttl.code, 1, 'commander refuses the argument');
    assert.match(ttl.stderr, /--ttl.*must be a duration/);
    const bare = await runCli(['directive', 'publish', '--id', 'x', '--level', 'timing', '--tenant', 'acme', '--ttl', '5'], { env });
    assert.equal(bare.code, 1, 'a duration without a unit is refused');
    assert.match(bare.stderr, /with a unit/);
    const nolevel = await runCli(['directive', 'publish', '--id', 'x', '--tenant', 'acme', '--ttl', '5m'], { env });
    assert.equal(nolevel.code, 2);
    assert.match(nolevel.stderr, /--level is needed/);
    const long = await runCli(['directive', 'sign', '--level', 'timing', '--ttl', '48h'], { env: { ...env, OSPROXY_DEBUG_HEADER_KEY: KEY } });
    assert.equal(long.code, 2, 'a header the proxy would refuse is not signed');
    assert.match(long.stderr, /refuses headers valid for more than 3600 s/);
    const nokey = await runCli(['directive', 'sign', '--level', 'timing', '--ttl', '1m'], { env: { ...env, OSPROXY_DEBUG_HEADER_KEY: '' } });
    assert.equal(nokey.code, 2);
    assert.equal(nokey.stderr.trim().split('\n').length, 1, nokey.stderr);
    const refused = await runCli(['directive', 'publish', '--id', 'all', '--level', 'timing', '--refuse', '503', '--ttl', '1m'], { env });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^osproxy: 400: refuse: a refusing directive needs match.tenant or match.endpoint$/m);
  });
});
