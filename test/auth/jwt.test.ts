import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { AuthConfigError, Authenticator } from '../../src/auth/index.ts';
import { JwtSchema } from '../../src/config/auth-schema.ts';
import { authFailure, bearer, errorText, grantsOf, REMOTE, TENANTS } from './fixtures.ts';

const ISSUER = 'https://idp.example';
const AUDIENCE = 'osproxy';
const SECRET = randomBytes(32);

interface Signer {
  alg: 'RS256' | 'ES256' | 'EdDSA';
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function signer(alg: Signer['alg'], kid: string): Promise<Signer> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

let dir: string;
let jwksFile: string;
let rs: Signer;
let es: Signer;
let ed: Signer;
let stranger: Signer;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'osproxy-jwt-'));
  [rs, es, ed, stranger] = await Promise.all([signer('RS256', 'rs-1'), signer('ES256', 'es-1'), signer('EdDSA', 'ed-1'), signer('RS256', 'rs-1')]);
  jwksFile = join(dir, 'jwks.json');
  await writeFile(jwksFile, JSON.stringify({ keys: [rs.jwk, es.jwk, ed.jwk] }));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const BASE_CLAIMS = { sub: 'svc-7', tenant: 'acme', roles: ['read', 'write'] };

function sign(claims: JWTPayload, key: Signer | 'hs', opts: { exp?: number | string; iss?: string; aud?: string; nbf?: number | string } = {}): Promise<string> {
  const header = key === 'hs' ? { alg: 'HS256' } : { alg: key.alg, kid: key.kid };
  let jwt = new SignJWT(claims).setProtectedHeader(header).setIssuedAt().setIssuer(opts.iss ?? ISSUER).setAudience(opts.aud ?? AUDIENCE);
  if (opts.exp !== 0) jwt = jwt.setExpirationTime(opts.exp ?? '5m');
  if (opts.nbf !== undefined) jwt = jwt.setNotBefore(opts.nbf);
  return jwt.sign(key === 'hs' ? SECRET : key.privateKey);
}

function authWith(jwt: Record<string, unknown>): Promise<Authenticator> {
  return Authenticator.create({ tenants: TENANTS, jwt: JwtSchema.parse({ issuer: ISSUER, audience: AUDIENCE, ...jwt }) });
}

const allAlgs = (): Promise<Authenticator> =>
  authWith({ algorithms: ['HS256', 'RS256', 'ES256', 'EdDSA'], secret_b64: SECRET.toString('base64'), jwks_file: jwksFile });

test('valid HS256, RS256, ES256 and EdDSA tokens authenticate as jwt:<sub> with the claimed tenant and roles', async () => {
  const auth = await allAlgs();
  for (const key of ['hs', rs, es, ed] as const) {
    const p = await auth.authenticate(bearer(await sign(BASE_CLAIMS, key)), REMOTE);
    assert.equal(p.id, 'jwt:svc-7');
    assert.equal(p.kind, 'jwt');
    assert.deepEqual(grantsOf(p), { acme: ['read', 'write'] });
  }
});

test('a tenant claim array grants every listed tenant; unknown ones are dropped', async () => {
  const auth = await allAlgs();
  const p = await auth.authenticate(bearer(await sign({ ...BASE_CLAIMS, tenant: ['acme', 'globex', 'nosuch'] }, rs)), REMOTE);
  assert.deepEqual(Object.keys(grantsOf(p)).sort(), ['acme', 'globex']);
});

test('a token without a roles claim is read-only; unknown role names are ignored', async () => {
  const auth = await allAlgs();
  const noRoles = await auth.authenticate(bearer(await sign({ sub: 'a', tenant: 'acme' }, es)), REMOTE);
  assert.deepEqual(grantsOf(noRoles), { acme: ['read'] });
  const mixed = await auth.authenticate(bearer(await sign({ sub: 'a', tenant: 'acme', roles: ['admin', 'manage'] }, es)), REMOTE);
  assert.deepEqual(grantsOf(mixed), { acme: ['manage'] });
  await authFailure(auth.authenticate(bearer(await sign({ sub: 'a', tenant: 'acme', roles: ['admin'] }, es)), REMOTE), { status: 403, code: 'no_role' });
});

test('claim names are configurable', async () => {
  const auth = await authWith({ algorithms: ['RS256'], jwks_file: jwksFile, tenant_claim: 'org', roles_claim: 'perm', subject_claim: 'email' });
  const p = await auth.authenticate(bearer(await sign({ email: 'ops@globex.example', org: 'globex', perm: ['write'] }, rs)), REMOTE);
  assert.equal(p.id, 'jwt:ops@globex.example');
  assert.deepEqual(grantsOf(p), { globex: ['write'] });
});

test('an expired token is 401; a small clock skew is tolerated', async () => {
  const auth = await allAlgs();
  const now = Math.floor(Date.now() / 1000);
  const e = await authFailure(auth.authenticate(bearer(await sign(BASE_CLAIMS, rs, { exp: now - 300 })), REMOTE), { status: 401 });
  assert.equal(e.reason, 'token expired');
  await auth.authenticate(bearer(await sign(BASE_CLAIMS, rs, { exp: now - 5 })), REMOTE);
});

