/**
 * What a migration driver works with: the instance's control plane (the fleet store), its upstream
 * clusters and settings — and, built from a migration document, the two sides it moves between.
 */
import { cursorLocation } from '../ops/cursor-horizon.ts';
import type { Logger } from 'pino';
import type { OsproxyConfig } from '../config/schema.ts';
import type { ControlPlane } from '../control/control-plane.ts';
import { MigrationDocSchema, type IndexDoc, type MigrationDoc, type StoredDoc } from '../control/documents.ts';
import { asJson } from '../control/snapshot-builder.ts';
import { targetAt } from '../control/tenancy-view.ts';
import type { Json, JsonObject } from '../core/json.ts';
import type { HomeEnv } from '../ops/shared-homes.ts';
import type { TenancySettings } from '../resolve/request-scope.ts';
import { fromStored, mappingJson } from '../tenancy/mapping/logical-mapping.ts';
import type { UpstreamCluster } from '../upstream/cluster.ts';
import { MigrationSide } from './side.ts';
import { jsonCall, MigrationStepError } from './upstream-json.ts';

export interface DriverEnv {
  readonly control: ControlPlane;
  readonly clusters: ReadonlyMap<string, UpstreamCluster>;
  readonly config: OsproxyConfig;
  readonly settings: TenancySettings;
  readonly log: Logger;
}

/** Thrown when another instance holds the migration's lease now: this driver stops at once. */
export class LostLease extends Error {
  override readonly name = 'LostLease';
}

export const migrationKey = (tenant: string, index: string): string => `${tenant}/${index}`;

export function clusterOf(env: DriverEnv, id: string): UpstreamCluster {
  const cluster = env.clusters.get(id);
  if (cluster === undefined) throw new MigrationStepError(`cluster [${id}] is not configured`);
  return cluster;
}

/** The home environment of a driver (choosing a shared index for a move into shared placement). */
export function driverHomeEnv(env: DriverEnv): HomeEnv {
  return {
    call: (cluster, opts) => jsonCall(cluster, opts),
    settings: env.settings,
    snapshot: () => env.control.snapshot(),
    cluster: (target) => clusterOf(env, target.cluster),
  };
}

/** The logical index's document now (fresh from the store). */
export async function indexDoc(env: DriverEnv, m: MigrationDoc): Promise<(IndexDoc & { seqNo: number }) | undefined> {
  const stored = await env.control.store.get('index', migrationKey(m.tenant, m.index));
  if (stored === undefined || stored.deleted) return undefined;
  return { ...(stored.body as unknown as IndexDoc), seqNo: stored.seqNo };
}

/** The migration's two sides, each shared side with its logical mapping (the target's: the one it is to have). */
export function sidesOf(env: DriverEnv, m: MigrationDoc, mappings: { source?: Json; target?: Json }): { source: MigrationSide; target: MigrationSide } {
  const side = (loc: MigrationDoc['from'], mapping: Json | undefined): MigrationSide => {
    const target = targetAt(m.tenant, m.index, loc, mapping);
    return new MigrationSide(target, clusterOf(env, target.cluster), m.tenant, env.settings.reserved);
  };
  return { source: side(m.from, mappings.source), target: side(m.to, mappings.target) };
}

/** The source's mapping as OpenSearch JSON: the logical mapping (shared), the index's own (dedicated); none for an earlier shared layout. */
export async function sourceMapping(m: MigrationDoc, index: IndexDoc, source: MigrationSide): Promise<JsonObject | undefined> {
  if (!source.shared) return source.dedicatedMapping();
  return m.from.layout === 1 ? mappingJson(fromStored(index.mapping as Json | undefined)) : undefined;
}

/** Parses a stored migration document (the store holds JSON). */
export function migrationOf(stored: StoredDoc | undefined): MigrationDoc | undefined {
  if (stored === undefined || stored.deleted) return undefined;
  const parsed = MigrationDocSchema.safeParse(stored.body);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Changes the migration document with a guarded write, only while `holder` holds its lease
 * (undefined holder: an operator's request, which never needs the lease). Returns the new document.
 */
export async function updateMigration(env: DriverEnv, key: string, holder: string | undefined, change: (m: MigrationDoc) => MigrationDoc | undefined): Promise<MigrationDoc> {
  let result: MigrationDoc | undefined;
  await env.control.mutate('migration', key, (stored) => {
    const m = migrationOf(stored);
    if (m === undefined) throw new MigrationStepError(`migration [${key}] is gone`);
    if (holder !== undefined && (m.lease?.holder !== holder || m.lease.until < Date.now())) throw new LostLease(`the lease of migration [${key}] is held elsewhere`);
    const next = change(m);
    result = next ?? m;
    return next === undefined ? undefined : { kind: 'migration', key, deleted: false, body: asJson({ ...next, updated_at: Date.now() }) };
  });
  return result as MigrationDoc;
}

/** Whether a cursor some instance issued may still read `side` of the tenant's index (its source is kept until not). */
export function cursorsOpenOn(env: DriverEnv, tenant: string, index: string, side: MigrationSide, now = Date.now()): boolean {
  const location = cursorLocation(side.target.cluster, side.target.physicalIndex);
  for (const e of env.control.snapshot()?.instances.values() ?? []) {
    if (e.doc.cursors.some((c) => c.tenant === tenant && c.index === index && c.location === location && c.until > now)) return true;
  }
  return false;
}
