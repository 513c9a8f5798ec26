import { createHash } from 'node:crypto';

/**
 * A stable per-tenant uuid for a logical index (the physical index's uuid is not the tenant's):
 * the same in `GET /{index}`, `_settings` and `_cat/indices`.
 */
export function logicalUuid(tenant: string, lindex: string): string {
  return createHash('sha256').update(`${tenant}\0${lindex}`).digest('base64url').slice(0, 22);
}
