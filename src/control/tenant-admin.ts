/**
 * Tenant changes made through the admin API (SPEC §5.5): each is a guarded write of the tenant's
 * document that re-reads and re-decides on a conflict, so concurrent changes from several
 * instances are all applied; `if_version` lets a caller insist on the version it read.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { hashToken } from '../auth/index.ts';
import { PrincipalSchema, TENANT_ID, TenantSchema, type TenantConfig } from '../config/tenant-schema.ts';
import { illegalArgument, notFound, OsproxyError } from '../http/errors.ts';
import type { ControlPlane } from './control-plane.ts';
import { TenantDocSchema, type StoredDoc, type TenantDoc, type TenantState } from './documents.ts';
import { asJson } from './snapshot-builder.ts';
import type { ControlSnapshot } from './snapshot.ts';

/** The PUT body: one YAML `tenants:` entry, where every principal must have a name (for `_rotate`). */
export const TenantPutSchema = TenantSchema.extend({
  principals: z.array(PrincipalSchema.extend({ name: z.string().min(1).max(128) })).default([]),
});

export function tenantNotFound(id: string): OsproxyError {
  return notFound('resource_not_found_exception', 'tenant_not_found', `tenant [${id}] does not exist`);
}

function versionConflict(id: string, expected: number, actual: number | undefined): OsproxyError {
  return new OsproxyError({
    status: 409,
    type: 'version_conflict_engine_exception',
    code: 'tenant_version_conflict',
    reason: `tenant [${id}] is at version [${actual ?? 'none'}], not [${expected}]`,
  });
}

export function checkTenantId(id: string): void {
  if (!TENANT_ID.test(id)) throw illegalArgument('invalid_tenant_id', `tenant id [${id.slice(0, 80)}] must match ^[a-z0-9][a-z0-9_-]{0,63}$`);
}

/** Principal names are unique within a tenant; a username's password hash agrees with every other tenant's. */
function checkPrincipals(id: string, entry: TenantConfig, snapshot: ControlSnapshot | undefined): void {
  const names = new Set<string>();
  entry.principals.forEach((p, i) => {
    const name = p.name as string;
    if (names.has(name)) throw illegalArgument('duplicate_principal', `principals[${i}]: the name [${name}] is used twice`);
    names.add(name);
    if (p.token_sha256 === undefined && p.username === undefined && p.cert_subject_cn === undefined) {
      throw illegalArgument('principal_without_credential', `principals[${i}]: needs token_sha256, username or cert_subject_cn`);
    }
    if ((p.username === undefined) !== (p.password_scrypt === undefined)) {
      throw illegalArgument('incomplete_basic_credential', `principals[${i}]: username and password_scrypt go together`);
    }
  });
  for (const [other, t] of snapshot?.tenancy.tenants ?? []) {
    if (other === id) continue;
    for (const p of entry.principals) {
      const clash = p.username !== undefined && t.doc.principals.some((q) => q.username === p.username && q.password_scrypt !== p.password_scrypt);
      // The other tenant is not named: a caller may not learn which tenants exist.
      if (clash) throw illegalArgument('username_taken', `username [${p.username}] is already used with another password`);
    }
  }
}

function docOf(stored: StoredDoc | undefined): TenantDoc | undefined {
  if (stored === undefined || stored.deleted) return undefined;
  const parsed = TenantDocSchema.safeParse(stored.body);
  return parsed.success ? parsed.data : undefined;
}

function write(id: string, doc: TenantDoc): { kind: 'tenant'; key: string; deleted: false; body: ReturnType<typeof asJson> } {
  return { kind: 'tenant', key: id, deleted: false, body: asJson(doc) };
}

export class TenantAdmin {
  constructor(private readonly control: ControlPlane) {}

  async get(id: string): Promise<TenantDoc> {
    checkTenantId(id);
    const doc = docOf(await this.control.store.get('tenant', id));
    if (doc === undefined) throw tenantNotFound(id);
    return doc;
  }

  /** Create or replace; keeps the state, bumps the version. `created` tells 201 from 200. */
  async put(id: string, entry: z.infer<typeof TenantPutSchema>, ifVersion?: number): Promise<{ created: boolean; doc: TenantDoc }> {
    checkTenantId(id);
    checkPrincipals(id, entry, this.control.snapshot());
    let created = false;
    let result: TenantDoc | undefined;
    await this.control.mutate('tenant', id, (stored) => {
      const current = docOf(stored);
      if (ifVersion !== undefined && (current?.version ?? 0) !== ifVersion) throw versionConflict(id, ifVersion, current?.version);
      created = current === undefined;
      result = { ...entry, state: current?.state ?? 'active', version: (current?.version ?? 0) + 1, created_at: current?.created_at ?? Date.now() };
      return write(id, result);
    });
    return { created, doc: result as TenantDoc };
  }

  async setState(id: string, state: TenantState): Promise<TenantDoc> {
    return this.change(id, (doc) => (doc.state === state ? undefined : { ...doc, state }));
  }

  /** A new random token for one principal: returned once, only its hash is stored. */
  async rotate(id: string, principal: string): Promise<{ tenant: string; principal: string; token: string; doc: TenantDoc }> {
    const token = randomBytes(32).toString('base64url');
    const doc = await this.change(id, (d) => {
      const at = d.principals.findIndex((p) => p.name === principal);
      if (at < 0) throw notFound('resource_not_found_exception', 'principal_not_found', `tenant [${id}] has no principal named [${principal}]`);
      if (d.principals[at].token_sha256 === undefined) throw illegalArgument('not_a_token_principal', `principal [${principal}] has no bearer token to rotate`);
      const principals = d.principals.map((p, i) => (i === at ? { ...p, token_sha256: hashToken(token) } : p));
      return { ...d, principals };
    });
    return { tenant: id, principal, token, doc };
  }

  /** Removes the tenant (a tombstone): its credentials stop working; its data is the caller's to purge. */
  async remove(id: string): Promise<void> {
    checkTenantId(id);
    let existed = false;
    await this.control.mutate('tenant', id, (stored) => {
      existed = docOf(stored) !== undefined;
      return existed && stored !== undefined ? { ...stored, deleted: true } : undefined;
    });
    if (!existed) throw tenantNotFound(id);
  }

  /** One guarded change of an existing tenant; `change` returns undefined when nothing needs writing. */
  private async change(id: string, change: (doc: TenantDoc) => TenantDoc | undefined): Promise<TenantDoc> {
    checkTenantId(id);
    let result: TenantDoc | undefined;
    await this.control.mutate('tenant', id, (stored) => {
      const current = docOf(stored);
      if (current === undefined) throw tenantNotFound(id);
      const next = change(current);
      result = next === undefined ? current : { ...next, version: current.version + 1 };
      return next === undefined ? undefined : write(id, result);
    });
    return result as TenantDoc;
  }
}
