import type { IncomingHttpHeaders } from 'node:http';
import type { JwtConfig } from '../config/auth-schema.ts';
import type { Role, TenantConfig } from '../config/tenant-schema.ts';
import { BasicCache, BasicUsers, parseBasic } from './basic.ts';
import { BearerTokens } from './bearer.ts';
import { bindTenant } from './binding.ts';
import { CertSubjects } from './cert.ts';
import { buildCredentialTables, type CredentialTables } from './credentials.ts';
import { invalidCredentials, missingCredentials } from './errors.ts';
import { JwtVerifier, looksLikeJwt } from './jwt.ts';
import { ALL_ROLES, type Binding, type Principal } from './principal.ts';

export interface AuthSettings {
  tenants: Readonly<Record<string, TenantConfig>>;
  jwt?: JwtConfig;
  /** Dev mode: callers without credentials may use any configured tenant; honoured on loopback only. */
  devOpen?: boolean;
}

/** What the listener knows about the connection. */
export interface PeerInfo {
  /** Subject CN of a client certificate the TLS layer has verified (never an unverified one). */
  certSubjectCn?: string;
  /** The socket's remote address is loopback (127.0.0.0/8, ::1, ::ffff:127.x). */
  loopback: boolean;
}

interface Parts {
  tokens: BearerTokens;
  users: BasicUsers;
  certs: CertSubjects;
  jwt?: JwtVerifier;
  dev?: Principal;
}

/** Dev principal: every configured tenant, every role; bind() then picks by x-osproxy-tenant. */
export function devPrincipal(tenants: Iterable<string>): Principal {
  const grants = new Map<string, ReadonlySet<Role>>();
  for (const t of tenants) grants.set(t, ALL_ROLES);
  return { id: 'dev', kind: 'dev', grants };
}

/** What an Authenticator is made of when its tenants come from the control snapshot. */
export interface AuthParts {
  tables: CredentialTables;
  jwt?: JwtVerifier;
  /** Dev mode (loopback only): the principal for callers without credentials. */
  dev?: Principal;
  /** Shared by the authenticators of successive snapshots, so a tenant change costs no scrypt. */
  basicCache?: BasicCache;
}

/**
 * Turns request credentials into a Principal (SPEC §4.1). Built once per config; lookups on the
 * hot path touch only in-memory tables (plus scrypt on a Basic cache miss, and the remote JWKS
 * when its cache is cold).
 */
export class Authenticator {
  private constructor(private readonly parts: Parts) {}

  /** Throws AuthConfigError for inconsistent credentials or JWT settings. */
  static async create(settings: AuthSettings): Promise<Authenticator> {
    const jwt = settings.jwt === undefined ? undefined : await JwtVerifier.create(settings.jwt, new Set(Object.keys(settings.tenants)));
    const dev = settings.devOpen === true ? devPrincipal(Object.keys(settings.tenants)) : undefined;
    return Authenticator.fromParts({ tables: buildCredentialTables(settings.tenants), jwt, dev });
  }

  /** An authenticator over prepared tables (built for each control snapshot whose tenants changed). */
  static fromParts(parts: AuthParts): Authenticator {
    return new Authenticator({
      tokens: new BearerTokens(parts.tables.tokens),
      users: new BasicUsers(parts.tables.users, parts.basicCache),
      certs: new CertSubjects(parts.tables.certs),
      jwt: parts.jwt,
      dev: parts.dev,
    });
  }

  /** True when devOpen was configured; the caller still gets it only on loopback. */
  get devOpen(): boolean {
    return this.parts.dev !== undefined;
  }

  /**
   * Authorization header first (Bearer, JWT or Basic); without one, a verified client certificate;
   * without either, the dev principal on loopback when devOpen; otherwise 401.
   */
  async authenticate(headers: IncomingHttpHeaders, peer: PeerInfo): Promise<Principal> {
    const authorization = headers.authorization?.trim();
    if (authorization !== undefined && authorization !== '') return this.fromAuthorization(authorization);
    if (peer.certSubjectCn !== undefined) return this.fromCert(peer.certSubjectCn);
    if (this.parts.dev !== undefined && peer.loopback) return this.parts.dev;
    throw missingCredentials();
  }

  bind(principal: Principal, tenantHeader: string | undefined): Binding {
    return bindTenant(principal, tenantHeader);
  }

  private async fromAuthorization(authorization: string): Promise<Principal> {
    const space = authorization.search(/\s/);
    const scheme = (space < 0 ? authorization : authorization.slice(0, space)).toLowerCase();
    const value = space < 0 ? '' : authorization.slice(space).trim();
    if (value === '' && (scheme === 'bearer' || scheme === 'basic')) throw invalidCredentials();
    if (scheme === 'bearer') return this.fromBearer(value);
    if (scheme === 'basic') return this.fromBasic(value);
    throw invalidCredentials('unsupported authorization scheme (use Bearer or Basic)');
  }

  private async fromBearer(token: string): Promise<Principal> {
    if (this.parts.jwt !== undefined && looksLikeJwt(token)) return this.parts.jwt.verify(token);
    const principal = this.parts.tokens.lookup(token);
    if (principal === undefined) throw invalidCredentials();
    return principal;
  }

  private async fromBasic(value: string): Promise<Principal> {
    const creds = parseBasic(value);
    if (creds === undefined) throw invalidCredentials();
    const principal = await this.parts.users.verify(creds);
    if (principal === undefined) throw invalidCredentials();
    return principal;
  }

  private fromCert(subjectCn: string): Principal {
    const principal = this.parts.certs.lookup(subjectCn);
    if (principal === undefined) throw invalidCredentials('client certificate is not recognised');
    return principal;
  }
}
