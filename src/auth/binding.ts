import type { IncomingHttpHeaders } from 'node:http';
import { TENANT_ID } from '../config/tenant-schema.ts';
import { invalidTenantHeader, noTenant, tenantForbidden, tenantRequired } from './errors.ts';
import type { Binding, Principal } from './principal.ts';

export const TENANT_HEADER = 'x-osproxy-tenant';

/**
 * The x-osproxy-tenant value as bind() wants it. Repeated headers come back joined (or as an
 * array), which is not one tenant id and so fails validation, as it should.
 */
export function tenantHeaderOf(headers: IncomingHttpHeaders): string | undefined {
  const v = headers[TENANT_HEADER];
  return Array.isArray(v) ? v.join(',') : v;
}

/**
 * Binds a principal to exactly one tenant: the one named by the header (if the principal may use
 * it), or its only grant. Errors name only what the caller sent, never the principal's other tenants.
 */
export function bindTenant(principal: Principal, tenantHeader: string | undefined): Binding {
  const named = tenantHeader?.trim();
  if (named === undefined || named === '') return bindImplicit(principal);
  if (!TENANT_ID.test(named)) throw invalidTenantHeader();
  const roles = principal.grants.get(named);
  if (roles === undefined) throw tenantForbidden(named);
  return { principal, tenant: named, roles };
}

function bindImplicit(principal: Principal): Binding {
  if (principal.grants.size === 0) throw noTenant();
  if (principal.grants.size > 1) throw tenantRequired();
  const [tenant, roles] = principal.grants.entries().next().value as [string, Binding['roles']];
  return { principal, tenant, roles };
}
