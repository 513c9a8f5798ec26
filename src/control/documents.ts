/**
 * The documents of the fleet store (SPEC §5.1): one per tenant, logical index, instance (and, in
 * later issues, migration and directive). Every document has a kind, a key unique within its kind,
 * a body, and a `deleted` flag: deletions are tombstones, so that an instance reading only the
 * changes since its last snapshot (by `_seq_no`) sees them too.
 */
import { z } from 'zod';
import { PlacementSchema, TenantSchema } from '../config/tenant-schema.ts';
import type { JsonObject } from '../core/json.ts';

export const DOC_KINDS = ['tenant', 'index', 'instance'] as const;
export type DocKind = (typeof DOC_KINDS)[number];

/** One stored document as read back, with what `if_seq_no`/`if_primary_term` needs to change it. */
export interface StoredDoc {
  kind: DocKind;
  key: string;
  body: JsonObject;
  deleted: boolean;
  /** Milliseconds since the epoch of the last change (for operators; ordering uses seqNo). */
  updatedAt: number;
  seqNo: number;
  primaryTerm: number;
}

/** What a change sends; the store adds the sequence numbers. */
export type DocWrite = Pick<StoredDoc, 'kind' | 'key' | 'body' | 'deleted'>;

export interface DocVersion {
  seqNo: number;
  primaryTerm: number;
}

/** A document's version as a snapshot keeps it (when it last changed, for merging copies in a repair). */
export interface EntryVersion extends DocVersion {
  updatedAt: number;
}

export const TENANT_STATES = ['active', 'suspended'] as const;
export type TenantState = (typeof TENANT_STATES)[number];

/** A tenant: exactly one YAML `tenants:` entry, plus its state and a version for `?if_version=`. */
export const TenantDocSchema = TenantSchema.extend({
  state: z.enum(TENANT_STATES).default('active'),
  version: z.number().int().min(1).default(1),
  created_at: z.number().int().default(0),
});
export type TenantDoc = z.infer<typeof TenantDocSchema>;

/**
 * A logical index: its placement frozen at creation (moved only by a migration) and its epoch.
 * In shared placement (layout 1) also its logical mapping, the shared index it lives in (`home`)
 * and an incarnation (new at each creation: what tells a re-created index apart); layout 0 is a shared index of an earlier
 * version whose fields keep the tenant's names.
 */
export const IndexDocSchema = z.object({
  tenant: z.string(),
  name: z.string(),
  placement: PlacementSchema,
  epoch: z.number().int().min(0).default(0),
  created_at: z.number().int().default(0),
  layout: z.union([z.literal(0), z.literal(1)]).default(0),
  home: z.string().optional(),
  incarnation: z.string().optional(),
  mapping: z.record(z.string(), z.unknown()).optional(),
});
export type IndexDoc = z.infer<typeof IndexDocSchema>;

/** An instance's heartbeat: who it is and which snapshot it serves from. */
export const InstanceDocSchema = z.object({
  id: z.string(),
  version: z.string(),
  started_at: z.number().int(),
  last_seen: z.number().int(),
  /** The store checkpoint of the snapshot the instance serves from. */
  snapshot: z.number().int(),
  pid: z.number().int(),
  host: z.string(),
});
export type InstanceDoc = z.infer<typeof InstanceDocSchema>;

export const indexKey = (tenant: string, lindex: string): string => `${tenant}/${lindex}`;
export const docId = (kind: DocKind, key: string): string => `${kind}:${key}`;
