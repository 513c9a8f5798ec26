/** Authentication and tenant binding (SPEC §4.1): credentials → Principal → Binding to one tenant. */
export { Authenticator, devPrincipal, type AuthParts, type AuthSettings, type PeerInfo } from './authenticator.ts';
export { BasicCache } from './basic.ts';
export { CredentialCache } from './credential-cache.ts';
export { buildCredentialTables, type CredentialTables } from './credentials.ts';
export { JwtVerifier, type TenantSet } from './jwt.ts';
export { bindTenant, tenantHeaderOf, TENANT_HEADER } from './binding.ts';
export { hashToken } from './bearer.ts';
export { AuthConfigError } from './credentials.ts';
export { AuthError, OPERATOR_WWW_AUTHENTICATE, WWW_AUTHENTICATE, type AuthStatus } from './errors.ts';
export { OperatorAuth, type Operator } from './operators.ts';
export { OperatorSchema, OperatorsSchema, type OperatorConfig } from '../config/auth-schema.ts';
export { ALL_ROLES, type Binding, type Grants, type Principal, type PrincipalKind, type Role } from './principal.ts';
export { hashPassword, verifyPassword } from './scrypt.ts';
