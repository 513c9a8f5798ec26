/**
 * The documents of the fleet store (SPEC §5.1): one per tenant, logical index, instance (and, in
 * migration and diagnostics directive). Every document has a kind, a key unique within its kind,
 * a body, and a `deleted` flag: deletions are tombstones, so that an instance reading only the
 * changes since its last snapshot (by `_seq_no`) sees them too.
 */
import { z } from 'zod';
import { PlacementSchema, TenantSchema } from '../config/tenant-schema.ts';
import type { JsonObject } from '../core/json.ts';

export const DOC_KINDS = ['tenant', 'index', 'instance', 'migration', 'directive'] as const;
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
/** Where a logical index's documents live: its placement and, in shared placement, its home and layout. */
export const LocationSchema = z.object({
  placement: PlacementSchema,
  layout: z.union([z.literal(0), z.literal(1)]).default(0),
  home: z.string().optional(),
  incarnation: z.string().optional(),
});
export type Location = z.infer<typeof LocationSchema>;

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
  /** A migration's cutover (SPEC §5.3): writes get 409 `stale_epoch` until the placement flips. */
  fenced: z.boolean().optional(),
  /** Writes carry the epoch they were routed under (a dedicated index gets it once a migration maps it). */
  stamp_epoch: z.boolean().optional(),
  /** Where it lived before its last migration: open cursors there keep working until the source is removed. */
  previous: LocationSchema.optional(),
});
export type IndexDoc = z.infer<typeof IndexDocSchema>;

export const MIGRATION_STATES = ['copying', 'catching_up', 'verified', 'cutover', 'complete', 'cancelled'] as const;
export type MigrationState = (typeof MIGRATION_STATES)[number];

/** Counts and ids that differ between source and target (SPEC §5.3 verify). */
export const DiffSchema = z.object({
  source: z.number().int(),
  target: z.number().int(),
  missing: z.number().int(),
  stale: z.number().int(),
  extra: z.number().int(),
  /** With `deep`: documents whose sources hash differently. */
  changed: z.number().int().optional(),
  at: z.number().int(),
});
export type Diff = z.infer<typeof DiffSchema>;

/**
 * A migration of one logical index (SPEC §5.3): a state machine its driver (the instance holding
 * the lease) advances, every step idempotent, so that a replaced driver resumes where this says.
 */
export const MigrationDocSchema = z.object({
  tenant: z.string(),
  index: z.string(),
  id: z.string(),
  from: LocationSchema,
  to: LocationSchema,
  state: z.enum(MIGRATION_STATES),
  auto_cutover: z.boolean().default(false),
  keep_source: z.boolean().default(false),
  max_docs_per_second: z.number().int().min(1).optional(),
  /** What an operator asked for that the driver has not done yet. */
  requested: z.enum(['cutover', 'cancel']).optional(),
  lease: z.object({ holder: z.string(), until: z.number().int() }).optional(),
  /** The epoch the cutover fenced writes at, and the store checkpoint of that fence. */
  fence: z.object({ epoch: z.number().int(), seq_no: z.number().int(), at: z.number().int() }).optional(),
  copied: z.number().int().default(0),
  total: z.number().int().default(0),
  diff: DiffSchema.optional(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
  completed_at: z.number().int().optional(),
  source_removed: z.boolean().default(false),
  /** Sources of earlier moves still to be removed when this one started (removed when due, unless kept). */
  leftovers: z.array(z.object({ location: LocationSchema, due: z.number().int(), kept: z.boolean().default(false) })).default([]),
  /**
   * Ids whose target copy carries a version of the target's own (written over a newer version or
   * a delete's tombstone): equal versions prove nothing for them, so every diff compares their
   * content. `overwritten_all`: too many to list, every diff is deep.
   */
  overwritten: z.array(z.string()).default([]),
  overwritten_all: z.boolean().default(false),
  error: z.string().optional(),
});
export type MigrationDoc = z.infer<typeof MigrationDocSchema>;

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
  /** Until when cursors this instance issued may still read a place a migration moves away from. */
  cursors: z.array(z.object({ tenant: z.string(), index: z.string(), location: z.string(), until: z.number().int() })).default([]),
});
export type InstanceCursor = InstanceDoc['cursors'][number];
export type InstanceDoc = z.infer<typeof InstanceDocSchema>;

export const indexKey = (tenant: string, lindex: string): string => `${tenant}/${lindex}`;
export const docId = (kind: DocKind, key: string): string => `${kind}:${key}`;
