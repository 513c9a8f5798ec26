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
  name: z.string().min(1).optional().describe('Display name for logs and explain (never the secret).').meta({ examples: ['acme-app'] }),
  token_sha256: sha256Hex.optional().describe('SHA-256 (hex) of a bearer token (`osproxy token new` prints both); the token itself is never in the config.').meta({ examples: ['9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'] }),
  username: z.string().min(1).optional().describe('Basic auth user name (with password_scrypt).').meta({ examples: ['dashboards'] }),
  password_scrypt: z.string().startsWith('scrypt$').optional().describe('`scrypt$N$r$p$salt_b64$hash_b64`, from `osproxy token hash --password`.').meta({ examples: ['scrypt$16384$8$1$…$…'] }),
  cert_subject_cn: z.string().min(1).optional().describe('mTLS: the client certificate subject CN that identifies this principal.').meta({ examples: ['acme-batch'] }),
  roles: z.array(RoleSchema).min(1).default(['read', 'write', 'manage']).describe('`read`, `write`, `manage` (index lifecycle).'),
}).describe('A credential bound to the tenant it is listed under.');
export type PrincipalConfig = z.infer<typeof PrincipalSchema>;

export const PlacementSchema = z.strictObject({
  kind: z.enum(['shared', 'index', 'cluster']).meta({ examples: ['shared'] }).describe('`shared`: a physical index shared by tenants, documents tagged and filtered; `index`: a dedicated index; `cluster`: a dedicated cluster.'),
  cluster: z.string().optional().describe('Cluster id (default: the `default` cluster; required for `cluster`).').meta({ examples: ['big'] }),
  index_template: z.string().optional().describe('Physical index name template with `{tenant}` and `{lindex}` (defaults: `osproxy-shared-{lindex}`, `t-{tenant}-{lindex}`, `{lindex}`).').meta({ examples: ['t-{tenant}-{lindex}'] }),
  routing: z.enum(['tenant', 'none']).default('tenant').describe('Shared placement: route by tenant (all of a tenant’s documents on one shard) or not at all.'),
}).superRefine((p, ctx) => {
  const problem = templateProblem(p.index_template ?? DEFAULT_TEMPLATES[p.kind], p.kind);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['index_template'], message: problem });
  if (p.kind === 'cluster' && p.cluster === undefined) ctx.addIssue({ code: 'custom', path: ['cluster'], message: 'a cluster placement must name its cluster' });
});
export type PlacementConfig = z.infer<typeof PlacementSchema>;

export const TenantSchema = z.strictObject({
  placement: PlacementSchema.default({ kind: 'shared', routing: 'tenant' }).describe('Where the tenant’s new logical indexes go (an existing index keeps its placement until migrated).'),
  indices: z.record(z.string(), PlacementSchema.describe('The placement of this logical index (frozen when it is created; changed by a migration).')).default({}).describe('Per logical index placement overrides, by logical name.'),
  principals: z.array(PrincipalSchema).default([]).describe('The credentials that act as this tenant.'),
  admission: TenantAdmissionSchema.optional().describe('This tenant’s admission overrides (share of the budgets, rate limit); see `admission`.'),
}).describe('One tenant.');
export type TenantConfig = z.infer<typeof TenantSchema>;
