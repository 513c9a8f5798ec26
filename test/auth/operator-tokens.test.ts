import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthConfigError, hashToken, OperatorAuth, OperatorsSchema } from '../../src/auth/index.ts';
import { authFailure, basic, bearer, errorText, TOKENS } from './fixtures.ts';

const OPS_TOKEN = 'operator-secret-token-1';
const ops = new OperatorAuth(
  OperatorsSchema.parse([
    { name: 'oncall', token_sha256: hashToken(OPS_TOKEN) },
    { name: 'deploy', token_sha256: hashToken('operator-secret-token-2') },
  ]),
);

test('a configured operator token is accepted and names the operator', () => {
  assert.deepEqual(ops.check(bearer(OPS_TOKEN)), { name: 'oncall' });
  assert.deepEqual(ops.check(bearer('operator-secret-token-2')), { name: 'deploy' });
});

test('a wrong operator token is 401 with a Bearer challenge and no secrets', async () => {
  const e = await authFailure(() => ops.check(bearer('guess')), { status: 401, code: 'invalid_credentials' });
  assert.equal(e.wwwAuthenticate, 'Bearer realm="osproxy-admin"');
  for (const s of ['guess', hashToken('guess'), hashToken(OPS_TOKEN), 'oncall', 'deploy']) assert.ok(!errorText(e).includes(s), s);
});

test('tenant tokens are not operator tokens', async () => {
  await authFailure(() => ops.check(bearer(TOKENS.acme)), { status: 401 });
});

test('operators authenticate with Bearer only; no header is 401 missing_credentials', async () => {
  await authFailure(() => ops.check(basic('oncall', OPS_TOKEN)), { status: 401 });
  await authFailure(() => ops.check({}), { status: 401, code: 'missing_credentials' });
});

test('with no operators configured the admin API is refused with 403', async () => {
  await authFailure(() => new OperatorAuth([]).check(bearer(OPS_TOKEN)), { status: 403, code: 'admin_disabled' });
});

test('operator config must carry a SHA-256 hex, never a raw token', () => {
  assert.throws(() => OperatorsSchema.parse([{ name: 'x', token_sha256: OPS_TOKEN }]));
  assert.throws(() => new OperatorAuth([{ name: 'x', token_sha256: OPS_TOKEN }]), AuthConfigError);
});
