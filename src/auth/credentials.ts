import { ConfigError } from '../config/config-error.ts';
import { TENANT_ID, type PrincipalConfig, type Role, type TenantConfig } from '../config/tenant-schema.ts';
import type { BasicUser } from './basic.ts';
import { GrantsBuilder, type Principal, type PrincipalKind } from './principal.ts';
import { parseScrypt } from './scrypt.ts';

/** A configuration mistake found while building the lookup tables (names the place, never a secret). */
export class AuthConfigError extends ConfigError {
  override readonly name = 'AuthConfigError';
}

/** Lookup tables built once from the tenants config; the hot path only reads them. */
export interface CredentialTables {
  /** SHA-256 hex → principal. */
  tokens: Map<string, Principal>;
  users: Map<string, BasicUser>;
  /** Client certificate subject CN → principal. */
  certs: Map<string, Principal>;
}

interface Pending {
  id: string;
  grants: GrantsBuilder;
  passwordScrypt?: string;
}

/** Accumulates one credential kind; the same credential under several tenants becomes one principal. */
class PendingIndex {
  readonly entries = new Map<string, Pending>();

  add(key: string, id: string, tenant: string, roles: readonly Role[]): Pending {
    let p = this.entries.get(key);
    if (p === undefined) this.entries.set(key, (p = { id, grants: new GrantsBuilder() }));
    p.grants.add(tenant, roles);
    return p;
  }

  principals(kind: PrincipalKind): Map<string, Principal> {
    const out = new Map<string, Principal>();
    for (const [key, p] of this.entries) out.set(key, { id: p.id, kind, grants: p.grants.build() });
    return out;
  }
}

interface Indexes {
  tokens: PendingIndex;
  users: PendingIndex;
  certs: PendingIndex;
}

function addUser(idx: Indexes, p: PrincipalConfig, tenant: string, where: string): void {
  if (p.username === undefined) {
    if (p.password_scrypt !== undefined) throw new AuthConfigError(`${where}: password_scrypt needs a username`);
    return;
  }
  if (p.password_scrypt === undefined) throw new AuthConfigError(`${where}: username needs password_scrypt`);
  if (parseScrypt(p.password_scrypt) === undefined) throw new AuthConfigError(`${where}: password_scrypt is malformed`);
  const entry = idx.users.add(p.username, `user:${p.username}`, tenant, p.roles);
  // One username, one password: differing hashes across tenants would make the login ambiguous.
  if (entry.passwordScrypt !== undefined && entry.passwordScrypt !== p.password_scrypt) {
    throw new AuthConfigError(`${where}: username [${p.username}] has a different password_scrypt under another tenant`);
  }
  entry.passwordScrypt = p.password_scrypt;
}

function addPrincipal(idx: Indexes, p: PrincipalConfig, tenant: string, where: string): void {
  if (p.token_sha256 === undefined && p.username === undefined && p.cert_subject_cn === undefined) {
    throw new AuthConfigError(`${where}: needs token_sha256, username or cert_subject_cn`);
  }
  if (p.token_sha256 !== undefined) {
    const hash = p.token_sha256.toLowerCase();
    idx.tokens.add(hash, `token:${p.name ?? hash.slice(0, 8)}`, tenant, p.roles);
  }
  addUser(idx, p, tenant, where);
  if (p.cert_subject_cn !== undefined) idx.certs.add(p.cert_subject_cn, `cert:${p.cert_subject_cn}`, tenant, p.roles);
}

function usersTable(users: PendingIndex): Map<string, BasicUser> {
  const principals = users.principals('basic');
  const out = new Map<string, BasicUser>();
  for (const [name, p] of users.entries) {
    out.set(name, { principal: principals.get(name) as Principal, passwordScrypt: p.passwordScrypt as string });
  }
  return out;
}

/**
 * The lookup tables for a set of tenants. Without `onError` a mistake throws (configuration at
 * load); with it, a tenant whose credentials are inconsistent is left out and reported (tenants
 * from the fleet store: one bad document must not lock every tenant out).
 */
export function buildCredentialTables(
  tenants: Readonly<Record<string, TenantConfig>> | Iterable<readonly [string, TenantConfig]>,
  onError?: (tenant: string, e: AuthConfigError) => void,
): CredentialTables {
  const entries = Symbol.iterator in tenants ? [...(tenants as Iterable<readonly [string, TenantConfig]>)] : Object.entries(tenants);
  const idx: Indexes = { tokens: new PendingIndex(), users: new PendingIndex(), certs: new PendingIndex() };
  for (const [tenant, cfg] of entries) {
    try {
      if (onError !== undefined) addTenant(emptyIndexes(idx), tenant, cfg); // a dry run: nothing half-added
      addTenant(idx, tenant, cfg);
    } catch (e) {
      if (onError === undefined || !(e instanceof AuthConfigError)) throw e;
      onError(tenant, e);
    }
  }
  return { tokens: idx.tokens.principals('token'), users: usersTable(idx.users), certs: idx.certs.principals('cert') };
}

function addTenant(idx: Indexes, tenant: string, cfg: TenantConfig): void {
  if (!TENANT_ID.test(tenant)) throw new AuthConfigError(`tenants: [${tenant}] is not a valid tenant id`);
  cfg.principals.forEach((p, i) => addPrincipal(idx, p, tenant, `tenants.${tenant}.principals[${i}]`));
}

/** Fresh indexes that still see the usernames taken so far (a username's hash must agree across tenants). */
function emptyIndexes(idx: Indexes): Indexes {
  const users = new PendingIndex();
  for (const [name, p] of idx.users.entries) users.entries.set(name, { id: p.id, grants: new GrantsBuilder(), passwordScrypt: p.passwordScrypt });
  return { tokens: new PendingIndex(), users, certs: new PendingIndex() };
}
