import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashToken } from '../../src/auth/index.ts';
import { call } from '../helpers/http.ts';
import { runCli } from '../helpers/spawn-cli.ts';
import { OPERATOR_TOKEN, startStack, type Stack } from '../helpers/stack.ts';

type ErrorBody = { error: { type: string; reason: string }; osproxy: { code: string } };

describe('the tenant admin API refuses bad input and applies nothing of it', () => {
  let stack: Stack;
  const operator = { authorization: `Bearer ${OPERATOR_TOKEN}` };
  const admin = (method: string, path: string, body?: unknown, headers: Record<string, string> = operator) =>
    call<ErrorBody>(stack.url, method, `/_osproxy/admin${path}`, body, { headers });

  before(async () => {
    stack = await startStack();
  });
  after(() => stack.close());

  it('needs an operator token: missing → 401, wrong → 401, a tenant token → 401', async () => {
    assert.equal((await admin('GET', '/tenants', undefined, {})).status, 401);
    assert.equal((await admin('GET', '/tenants', undefined, { authorization: 'Bearer wrong' })).status, 401);
    assert.equal((await admin('GET', '/tenants', undefined, stack.auth.acme)).status, 401);
  });

  it('names the problem: malformed JSON, unknown keys, an invalid id, a duplicate principal', async () => {
    const cases: [string, unknown, RegExp][] = [
      ['/tenants/initech', '{"principals": [', /not valid JSON/],
      ['/tenants/initech', { principals: [], colour: 'blue' }, /unknown key\(s\) "colour"/],
      ['/tenants/initech', { principals: [{ name: 'a', token_sha256: hashToken('x'), rolez: ['read'] }] }, /principals\.0: unknown key\(s\) "rolez"/],
      ['/tenants/initech', { principals: [{ token_sha256: hashToken('x') }] }, /principals\.0\.name/],
      ['/tenants/Not_Valid', { principals: [] }, /must match/],
      ['/tenants/initech', { principals: [{ name: 'a', token_sha256: hashToken('x') }, { name: 'a', token_sha256: hashToken('y') }] }, /the name \[a\] is used twice/],
      ['/tenants/initech', { placement: { kind: 'index', index_template: 'only-{lindex}' } }, /must contain \{tenant\}/],
    ];
    for (const [path, body, reason] of cases) {
      const res = await admin('PUT', path, body);
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
      assert.match(res.body.error.reason, reason);
    }
    assert.equal((await admin('GET', '/tenants/initech')).status, 404, 'nothing was created');
  });

  it('does not tell which tenant holds a username', async () => {
    const hash = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
    assert.equal((await admin('PUT', '/tenants/one', { principals: [{ name: 'u', username: 'shared', password_scrypt: hash }] })).status, 201);
    const res = await admin('PUT', '/tenants/two', { principals: [{ name: 'u', username: 'shared', password_scrypt: hash.replace(/A=$/, 'B=') }] });
    assert.equal(res.status, 400);
    assert.doesNotMatch(res.text, /\bone\b/);
  });

  it('answers 404 for unknown tenants and principals, 405 for a wrong method', async () => {
    assert.equal((await admin('POST', '/tenants/nobody/_suspend')).status, 404);
    assert.equal((await admin('POST', '/tenants/acme/principals/nobody/_rotate')).status, 404);
    assert.equal((await admin('DELETE', '/tenants/nobody')).status, 404);
    assert.equal((await admin('POST', '/tenants')).status, 405);
    assert.equal((await admin('GET', '/nothing-here')).status, 404);
  });

  it('pages through the tenants with size and after', async () => {
    const first = await call<{ tenants: { id: string }[]; next: string | null }>(stack.url, 'GET', '/_osproxy/admin/tenants?size=1', undefined, { headers: operator });
    assert.equal(first.body.tenants.length, 1);
    assert.notEqual(first.body.next, null);
    const rest = await call<{ tenants: { id: string }[]; next: string | null }>(stack.url, 'GET', `/_osproxy/admin/tenants?size=100&after=${first.body.next}`, undefined, { headers: operator });
    assert.ok(rest.body.tenants.every((t) => t.id > (first.body.next as string)));
    assert.equal((await admin('GET', '/tenants?size=x')).status, 400);
  });

  it('drives the same API from the CLI, with one line and exit 1 or 2 on failure', { timeout: 120_000 }, async () => {
    const base = ['--url', stack.url, '--token', OPERATOR_TOKEN];
    const added = await runCli(['tenant', 'add', 'cli-co', ...base, '--json']);
    assert.equal(added.code, 0, added.stderr);
    const token = (JSON.parse(added.stdout) as { token: string }).token;
    assert.equal((await call(stack.url, 'GET', '/_search', undefined, { headers: { authorization: `Bearer ${token}` } })).status, 200);
    const listed = await runCli(['tenant', 'list', ...base]);
    assert.match(listed.stdout, /^TENANT\s+STATE/);
    assert.match(listed.stdout, /\ncli-co\s+active/);
    const again = await runCli(['tenant', 'add', 'cli-co', ...base]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^osproxy: tenant \[cli-co\] exists already/);
    const noToken = await runCli(['tenant', 'list', '--url', stack.url], { env: { OSPROXY_ADMIN_TOKEN: '' } });
    assert.equal(noToken.code, 2);
    assert.match(noToken.stderr, /no operator token/);
    const file = join(mkdtempSync(join(tmpdir(), 'osproxy-import-')), 'tenants.yaml');
    writeFileSync(file, `tenants:\n  imp-a: { principals: [ { name: app, token_sha256: "${hashToken('imp')}" } ] }\n  imp-b: { principalz: [] }\n`);
    const imported = await runCli(['tenant', 'import', file, ...base, '--json']);
    assert.equal(imported.code, 1, 'one tenant failed');
    const results = JSON.parse(imported.stdout) as { tenant: string; result: string }[];
    assert.deepEqual(results.map((r) => [r.tenant, r.result.split(':')[0]]), [['imp-a', 'created'], ['imp-b', 'failed']]);
    assert.match(results[1].result, /principalz/);
    const suspended = await runCli(['tenant', 'suspend', 'imp-a', ...base]);
    assert.match(suspended.stdout, /imp-a is suspended/);
    const rotated = await runCli(['tenant', 'rotate', 'imp-a', 'app', ...base, '--json']);
    assert.equal(rotated.code, 0, rotated.stderr);
    const shown = await runCli(['tenant', 'show', 'imp-a', ...base]);
    assert.match(shown.stdout, /imp-a\s+suspended/);
    const removed = await runCli(['tenant', 'rm', 'imp-a', ...base]);
    assert.match(removed.stdout, /deleted \(its data is kept\)/);
    const instances = await runCli(['instances', ...base]);
    assert.match(instances.stdout, /^INSTANCE\s+VERSION/);
  });
});
