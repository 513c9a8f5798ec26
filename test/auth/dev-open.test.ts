import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Authenticator } from '../../src/auth/index.ts';
import { authFailure, bearer, LOCAL, REMOTE, TENANTS, TOKENS } from './fixtures.ts';

const dev = await Authenticator.create({ tenants: TENANTS, devOpen: true });

test('dev-open on loopback lets a caller without credentials use any configured tenant with all roles', async () => {
  assert.equal(dev.devOpen, true);
  const p = await dev.authenticate({}, LOCAL);
  assert.equal(p.id, 'dev');
  assert.equal(p.kind, 'dev');
  for (const tenant of ['acme', 'globex', 'initech']) {
    const b = dev.bind(p, tenant);
    assert.equal(b.tenant, tenant);
    assert.deepEqual([...b.roles].sort(), ['manage', 'read', 'write']);
  }
});

test('dev-open still needs x-osproxy-tenant to name a configured tenant', async () => {
  const p = await dev.authenticate({}, LOCAL);
  await authFailure(() => dev.bind(p, undefined), { status: 400, code: 'tenant_required' });
  await authFailure(() => dev.bind(p, 'nosuch'), { status: 403, code: 'tenant_forbidden' });
  await authFailure(() => dev.bind(p, 'Bad Id'), { status: 400 });
});

test('dev-open is ignored off loopback: normal authentication applies', async () => {
  await authFailure(dev.authenticate({}, REMOTE), { status: 401, code: 'missing_credentials' });
  assert.equal((await dev.authenticate(bearer(TOKENS.acme), REMOTE)).id, 'token:acme-app');
});

test('on loopback, credentials that are sent are still checked', async () => {
  assert.equal((await dev.authenticate(bearer(TOKENS.acme), LOCAL)).id, 'token:acme-app');
  await authFailure(dev.authenticate(bearer('bogus'), LOCAL), { status: 401 });
});

test('without devOpen, loopback callers need credentials like anyone else', async () => {
  const normal = await Authenticator.create({ tenants: TENANTS });
  assert.equal(normal.devOpen, false);
  await authFailure(normal.authenticate({}, LOCAL), { status: 401, code: 'missing_credentials' });
});
