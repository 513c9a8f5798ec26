/**
 * Authentication and binding failures. They carry OpenSearch's error shape fields (status, type,
 * reason) plus osproxy's code slug, so the HTTP layer renders them like any other client error.
 * Reasons never contain a secret, a hash, a claim value or any tenant the caller did not name.
 */
import { OsproxyError } from '../http/errors.ts';

export type AuthStatus = 400 | 401 | 403 | 503;

/** Sent with every data-plane 401 (RFC 7235 requires a challenge; browsers/Dashboards prompt on Basic). */
export const WWW_AUTHENTICATE = 'Basic realm="osproxy", Bearer';
/** Challenge for the admin API, which takes operator Bearer tokens only. */
export const OPERATOR_WWW_AUTHENTICATE = 'Bearer realm="osproxy-admin"';

export class AuthError extends OsproxyError {
  override readonly name = 'AuthError';
  override readonly status: AuthStatus;
  readonly wwwAuthenticate?: string;

  constructor(status: AuthStatus, code: string, reason: string, opts: { type?: string; wwwAuthenticate?: string; retryable?: boolean } = {}) {
    const headers: Record<string, string> = opts.wwwAuthenticate === undefined ? {} : { 'www-authenticate': opts.wwwAuthenticate };
    super({ status, code, reason, type: opts.type ?? (status === 400 ? 'illegal_argument_exception' : 'security_exception'), retryable: opts.retryable, headers });
    this.status = status;
    this.wwwAuthenticate = opts.wwwAuthenticate;
  }
}

export function missingCredentials(challenge = WWW_AUTHENTICATE): AuthError {
  return new AuthError(401, 'missing_credentials', 'missing authentication credentials for REST request', { wwwAuthenticate: challenge });
}

/** One error for every wrong secret, so responses do not reveal which part was wrong. */
export function invalidCredentials(reason = 'invalid authentication credentials', challenge = WWW_AUTHENTICATE): AuthError {
  return new AuthError(401, 'invalid_credentials', reason, { wwwAuthenticate: challenge });
}

export function tenantForbidden(tenant: string): AuthError {
  return new AuthError(403, 'tenant_forbidden', `principal is not allowed to use tenant [${tenant}]`);
}

export function tenantRequired(): AuthError {
  return new AuthError(400, 'tenant_required', 'principal may use several tenants: name one with the x-osproxy-tenant header');
}

export function invalidTenantHeader(): AuthError {
  return new AuthError(400, 'invalid_tenant_header', 'x-osproxy-tenant must be one tenant id matching ^[a-z0-9][a-z0-9_-]{0,63}$');
}

export function noTenant(): AuthError {
  return new AuthError(403, 'no_tenant', 'principal is not allowed to use any tenant');
}

export function noRole(): AuthError {
  return new AuthError(403, 'no_role', 'token grants no known role (read, write, manage)');
}

export function keysUnavailable(): AuthError {
  return new AuthError(503, 'auth_keys_unavailable', 'the key set for verifying tokens is unavailable; retry later', {
    type: 'status_exception',
    retryable: true,
  });
}
