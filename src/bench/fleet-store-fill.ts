/** A fleet store filled with synthetic tenants and logical indexes (for `bench:fleet`). */
import { hashToken } from '../auth/index.ts';
import { ClusterSchema } from '../config/schema.ts';
import { ClusterFleetStore } from '../control/cluster-store.ts';
import { UpstreamCluster } from '../upstream/cluster.ts';

export const token = (i: number): string => `fleet-bench-token-${i}`;
export const tenantId = (i: number): string => `t${String(i).padStart(6, '0')}`;

/** Writes `tenants` tenant documents and `indexes` logical indexes each into the store behind `alias`. */
export async function fillFleetStore(engineUrl: string, alias: string, tenants: number, indexes: number): Promise<void> {
  const cluster = new UpstreamCluster('control', ClusterSchema.parse({ url: engineUrl }));
  await new ClusterFleetStore(cluster, alias).ensure(() => []);
  const now = Date.now();
  let lines: string[] = [];
  const flush = async (): Promise<void> => {
    if (lines.length === 0) return;
    const res = await cluster.request({ method: 'POST', path: `/_bulk?require_alias=true`, headers: { 'content-type': 'application/x-ndjson' }, body: lines.join('\n') + '\n', idempotent: false });
    const answer = JSON.parse(await res.body.text()) as { errors?: boolean };
    if (res.status !== 200 || answer.errors === true) throw new Error(`populating the store failed: status ${res.status}`);
    lines = [];
  };
  const doc = (kind: string, key: string, body: object): void => {
    lines.push(JSON.stringify({ create: { _index: alias, _id: `${kind}:${key}` } }), JSON.stringify({ kind, key, deleted: false, updated_at: now, body }));
  };
  for (let i = 0; i < tenants; i++) {
    const id = tenantId(i);
    doc('tenant', id, { placement: { kind: 'shared', routing: 'tenant' }, indices: {}, principals: [{ name: 'app', token_sha256: hashToken(token(i)), roles: ['read', 'write', 'manage'] }], state: 'active', version: 1, created_at: now });
    for (let j = 0; j < indexes; j++) doc('index', `${id}/idx-${j}`, { tenant: id, name: `idx-${j}`, placement: { kind: 'shared', routing: 'tenant' }, epoch: 0, created_at: now });
    if (lines.length >= 10_000) await flush();
  }
  await flush();
  await cluster.request({ method: 'POST', path: `/${encodeURIComponent(alias)}/_refresh`, idempotent: true }).then((r) => r.body.dump());
  await cluster.close();
}

