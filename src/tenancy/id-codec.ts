/**
 * Physical document ids (SPEC §4.2). Shared placement: `{tenant}:{lindex}:{id}` — tenant ids and
 * logical index names never contain `:`, so splitting on the first two colons is exact even when
 * the client's id has colons. Dedicated placements: ids untouched.
 */
import { refuse } from './errors.ts';
import type { Target } from './names.ts';

export const MAX_ID_BYTES = 512;

export interface SharedIdParts {
  tenant: string;
  lindex: string;
  id: string;
}

export function encodeSharedId(tenant: string, lindex: string, id: string): string {
  return `${tenant}:${lindex}:${id}`;
}

/** Split a shared physical id on its first two colons; undefined when it has fewer than two. */
export function splitSharedId(physicalId: string): SharedIdParts | undefined {
  const first = physicalId.indexOf(':');
  if (first <= 0) return undefined;
  const second = physicalId.indexOf(':', first + 1);
  if (second <= first + 1) return undefined;
  return { tenant: physicalId.slice(0, first), lindex: physicalId.slice(first + 1, second), id: physicalId.slice(second + 1) };
}

/** The client's id, or undefined when the physical id does not belong to this tenant and logical index. */
export function decodeSharedId(physicalId: string, tenant: string, lindex: string): string | undefined {
  const parts = splitSharedId(physicalId);
  if (parts === undefined || parts.tenant !== tenant || parts.lindex !== lindex) return undefined;
  return parts.id;
}

/** Physical id for a client id written to `target` (validated like OpenSearch validates ids). */
export function encodeId(target: Target, tenant: string, id: string): string {
  if (id.length === 0) refuse('invalid_id', 'if _id is specified it must not be empty');
  const physical = target.placement === 'shared' ? encodeSharedId(tenant, target.lindex, id) : id;
  const bytes = Buffer.byteLength(physical, 'utf8');
  if (bytes > MAX_ID_BYTES) {
    const own = Buffer.byteLength(id, 'utf8');
    if (physical === id) refuse('id_too_long', `id [${id}] is too long, must be no longer than ${MAX_ID_BYTES} bytes but was: ${own}`);
    // Report the limit in the client's terms, and why it is lower than OpenSearch's: the prefix is the tenant's own names.
    const prefix = bytes - own;
    refuse('id_too_long', `id is too long, must be no longer than ${MAX_ID_BYTES - prefix} bytes but was: ${own}. `
      + `OpenSearch allows ${MAX_ID_BYTES} bytes, but in shared placement osproxy stores each id as [{tenant}:{index}:{id}], `
      + `and [${tenant}:${target.lindex}:] takes ${prefix} of them`);
  }
  return physical;
}

/** The client's id for a physical id read from `target`; undefined when it is not this tenant's. */
export function decodeId(target: Target, tenant: string, physicalId: string): string | undefined {
  return target.placement === 'shared' ? decodeSharedId(physicalId, tenant, target.lindex) : physicalId;
}
