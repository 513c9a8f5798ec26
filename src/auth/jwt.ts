import { readFile } from 'node:fs/promises';
// jose is loaded when a JWT verifier is built (auth.jwt configured), not by every proxy.
import type { CryptoKey, FlattenedJWSInput, JSONWebKeySet, JWSHeaderParameters, JWTPayload } from 'jose';

type Jose = typeof import('jose');
import type { JwtConfig } from '../config/auth-schema.ts';
import { RoleSchema, TENANT_ID, type Role } from '../config/tenant-schema.ts';
import { AuthConfigError } from './credentials.ts';
import { AuthError, invalidCredentials, keysUnavailable, noRole } from './errors.ts';
import { READ_ONLY, type Principal } from './principal.ts';

/** Tolerated clock skew between the token issuer and us, for exp/nbf/iat. */
const CLOCK_TOLERANCE_S = 30;
const MIN_HMAC_SECRET_BYTES = 32;
const MAX_SUBJECT_CHARS = 256;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Three base64url parts: a JWS compact serialisation (static tokens from `token new` have no dots). */
export function looksLikeJwt(token: string): boolean {
  return JWT_SHAPE.test(token);
}

/** The tenants this proxy serves now (the control snapshot's, read at each verification). */
export interface TenantSet {
  has(tenant: string): boolean;
}

