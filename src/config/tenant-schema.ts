import { z } from 'zod';
import { TenantAdmissionSchema } from './admission-schema.ts';
import { DEFAULT_TEMPLATES, templateProblem } from './templates.ts';

/** Tenant ids as SPEC §1 defines them. */
export const TENANT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export const RoleSchema = z.enum(['read', 'write', 'manage']);
export type Role = z.infer<typeof RoleSchema>;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256 (osproxy token hash)');

/** A credential bound to the tenant it is listed under (the same credential may appear under several). */
export const PrincipalSchema = z.strictObject({
  /** Display name for logs and explain (never the secret). */
  name: z.string().min(1).optional(),
  token_sha256: sha256Hex.optional(),
  username: z.string().min(1).optional(),
  /** `scrypt$N$r$p$salt_b64$hash_b64`, from `osproxy token hash --password`. */
  password_scrypt: z.string().startsWith('scrypt$').optional(),
  /** mTLS: the client certificate subject CN that identifies this principal. */
  cert_subject_cn: z.string().min(1).optional(),
  roles: z.array(RoleSchema).min(1).default(['read', 'write', 'manage']),
});
export type PrincipalConfig = z.infer<typeof PrincipalSchema>;

export const PlacementSchema = z.strictObject({
  kind: z.enum(['shared', 'index', 'cluster']),
  /** Cluster id (default: the `default` cluster). */
  cluster: z.string().optional(),
  /** Physical index template: `{tenant}`, `{lindex}` (defaults per kind, SPEC §4.2). */
  index_template: z.string().optional(),
  /** Shared placement: route by tenant (default) or not at all. */
  routing: z.enum(['tenant', 'none']).default('tenant'),
}).superRefine((p, ctx) => {
  const problem = templateProblem(p.index_template ?? DEFAULT_TEMPLATES[p.kind], p.kind);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['index_template'], message: problem });
  if (p.kind === 'cluster' && p.cluster === undefined) ctx.addIssue({ code: 'custom', path: ['cluster'], message: 'a cluster placement must name its cluster' });
});
export type PlacementConfig = z.infer<typeof PlacementSchema>;

export const TenantSchema = z.strictObject({
  /** Where the tenant's new logical indexes go (an existing index keeps its placement until migrated). */
  placement: PlacementSchema.default({ kind: 'shared', routing: 'tenant' }),
  /** Per logical index placement overrides. */
  indices: z.record(z.string(), PlacementSchema).default({}),
  principals: z.array(PrincipalSchema).default([]),
  /** This tenant's admission overrides (share of the budgets, rate limit); see `admission`. */
  admission: TenantAdmissionSchema.optional(),
});
export type TenantConfig = z.infer<typeof TenantSchema>;
