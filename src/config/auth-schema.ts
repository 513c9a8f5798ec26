import { z } from 'zod';

export const JwtSchema = z.strictObject({
  /** Accepted algorithms (HS256, RS256, ES256, EdDSA). */
  algorithms: z.array(z.enum(['HS256', 'RS256', 'ES256', 'EdDSA'])).min(1),
  /** HS256 shared secret (base64). */
  secret_b64: z.string().optional(),
  /** JWKS file path or URL for asymmetric keys. */
  jwks_file: z.string().optional(),
  jwks_url: z.string().url().optional(),
  issuer: z.string().optional(),
  audience: z.string().optional(),
  tenant_claim: z.string().default('tenant'),
  roles_claim: z.string().default('roles'),
  subject_claim: z.string().default('sub'),
});
export type JwtConfig = z.infer<typeof JwtSchema>;

/** Operator credentials for the admin API (SPEC §5.5): separate from every tenant principal. */
export const OperatorSchema = z.strictObject({
  name: z.string().min(1),
  token_sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256 (osproxy token hash)'),
});
export const OperatorsSchema = z.array(OperatorSchema).default([]);
export type OperatorConfig = z.infer<typeof OperatorSchema>;