type KeyLookup = (header: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<CryptoKey>;
type KeyGetter = (header: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<CryptoKey | Uint8Array>;

/** Thrown inside the key getter when the remote key set cannot be fetched: the caller should retry (503). */
class KeysUnavailable extends Error {}

function isNoMatchingKey({ errors }: Jose, e: unknown): boolean {
  return e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWKSMultipleMatchingKeys;
}

/** HS256 → the shared secret; other algorithms → the JWKS file, then (no matching key there) the URL. */
function keyGetter(jose: Jose, secret: Uint8Array | undefined, local: KeyLookup | undefined, remote: KeyLookup | undefined): KeyGetter {
  const { errors } = jose;
  return async (header, token) => {
    if (header.alg === 'HS256') {
      if (secret === undefined) throw new errors.JWSSignatureVerificationFailed();
      return secret;
    }
    if (local !== undefined) {
      try {
        return await local(header, token);
      } catch (e) {
        if (remote === undefined || !isNoMatchingKey(jose, e)) throw e;
      }
    }
    if (remote === undefined) throw new errors.JWKSNoMatchingKey();
    try {
      return await remote(header, token);
    } catch (e) {
      if (isNoMatchingKey(jose, e)) throw e;
      throw new KeysUnavailable();
    }
  };
}

/** Reasons name the failed check or claim name, never a claim value. */
function toAuthError({ errors }: Jose, e: unknown): AuthError {
  if (e instanceof AuthError) return e;
  if (e instanceof KeysUnavailable) return keysUnavailable();
  if (e instanceof errors.JWTExpired) return invalidCredentials('token expired');
  if (e instanceof errors.JWTClaimValidationFailed) return invalidCredentials(`token claim [${e.claim}] rejected`);
  if (e instanceof errors.JOSEAlgNotAllowed) return invalidCredentials('token algorithm not allowed');
  return invalidCredentials('invalid bearer token');
}

function claimStrings(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(/\s+/).filter((s) => s !== '');
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return undefined;
}

function decodeSecret(cfg: JwtConfig): Uint8Array | undefined {
  if (!cfg.algorithms.includes('HS256')) return undefined;
  if (cfg.secret_b64 === undefined) throw new AuthConfigError('auth.jwt: HS256 needs secret_b64');
  const secret = Buffer.from(cfg.secret_b64, 'base64');
  if (secret.length < MIN_HMAC_SECRET_BYTES) throw new AuthConfigError(`auth.jwt: secret_b64 must decode to at least ${MIN_HMAC_SECRET_BYTES} bytes`);
  return new Uint8Array(secret);
}

async function loadLocalJwks(jose: Jose, path: string): Promise<KeyLookup> {
  let jwks: JSONWebKeySet;
  try {
    jwks = JSON.parse(await readFile(path, 'utf8')) as JSONWebKeySet;
  } catch (e) {
    // Not the parser's message: it may quote file content, and a misplaced private key must not reach logs.
    const why = e instanceof SyntaxError ? 'not valid JSON' : (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new AuthConfigError(`auth.jwt: cannot load jwks_file ${path}: ${why}`);
  }
  try {
    return jose.createLocalJWKSet(jwks);
  } catch {
    throw new AuthConfigError(`auth.jwt: jwks_file ${path} is not a JSON Web Key Set`);
  }
}

/** Verifies JWT bearer tokens and turns their claims into a Principal. */
export class JwtVerifier {
  private constructor(
    private readonly jose: Jose,
    private readonly cfg: JwtConfig,
    private readonly getKey: KeyGetter,
    private readonly knownTenants: TenantSet,
  ) {}

  static async create(cfg: JwtConfig, knownTenants: TenantSet): Promise<JwtVerifier> {
    const secret = decodeSecret(cfg);
    const asymmetric = cfg.algorithms.some((a) => a !== 'HS256');
    if (asymmetric && cfg.jwks_file === undefined && cfg.jwks_url === undefined) {
      throw new AuthConfigError('auth.jwt: RS256/ES256/EdDSA need jwks_file or jwks_url');
    }
    const jose = await import('jose');
    const local = asymmetric && cfg.jwks_file !== undefined ? await loadLocalJwks(jose, cfg.jwks_file) : undefined;
    const remote = asymmetric && cfg.jwks_url !== undefined ? jose.createRemoteJWKSet(new URL(cfg.jwks_url)) : undefined;
    return new JwtVerifier(jose, cfg, keyGetter(jose, secret, local, remote), knownTenants);
  }

  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await this.jose.jwtVerify(token, this.getKey, {
        algorithms: this.cfg.algorithms,
        issuer: this.cfg.issuer,
        audience: this.cfg.audience,
        clockTolerance: CLOCK_TOLERANCE_S,
        // A token without exp would be valid forever.
        requiredClaims: ['exp'],
      }));
    } catch (e) {
      throw toAuthError(this.jose, e);
    }
    return this.principalFrom(payload);
  }

  private principalFrom(payload: JWTPayload): Principal {
    const sub = payload[this.cfg.subject_claim];
    if ((typeof sub !== 'string' && typeof sub !== 'number') || sub === '') throw invalidCredentials('token has no subject');
    const roles = this.rolesFrom(payload);
    const grants = new Map<string, ReadonlySet<Role>>();
    for (const t of this.tenantsFrom(payload)) grants.set(t, roles);
    const id = `jwt:${String(sub).slice(0, MAX_SUBJECT_CHARS)}`;
    return typeof payload.exp === 'number' ? { id, kind: 'jwt', grants, expiresAtMs: payload.exp * 1000 } : { id, kind: 'jwt', grants };
  }

  /** Tenants this proxy knows; others are dropped (an identity provider may list more than we serve). */
  private tenantsFrom(payload: JWTPayload): string[] {
    const claimed = claimStrings(payload[this.cfg.tenant_claim]) ?? [];
    const known = claimed.filter((t) => TENANT_ID.test(t) && this.knownTenants.has(t));
    if (known.length === 0) throw new AuthError(403, 'unknown_tenant', 'token names no tenant served here');
    return known;
  }

  /** Missing claim → read only; a claim with no known role grants nothing, which is refused. */
  private rolesFrom(payload: JWTPayload): ReadonlySet<Role> {
    const claimed = claimStrings(payload[this.cfg.roles_claim]);
    if (claimed === undefined) return READ_ONLY;
    const roles = new Set<Role>();
    for (const r of claimed) {
      const parsed = RoleSchema.safeParse(r);
      if (parsed.success) roles.add(parsed.data);
    }
    if (roles.size === 0) throw noRole();
    return roles;
  }
}
