import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { CredentialCache, type Authenticator, type PeerInfo, type Principal } from '../../src/auth/index.ts';
import { call } from '../helpers/http.ts';
import { OPERATOR_TOKEN, startStack, type Stack } from '../helpers/stack.ts';

const PEER: PeerInfo = { loopback: true };

/** An authenticator that counts its verifications and answers from a table (undefined ⇒ 401). */
function countingAuth(table: Record<string, Principal | undefined>): { auth: Authenticator; calls: () => number } {
  let calls = 0;
  const auth = {
    authenticate: (headers: IncomingHttpHeaders): Promise<Principal> => {
      calls++;
      const p = table[headers.authorization ?? ''];
      return p === undefined ? Promise.reject(new Error('invalid credentials')) : Promise.resolve(p);
    },
  } as unknown as Authenticator;
  return { auth, calls: () => calls };
}

const principal = (id: string, extra: Partial<Principal> = {}): Principal => ({ id, kind: 'token', grants: new Map(), ...extra });

test('a verified token is answered from the cache while the snapshot is the same one, and verified again after any change', async () => {
  const { auth, calls } = countingAuth({ 'Bearer a': principal('token:a') });
  const cache = new CredentialCache();
  const first = {};
  const headers = { authorization: 'Bearer a' };
  for (let i = 0; i < 5; i++) assert.equal((await cache.authenticate(first, auth, headers, PEER)).id, 'token:a');
  assert.equal(calls(), 1, 'verified once for five requests');
  await cache.authenticate({}, auth, headers, PEER);
  assert.equal(calls(), 2, 'a new snapshot (any change) verifies again');
  assert.equal(cache.size, 1, 'the old snapshot\'s entries are gone');
});

test('failures, Basic credentials and requests without a header are never cached', async () => {
  const basic = principal('user:u', { kind: 'basic' });
  const { auth, calls } = countingAuth({ 'Basic dTpw': basic });
  const cache = new CredentialCache();
  const snapshot = {};
  for (let i = 0; i < 3; i++) await assert.rejects(cache.authenticate(snapshot, auth, { authorization: 'Bearer nope' }, PEER));
  for (let i = 0; i < 3; i++) await cache.authenticate(snapshot, auth, { authorization: 'Basic dTpw' }, PEER);
  for (let i = 0; i < 3; i++) await assert.rejects(cache.authenticate(snapshot, auth, {}, PEER));
  assert.equal(calls(), 9);
  assert.equal(cache.size, 0);
});

test('a JWT is kept no longer than its exp', async () => {
  let now = 1_000_000;
  const jwt = principal('jwt:s', { kind: 'jwt', expiresAtMs: now + 10_000 });
  const { auth, calls } = countingAuth({ 'Bearer x.y.z': jwt });
  const cache = new CredentialCache(16, () => now);
  const snapshot = {};
  await cache.authenticate(snapshot, auth, { authorization: 'Bearer x.y.z' }, PEER);
  now += 9_000;
  await cache.authenticate(snapshot, auth, { authorization: 'Bearer x.y.z' }, PEER);
  assert.equal(calls(), 1);
  now += 2_000;
  await cache.authenticate(snapshot, auth, { authorization: 'Bearer x.y.z' }, PEER);
  assert.equal(calls(), 2, 'past exp it is verified again (and refused there when expired)');
});

test('the cache is bounded: the least recently used credential goes first', async () => {
  const table = Object.fromEntries(['a', 'b', 'c'].map((t) => [`Bearer ${t}`, principal(`token:${t}`)]));
  const { auth, calls } = countingAuth(table);
  const cache = new CredentialCache(2);
  const snapshot = {};
  const use = (t: string): Promise<Principal> => cache.authenticate(snapshot, auth, { authorization: `Bearer ${t}` }, PEER);
  await use('a');
  await use('b');
  await use('a'); // a is now the most recent
  await use('c'); // evicts b
  assert.equal(cache.size, 2);
  const before = calls();
  await use('a');
  assert.equal(calls(), before, 'a stayed');
  await use('b');
  assert.equal(calls(), before + 1, 'b was evicted');
});

describe('through a running proxy, a cached credential stops the moment the control state changes', () => {
  let stack: Stack;
  const operator = { authorization: `Bearer ${OPERATOR_TOKEN}` };
  const search = (headers: Record<string, string>) => call<{ osproxy?: { code: string } }>(stack.url, 'GET', '/_search', undefined, { headers });
  /** Several requests, so the token is certainly in the cache. */
  const warm = async (headers: Record<string, string>): Promise<void> => {
    for (let i = 0; i < 5; i++) assert.equal((await search(headers)).status, 200);
  };

  before(async () => {
    stack = await startStack({ tenants: ['acme', 'globex'] });
  });
  after(() => stack.close());

  it('a rotated token is refused on the very next request, and the new one works at once', async () => {
    await warm(stack.auth.acme);
    assert.ok(stack.proxy.services.credentials.size > 0, 'the token was cached');
    const rotated = await call<{ token: string }>(stack.url, 'POST', '/_osproxy/admin/tenants/acme/principals/acme-test/_rotate', undefined, { headers: operator });
    assert.equal(rotated.status, 200, rotated.text);
    assert.equal((await search(stack.auth.acme)).status, 401, 'the old token, straight after the rotation');
    assert.equal((await search({ authorization: `Bearer ${rotated.body.token}` })).status, 200);
  });

  it('a suspended tenant is refused on the very next request, and served again after resume', async () => {
    await warm(stack.auth.globex);
    assert.equal((await call(stack.url, 'POST', '/_osproxy/admin/tenants/globex/_suspend', undefined, { headers: operator })).status, 200);
    const refused = await search(stack.auth.globex);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.osproxy?.code, 'tenant_suspended');
    assert.equal((await call(stack.url, 'POST', '/_osproxy/admin/tenants/globex/_resume', undefined, { headers: operator })).status, 200);
    assert.equal((await search(stack.auth.globex)).status, 200);
  });

  it('a principal removed by a PUT of the tenant is refused on the very next request', async () => {
    await warm(stack.auth.globex);
    const put = await call(stack.url, 'PUT', '/_osproxy/admin/tenants/globex', { placement: { kind: 'shared' }, principals: [] }, { headers: operator });
    assert.equal(put.status, 200, put.text);
    const refused = await search(stack.auth.globex);
    assert.equal(refused.status, 401, refused.text);
  });
});
