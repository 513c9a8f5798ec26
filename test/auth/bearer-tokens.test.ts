import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthConfigError, Authenticator, hashToken, WWW_AUTHENTICATE } from '../../src/auth/index.ts';
import { TenantSchema } from '../../src/config/tenant-schema.ts';
import { authFailure, bearer, grantsOf, REMOTE, TENANTS, TOKENS } from './fixtures.ts';

const auth = await Authenticator.create({ tenants: TENANTS });

test('hashToken is the lowercase hex SHA-256 of the token', () => {
  assert.equal(hashToken('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('a configured bearer token authenticates as its named principal with its tenant grant', async () => {
  const p = await auth.authenticate(bearer(TOKENS.acme), REMOTE);
  assert.equal(p.id, 'token:acme-app');
  assert.equal(p.kind, 'token');
  assert.deepEqual(grantsOf(p), { acme: ['manage', 'read', 'write'] });
});

test('an unnamed token is identified by the first 8 hex digits of its hash', async () => {
  const p = await auth.authenticate(bearer(TOKENS.unnamed), REMOTE);
  assert.equal(p.id, `token:${hashToken(TOKENS.unnamed).slice(0, 8)}`);
  assert.deepEqual(grantsOf(p), { initech: ['read'] });
});

test('the scheme name is case-insensitive and surrounding spaces are ignored', async () => {
  const p = await auth.authenticate({ authorization: `  bearer   ${TOKENS.globex} ` }, REMOTE);
  assert.equal(p.id, 'token:globex-app');
});

test('an unknown bearer token is 401 invalid_credentials with a challenge', async () => {
  const e = await authFailure(auth.authenticate(bearer('not-a-configured-token'), REMOTE), {
    status: 401,
    type: 'security_exception',
    code: 'invalid_credentials',
  });
  assert.equal(e.wwwAuthenticate, WWW_AUTHENTICATE);
});

test('no credentials at all is 401 missing_credentials with WWW-Authenticate: Basic realm="osproxy", Bearer', async () => {
  const e = await authFailure(auth.authenticate({}, REMOTE), { status: 401, type: 'security_exception', code: 'missing_credentials' });
  assert.equal(e.wwwAuthenticate, 'Basic realm="osproxy", Bearer');
  assert.deepEqual(e.headers, { 'www-authenticate': 'Basic realm="osproxy", Bearer' });
});

test('an empty bearer value and an unsupported scheme are 401', async () => {
  await authFailure(auth.authenticate({ authorization: 'Bearer' }, REMOTE), { status: 401 });
  await authFailure(auth.authenticate({ authorization: 'Digest username="x"' }, REMOTE), { status: 401, code: 'invalid_credentials' });
});

test('the same token listed under several tenants is one principal with several grants', async () => {
  const p = await auth.authenticate(bearer(TOKENS.multi), REMOTE);
  assert.deepEqual(grantsOf(p), { acme: ['read'], globex: ['read', 'write'] });
});

test('a principal entry without any credential is a configuration error', async () => {
  const tenants = { acme: TenantSchema.parse({ principals: [{ name: 'nothing' }] }) };
  await assert.rejects(Authenticator.create({ tenants }), AuthConfigError);
});

test('an invalid tenant id in config is a configuration error', async () => {
  const tenants = { 'Not Valid': TenantSchema.parse({ principals: [{ token_sha256: hashToken('x') }] }) };
  await assert.rejects(Authenticator.create({ tenants }), AuthConfigError);
});
