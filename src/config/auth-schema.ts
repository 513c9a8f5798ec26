import { z } from 'zod';

export const JwtSchema = z.strictObject({
  algorithms: z.array(z.enum(['HS256', 'RS256', 'ES256', 'EdDSA'])).min(1).describe('Accepted signature algorithms.').meta({ examples: [['RS256']] }),
  secret_b64: z.string().optional().describe('HS256 shared secret (base64, ≥ 32 bytes).').meta({ examples: ['c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA=='] }),
  jwks_file: z.string().optional().describe('JWKS file with the public keys (relative to the config file’s folder).').meta({ examples: ['jwks.json'] }),
  jwks_url: z.string().url().optional().describe('JWKS URL with the public keys.').meta({ examples: ['https://idp.example.com/.well-known/jwks.json'] }),
  issuer: z.string().optional().describe('Required `iss`.').meta({ examples: ['https://idp.example.com/'] }),
  audience: z.string().optional().describe('Required `aud`.').meta({ examples: ['osproxy'] }),
  tenant_claim: z.string().default('tenant').describe('Claim naming the tenant.'),
  roles_claim: z.string().default('roles').describe('Claim listing the roles (read, write, manage).'),
  subject_claim: z.string().default('sub').describe('Claim naming the principal (logs, explain).'),
});
export type JwtConfig = z.infer<typeof JwtSchema>;

/** Operator credentials for the admin API (SPEC §5.5): separate from every tenant principal. */
export const OperatorSchema = z.strictObject({
  name: z.string().min(1).describe('Operator name (audit log lines).').meta({ examples: ['sre'] }),
  token_sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256 (osproxy token hash)').describe('SHA-256 (hex) of the operator’s bearer token.').meta({ examples: ['2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae'] }),
}).describe('An operator credential.');
export const OperatorsSchema = z.array(OperatorSchema).default([]);
export type OperatorConfig = z.infer<typeof OperatorSchema>;
