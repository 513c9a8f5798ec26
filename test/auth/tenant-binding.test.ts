import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Authenticator, tenantHeaderOf } from '../../src/auth/index.ts';
import { authFailure, bearer, errorText, REMOTE, TENANTS, TOKENS } from './fixtures.ts';

const auth = await Authenticator.create({ tenants: TENANTS });
const single = await auth.authenticate(bearer(TOKENS.acme), REMOTE);
const multi = await auth.authenticate(bearer(TOKENS.multi), REMOTE);

test('a single-grant principal binds to its tenant without a header', () => {
  const b = auth.bind(single, undefined);
  assert.equal(b.tenant, 'acme');
  assert.deepEqual([...b.roles].sort(), ['manage', 'read', 'write']);
  assert.equal(b.principal, single);
});

test('a single-grant principal may also name its own tenant', () => {
  assert.equal(auth.bind(single, 'acme').tenant, 'acme');
  assert.equal(auth.bind(single, '').tenant, 'acme');
});

test('a multi-grant principal without the header is 400 tenant_required', async () => {
  const e = await authFailure(() => auth.bind(multi, undefined), { status: 400, code: 'tenant_required' });
  assert.ok(!errorText(e).includes('acme') && !errorText(e).includes('globex'));
});

test('a multi-grant principal binds to the tenant it names, with that tenant\'s roles', () => {
  const a = auth.bind(multi, 'acme');
  assert.equal(a.tenant, 'acme');
  assert.deepEqual([...a.roles], ['read']);
  const g = auth.bind(multi, 'globex');
  assert.deepEqual([...g.roles].sort(), ['read', 'write']);
});

test('naming a tenant the principal may not use is 403 naming only that tenant', async () => {
  const e = await authFailure(() => auth.bind(multi, 'initech'), { status: 403, type: 'security_exception', code: 'tenant_forbidden' });
  assert.equal(e.reason, 'principal is not allowed to use tenant [initech]');
  for (const other of ['acme', 'globex']) assert.ok(!errorText(e).includes(other), other);
  const s = await authFailure(() => auth.bind(single, 'globex'), { status: 403 });
  assert.ok(!errorText(s).includes('acme'));
});

test('naming a tenant that does not exist is the same 403 as a forbidden one', async () => {
  const e = await authFailure(() => auth.bind(single, 'nosuch'), { status: 403, code: 'tenant_forbidden' });
  assert.equal(e.reason, 'principal is not allowed to use tenant [nosuch]');
});

test('a header that is not a tenant id is 400 and is not echoed', async () => {
  for (const bad of ['ACME', '../acme', 'acme,globex', '-acme', 'a'.repeat(65)]) {
    const e = await authFailure(() => auth.bind(multi, bad), { status: 400, code: 'invalid_tenant_header', type: 'illegal_argument_exception' });
    assert.ok(!e.reason.includes(bad));
  }
});

test('a repeated x-osproxy-tenant header never binds', async () => {
  const value = tenantHeaderOf({ 'x-osproxy-tenant': ['acme', 'globex'] });
  await authFailure(() => auth.bind(multi, value), { status: 400 });
  assert.equal(tenantHeaderOf({ 'x-osproxy-tenant': 'acme' }), 'acme');
  assert.equal(tenantHeaderOf({}), undefined);
});