test('a token not yet valid (nbf) or without exp is 401', async () => {
  const auth = await allAlgs();
  const now = Math.floor(Date.now() / 1000);
  await authFailure(auth.authenticate(bearer(await sign(BASE_CLAIMS, es, { nbf: now + 600 })), REMOTE), { status: 401 });
  await authFailure(auth.authenticate(bearer(await sign(BASE_CLAIMS, es, { exp: 0 })), REMOTE), { status: 401 });
});

test('a wrong issuer or audience is 401 naming the claim but not its value', async () => {
  const auth = await allAlgs();
  const iss = await authFailure(auth.authenticate(bearer(await sign(BASE_CLAIMS, 'hs', { iss: 'https://evil.example' })), REMOTE), { status: 401 });
  assert.match(iss.reason, /\[iss\]/);
  assert.doesNotMatch(errorText(iss), /evil/);
  const aud = await authFailure(auth.authenticate(bearer(await sign(BASE_CLAIMS, rs, { aud: 'someone-else' })), REMOTE), { status: 401 });
  assert.match(aud.reason, /\[aud\]/);
  assert.doesNotMatch(errorText(aud), /someone-else/);
});

test('an algorithm outside the allowlist is 401, even with a key that would verify it', async () => {
  const rsOnly = await authWith({ algorithms: ['RS256'], jwks_file: jwksFile });
  const e = await authFailure(rsOnly.authenticate(bearer(await sign(BASE_CLAIMS, es)), REMOTE), { status: 401 });
  assert.equal(e.reason, 'token algorithm not allowed');
  const hsOnly = await authWith({ algorithms: ['HS256'], secret_b64: SECRET.toString('base64') });
  await authFailure(hsOnly.authenticate(bearer(await sign(BASE_CLAIMS, rs)), REMOTE), { status: 401 });
});

test('a token signed by a key not in the JWKS (same kid) is 401', async () => {
  const auth = await allAlgs();
  await authFailure(auth.authenticate(bearer(await sign(BASE_CLAIMS, stranger)), REMOTE), { status: 401, code: 'invalid_credentials' });
});

test('a tampered payload is 401', async () => {
  const auth = await allAlgs();
  const [h, , s] = (await sign(BASE_CLAIMS, 'hs')).split('.');
  const forged = Buffer.from(JSON.stringify({ ...BASE_CLAIMS, tenant: 'globex', exp: 9999999999, iss: ISSUER, aud: AUDIENCE })).toString('base64url');
  await authFailure(auth.authenticate(bearer(`${h}.${forged}.${s}`), REMOTE), { status: 401 });
});

test('a token whose tenant claim names no configured tenant is 403 without echoing the claim', async () => {
  const auth = await allAlgs();
  for (const tenant of ['umbrella-corp', 'Not A Tenant!', undefined]) {
    const e = await authFailure(auth.authenticate(bearer(await sign({ sub: 'x', tenant }, rs)), REMOTE), { status: 403, code: 'unknown_tenant', type: 'security_exception' });
    if (tenant !== undefined) assert.ok(!errorText(e).includes(tenant));
  }
});

test('a JWT-shaped bearer without jwt config is treated as a static token (and fails as one)', async () => {
  const auth = await Authenticator.create({ tenants: TENANTS });
  await authFailure(auth.authenticate(bearer(await sign(BASE_CLAIMS, 'hs')), REMOTE), { status: 401, code: 'invalid_credentials' });
});

test('jwt settings that cannot work are configuration errors', async () => {
  await assert.rejects(authWith({ algorithms: ['HS256'] }), AuthConfigError);
  await assert.rejects(authWith({ algorithms: ['HS256'], secret_b64: randomBytes(8).toString('base64') }), AuthConfigError);
  await assert.rejects(authWith({ algorithms: ['RS256'] }), AuthConfigError);
  await assert.rejects(authWith({ algorithms: ['RS256'], jwks_file: join(dir, 'missing.json') }), AuthConfigError);
});

async function serveJwks(keys: JWK[]): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  assert.ok(addr !== null && typeof addr === 'object');
  return { server, url: `http://127.0.0.1:${addr.port}/jwks.json` };
}

test('keys can come from a JWKS URL', async () => {
  const { server, url } = await serveJwks([es.jwk]);
  try {
    const auth = await authWith({ algorithms: ['ES256'], jwks_url: url });
    assert.equal((await auth.authenticate(bearer(await sign(BASE_CLAIMS, es)), REMOTE)).id, 'jwt:svc-7');
  } finally {
    server.close();
  }
});

test('an unreachable JWKS URL is a retryable 503, not a 401', async () => {
  const { server, url } = await serveJwks([]);
  await new Promise((resolve) => server.close(resolve));
  const auth = await authWith({ algorithms: ['ES256'], jwks_url: url });
  const e = await authFailure(auth.authenticate(bearer(await sign(BASE_CLAIMS, es)), REMOTE), { status: 503, code: 'auth_keys_unavailable' });
  assert.equal(e.retryable, true);
});
