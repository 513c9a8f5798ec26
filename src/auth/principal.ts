import type { Role } from '../config/tenant-schema.ts';

export type { Role };

/** Tenant id → roles the principal has in that tenant. */
export type Grants = ReadonlyMap<string, ReadonlySet<Role>>;

export type PrincipalKind = 'token' | 'basic' | 'jwt' | 'cert' | 'dev';

/** An authenticated caller. `id` is for logs and explain only: never a secret or a full hash. */
export interface Principal {
  id: string;
  kind: PrincipalKind;
  grants: Grants;
  /** When the credential itself stops being valid (a JWT's `exp`), in ms since the epoch. */
  expiresAtMs?: number;
}

/** A principal bound to exactly one tenant for one request. */
export interface Binding {
  principal: Principal;
  tenant: string;
  roles: ReadonlySet<Role>;
}

export const ALL_ROLES: ReadonlySet<Role> = new Set<Role>(['read', 'write', 'manage']);
export const READ_ONLY: ReadonlySet<Role> = new Set<Role>(['read']);

/**
 * Collects grants for one credential that may be listed under several tenants (or twice under
 * one tenant: roles are then united).
 */
export class GrantsBuilder {
  private readonly grants = new Map<string, Set<Role>>();

  add(tenant: string, roles: Iterable<Role>): this {
    let set = this.grants.get(tenant);
    if (set === undefined) this.grants.set(tenant, (set = new Set()));
    for (const r of roles) set.add(r);
    return this;
  }

  build(): Grants {
    const out = new Map<string, ReadonlySet<Role>>();
    for (const [tenant, roles] of this.grants) out.set(tenant, sharedRoleSet(roles));
    return out;
  }
}

/** One Set per distinct combination of roles, shared by every principal that has it (thousands of tenants). */
const ROLE_SETS = new Map<string, ReadonlySet<Role>>();

function sharedRoleSet(roles: ReadonlySet<Role>): ReadonlySet<Role> {
  const key = [...roles].sort().join(',');
  let set = ROLE_SETS.get(key);
  if (set === undefined) ROLE_SETS.set(key, (set = new Set(roles)));
  return set;
}
