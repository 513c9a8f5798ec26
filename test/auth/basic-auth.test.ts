import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { AuthConfigError, Authenticator, hashPassword, type AuthError } from '../../src/auth/index.ts';
import { TenantSchema } from '../../src/config/tenant-schema.ts';
import { authFailure, basic, grantsOf, PASSWORDS, REMOTE, TENANTS } from './fixtures.ts';

const shape = (e: AuthError): unknown => ({ status: e.status, type: e.type, code: e.code, reason: e.reason, www: e.wwwAuthenticate });

async function timed<T>(f: () => Promise<T>): Promise<[number, T | undefined]> {
  const t0 = performance.now();
  let v: T | undefined;
  try {
    v = await f();
  } catch {
    v = undefined;
  }
  return [performance.now() - t0, v];
}

/** The fastest of `n` runs: a loaded machine only ever adds time, so the minimum is what the code costs. */
async function fastest<T>(n: number, f: () => Promise<T>): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < n; i++) best = Math.min(best, (await timed(f))[0]);
  return best;
}

test('basic auth with the right password authenticates as user:<name>', async () => {
  const auth = await Authenticator.create({ tenants: TENANTS });
  const p = await auth.authenticate(basic('alice', PASSWORDS.alice), REMOTE);
  assert.equal(p.id, 'user:alice');
  assert.equal(p.kind, 'basic');
  assert.deepEqual(grantsOf(p), { acme: ['read', 'write'] });
});

test('a wrong password and an unknown user get the identical 401', async () => {
  const auth = await Authenticator.create({ tenants: TENANTS });
  const wrong = await authFailure(auth.authenticate(basic('alice', 'not-her-password'), REMOTE), { status: 401 });
  const unknown = await authFailure(auth.authenticate(basic('mallory', 'whatever'), REMOTE), { status: 401 });
  assert.deepEqual(shape(unknown), shape(wrong));
  assert.equal(wrong.code, 'invalid_credentials');
});

test('an unknown user still pays for scrypt, so timing does not reveal which users exist', async () => {
  const auth = await Authenticator.create({ tenants: TENANTS });
  // Failed attempts are not cached: every run pays (or skips) scrypt again.
  const wrongMs = await fastest(5, () => auth.authenticate(basic('alice', 'nope-1'), REMOTE));
  const unknownMs = await fastest(5, () => auth.authenticate(basic('nobody', 'nope-2'), REMOTE));
  // Generous: both run one scrypt of the same cost; a skipped scrypt would be ~100x faster.
  assert.ok(unknownMs > wrongMs / 5, `unknown user ${unknownMs.toFixed(1)} ms vs wrong password ${wrongMs.toFixed(1)} ms`);
});

test('a second verification of the same credentials is served from the cache, without scrypt', async () => {
  const auth = await Authenticator.create({ tenants: TENANTS });
  const [firstMs, first] = await timed(() => auth.authenticate(basic('bob', PASSWORDS.bob), REMOTE));
  const [, second] = await timed(() => auth.authenticate(basic('bob', PASSWORDS.bob), REMOTE));
  assert.ok(first !== undefined && first === second);
  const secondMs = await fastest(5, () => auth.authenticate(basic('bob', PASSWORDS.bob), REMOTE));
  assert.ok(secondMs * 5 < firstMs, `cached ${secondMs.toFixed(2)} ms vs first ${firstMs.toFixed(2)} ms`);
});

test('failed attempts are not cached: the right password still works after a wrong one, and vice versa', async () => {
  const auth = await Authenticator.create({ tenants: TENANTS });
  await authFailure(auth.authenticate(basic('alice', 'wrong'), REMOTE), { status: 401 });
  assert.equal((await auth.authenticate(basic('alice', PASSWORDS.alice), REMOTE)).id, 'user:alice');
  await authFailure(auth.authenticate(basic('alice', 'wrong'), REMOTE), { status: 401 });
});

test('concurrent identical logins share one verification and all succeed', async () => {
  const auth = await Authenticator.create({ tenants: TENANTS });
  const all = await Promise.all(Array.from({ length: 8 }, () => auth.authenticate(basic('bob', PASSWORDS.bob), REMOTE)));
  assert.ok(all.every((p) => p.id === 'user:bob'));
});

test('malformed basic credentials are 401', async () => {
  const auth = await Authenticator.create({ tenants: TENANTS });
  await authFailure(auth.authenticate({ authorization: 'Basic !!!not-base64' }, REMOTE), { status: 401, code: 'invalid_credentials' });
  const noColon = `Basic ${Buffer.from('alice').toString('base64')}`;
  await authFailure(auth.authenticate({ authorization: noColon }, REMOTE), { status: 401, code: 'invalid_credentials' });
});

test('a password containing colons is split at the first colon only', async () => {
  const password = 'pa:ss:word';
  const tenants = { acme: TenantSchema.parse({ principals: [{ username: 'carol', password_scrypt: await hashPassword(password) }] }) };
  const auth = await Authenticator.create({ tenants });
  assert.equal((await auth.authenticate(basic('carol', password), REMOTE)).id, 'user:carol');
});

test('one username with different password hashes under two tenants is a configuration error', async () => {
  const [h1, h2] = await Promise.all([hashPassword('one'), hashPassword('two')]);
  const tenants = {
    a: TenantSchema.parse({ principals: [{ username: 'dave', password_scrypt: h1 }] }),
    b: TenantSchema.parse({ principals: [{ username: 'dave', password_scrypt: h2 }] }),
  };
  await assert.rejects(Authenticator.create({ tenants }), AuthConfigError);
});

test('a username without a password hash, or a malformed hash, is a configuration error', async () => {
  const noHash = { a: TenantSchema.parse({ principals: [{ username: 'erin' }] }) };
  await assert.rejects(Authenticator.create({ tenants: noHash }), AuthConfigError);
  const bad = { a: TenantSchema.parse({ principals: [{ username: 'erin', password_scrypt: 'scrypt$1$2$3$x$y' }] }) };
  await assert.rejects(Authenticator.create({ tenants: bad }), AuthConfigError);
});
