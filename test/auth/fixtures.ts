// Shared config for the auth tests: three tenants, tokens, users, a certificate, one multi-tenant token.
import { TenantSchema, type TenantConfig } from '../../src/config/tenant-schema.ts';
import { AuthError, hashPassword, hashToken, type Principal } from '../../src/auth/index.ts';
import assert from 'node:assert/strict';

export const TOKENS = {
  acme: 'acme-token-0123456789abcdef',
  globex: 'globex-token-fedcba9876543210',
  unnamed: 'unnamed-token-for-initech',
  multi: 'multi-tenant-token-xyz',
} as const;

export const PASSWORDS = { alice: 'wonderland', bob: 'builder' } as const;

const aliceHash = await hashPassword(PASSWORDS.alice);
const bobHash = await hashPassword(PASSWORDS.bob);

function tenant(principals: unknown[]): TenantConfig {
  return TenantSchema.parse({ principals });
}

export const TENANTS: Record<string, TenantConfig> = {
  acme: tenant([
    { name: 'acme-app', token_sha256: hashToken(TOKENS.acme) },
    { username: 'alice', password_scrypt: aliceHash, roles: ['read', 'write'] },
    { cert_subject_cn: 'ingest.acme.example', roles: ['write'] },
    { name: 'multi', token_sha256: hashToken(TOKENS.multi), roles: ['read'] },
  ]),
  globex: tenant([
    { name: 'globex-app', token_sha256: hashToken(TOKENS.globex) },
    { username: 'bob', password_scrypt: bobHash },
    { name: 'multi', token_sha256: hashToken(TOKENS.multi), roles: ['read', 'write'] },
  ]),
  initech: tenant([{ token_sha256: hashToken(TOKENS.unnamed), roles: ['read'] }]),
};

export const bearer = (token: string): { authorization: string } => ({ authorization: `Bearer ${token}` });
export const basic = (user: string, password: string): { authorization: string } => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

export const REMOTE = { loopback: false } as const;
export const LOCAL = { loopback: true } as const;

/** Tenant → sorted roles, for comparing grants. */
export function grantsOf(p: Principal): Record<string, string[]> {
  return Object.fromEntries([...p.grants].map(([t, roles]) => [t, [...roles].sort()]));
}

/** Asserts the promise rejects with an AuthError matching `expected`, and returns it. */
export async function authFailure(p: Promise<unknown> | (() => unknown), expected: Partial<Pick<AuthError, 'status' | 'code' | 'type'>>): Promise<AuthError> {
  let caught: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof AuthError, `expected an AuthError, got ${String(caught)}`);
  for (const [k, v] of Object.entries(expected)) assert.equal(caught[k as keyof AuthError], v, k);
  return caught;
}

/** Everything about an error a client or a log line could see. */
export function errorText(e: AuthError): string {
  return [e.message, e.reason, e.code, e.type, e.wwwAuthenticate ?? '', JSON.stringify(e.headers), e.stack ?? ''].join('\n');
}
