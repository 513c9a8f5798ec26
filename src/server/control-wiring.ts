/** Builds an instance's control plane: its fleet store, its identity and how snapshots authenticate. */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { Authenticator, BasicCache, buildCredentialTables, devPrincipal, JwtVerifier } from '../auth/index.ts';
import type { OsproxyConfig } from '../config/schema.ts';
import { ClusterFleetStore } from '../control/cluster-store.ts';
import { ControlPlane } from '../control/control-plane.ts';
import { readLegacyRegistry } from '../control/legacy-registry.ts';
import { MemoryFleetStore } from '../control/memory-store.ts';
import type { TenantEntry } from '../control/tenancy-view.ts';
import { osproxyVersion } from '../core/project-root.ts';
import type { UpstreamCluster } from '../upstream/cluster.ts';

export async function buildControlPlane(config: OsproxyConfig, clusters: ReadonlyMap<string, UpstreamCluster>, log: Logger, devOpen: boolean): Promise<ControlPlane> {
  // The YAML tenants only seed an empty store, but a mistake in them is still a configuration error.
  buildCredentialTables(config.tenants);
  const controlCluster = clusters.get(config.control.cluster) as UpstreamCluster;
  const store = config.control.store === 'memory' ? new MemoryFleetStore() : new ClusterFleetStore(controlCluster, config.control.index);
  let plane: ControlPlane | undefined = undefined;
  const jwt = config.auth.jwt === undefined ? undefined : await JwtVerifier.create(config.auth.jwt, { has: (t) => plane?.snapshot()?.hasTenant(t) ?? false });
  const basicCache = new BasicCache();
  const makeAuth = (tenants: ReadonlyMap<string, TenantEntry>): Authenticator => {
    const tables = buildCredentialTables(
      [...tenants].map(([id, t]) => [id, t.doc] as const),
      (tenant, e) => log.error({ tenant, reason: e.message }, 'a tenant in the fleet store has inconsistent credentials; they are ignored'),
    );
    return Authenticator.fromParts({ tables, jwt, basicCache, dev: devOpen ? devPrincipal(tenants.keys()) : undefined });
  };
  plane = new ControlPlane({
    store,
    config: config.control,
    log,
    instance: { id: `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`, version: osproxyVersion(), host: hostname(), pid: process.pid, startedAt: Date.now() },
    seed: config.tenants,
    legacyIndexes: config.control.store === 'cluster' ? () => readLegacyRegistry(controlCluster) : undefined,
    hooks: {
      makeAuth,
      onAmbiguous: (tenant, lindex) => log.warn({ tenant, lindex }, 'dedicated index name is ambiguous across tenants; fix the index templates'),
    },
  });
  return plane;
}
