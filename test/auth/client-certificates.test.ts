import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Authenticator } from '../../src/auth/index.ts';
import { authFailure, bearer, grantsOf, REMOTE, TENANTS, TOKENS } from './fixtures.ts';

const auth = await Authenticator.create({ tenants: TENANTS });

test('a verified client certificate whose CN is configured authenticates as cert:<CN>', async () => {
  const p = await auth.authenticate({}, { ...REMOTE, certSubjectCn: 'ingest.acme.example' });
  assert.equal(p.id, 'cert:ingest.acme.example');
  assert.equal(p.kind, 'cert');
  assert.deepEqual(grantsOf(p), { acme: ['write'] });
});

test('an unknown certificate CN is 401', async () => {
  await authFailure(auth.authenticate({}, { ...REMOTE, certSubjectCn: 'someone.else' }), { status: 401, code: 'invalid_credentials' });
});

test('an Authorization header takes precedence over the client certificate', async () => {
  const p = await auth.authenticate(bearer(TOKENS.globex), { ...REMOTE, certSubjectCn: 'ingest.acme.example' });
  assert.equal(p.id, 'token:globex-app');
});
