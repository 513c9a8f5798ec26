/**
 * `DELETE /_osproxy/admin/tenants/{id}?purge=true`: besides removing access, delete the tenant's
 * data — its documents in shared indexes (delete-by-query on the reserved fields) and its
 * dedicated indexes — and its logical indexes from the store.
 */
import type { ReservedFields } from '../tenancy/index.ts';
import type { UpstreamCluster } from '../upstream/cluster.ts';
import type { ControlPlane } from './control-plane.ts';

export interface PurgeResult {
  indices: number;
  failed: string[];
}

export async function purgeTenantData(control: ControlPlane, clusters: ReadonlyMap<string, UpstreamCluster>, tenant: string, reserved: ReservedFields): Promise<PurgeResult> {
  const snapshot = control.snapshot();
  const names = snapshot?.indexes(tenant) ?? [];
  const failed: string[] = [];
  for (const lindex of names) {
    const target = (snapshot as NonNullable<typeof snapshot>).target(tenant, lindex);
    const cluster = clusters.get(target.cluster);
    if (cluster === undefined) {
      failed.push(lindex);
      continue;
    }
    const path = `/${encodeURIComponent(target.physicalIndex)}`;
    const res = target.placement === 'shared'
      ? await cluster.request({
        method: 'POST',
        path: `${path}/_delete_by_query?conflicts=proceed&refresh=true${target.routing === 'tenant' ? `&routing=${encodeURIComponent(tenant)}` : ''}`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: { bool: { filter: [{ term: { [reserved.tenant]: tenant } }, { term: { [reserved.lindex]: lindex } }] } } }),
        idempotent: false,
      })
      : await cluster.request({ method: 'DELETE', path, idempotent: false });
    await res.body.dump();
    if (res.status >= 300 && res.status !== 404) failed.push(lindex);
    else await control.unregisterIndex(tenant, lindex);
  }
  return { indices: names.length - failed.length, failed };
}
