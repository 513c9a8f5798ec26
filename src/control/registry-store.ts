import { isObject, type Json } from '../core/json.ts';
import type { UpstreamCluster } from '../upstream/cluster.ts';

export interface RegistryEntry {
  tenant: string;
  lindex: string;
  createdAt: number;
}

/** Where the logical-index registry is kept durably (the fleet shares it through the cluster). */
export interface RegistryStore {
  load(): Promise<RegistryEntry[]>;
  put(entry: RegistryEntry): Promise<void>;
  remove(tenant: string, lindex: string): Promise<void>;
}

/** Tenants cannot name an index starting with `.`, so this can never collide with a tenant's own. */
export const REGISTRY_INDEX = '.osproxy-registry';
const PAGE = 5000;

async function json(res: { body: { text(): Promise<string> } }): Promise<Json | undefined> {
  const text = await res.body.text();
  return text === '' ? undefined : (JSON.parse(text) as Json);
}

/** The registry as one document per (tenant, logical index) in an index on the control cluster. */
export class ClusterRegistryStore implements RegistryStore {
  private readonly cluster: UpstreamCluster;
  private ensured = false;

  constructor(cluster: UpstreamCluster) {
    this.cluster = cluster;
  }

  private async ensureIndex(): Promise<void> {
    if (this.ensured) return;
    const body = { mappings: { properties: { tenant: { type: 'keyword' }, lindex: { type: 'keyword' }, created_at: { type: 'long' } } } };
    const res = await this.cluster.request({ method: 'PUT', path: `/${REGISTRY_INDEX}`, body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, idempotent: false });
    const answer = await json(res);
    const exists = isObject(answer) && isObject(answer.error) && answer.error.type === 'resource_already_exists_exception';
    if (res.status >= 300 && !exists) throw new Error(`cannot create ${REGISTRY_INDEX}: status ${res.status}`);
    this.ensured = true;
  }

  async load(): Promise<RegistryEntry[]> {
    const out: RegistryEntry[] = [];
    let after: Json[] | undefined;
    for (;;) {
      const body = { size: PAGE, sort: [{ tenant: 'asc' }, { lindex: 'asc' }], ...(after ? { search_after: after } : {}) };
      const res = await this.cluster.request({ method: 'POST', path: `/${REGISTRY_INDEX}/_search`, body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, idempotent: true });
      const answer = await json(res);
      if (res.status === 404) return out;
      if (res.status >= 300 || !isObject(answer) || !isObject(answer.hits) || !Array.isArray(answer.hits.hits)) throw new Error(`registry load failed: status ${res.status}`);
      for (const hit of answer.hits.hits) {
        const src = isObject(hit) && isObject(hit._source) ? hit._source : {};
        if (typeof src.tenant === 'string' && typeof src.lindex === 'string') {
          out.push({ tenant: src.tenant, lindex: src.lindex, createdAt: typeof src.created_at === 'number' ? src.created_at : 0 });
        }
      }
      const last = answer.hits.hits[answer.hits.hits.length - 1];
      if (answer.hits.hits.length < PAGE || !isObject(last) || !Array.isArray(last.sort)) return out;
      after = last.sort;
    }
  }

  async put(entry: RegistryEntry): Promise<void> {
    await this.ensureIndex();
    const id = encodeURIComponent(`${entry.tenant}:${entry.lindex}`);
    const body = JSON.stringify({ tenant: entry.tenant, lindex: entry.lindex, created_at: entry.createdAt });
    const res = await this.cluster.request({ method: 'PUT', path: `/${REGISTRY_INDEX}/_create/${id}?refresh=wait_for`, body, headers: { 'content-type': 'application/json' }, idempotent: false });
    await res.body.dump();
    if (res.status >= 300 && res.status !== 409) throw new Error(`registry put failed: status ${res.status}`);
  }

  async remove(tenant: string, lindex: string): Promise<void> {
    const id = encodeURIComponent(`${tenant}:${lindex}`);
    const res = await this.cluster.request({ method: 'DELETE', path: `/${REGISTRY_INDEX}/_doc/${id}?refresh=wait_for`, idempotent: false });
    await res.body.dump();
    if (res.status >= 300 && res.status !== 404) throw new Error(`registry delete failed: status ${res.status}`);
  }
}
