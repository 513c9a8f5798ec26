/**
 * The logical-index registry of earlier osproxy versions (`.osproxy-registry`, one document per
 * tenant and logical index). A fleet store created where one exists imports it, so that upgrading
 * keeps every tenant's indexes.
 */
import { isObject, type Json } from '../core/json.ts';
import type { UpstreamCluster } from '../upstream/cluster.ts';
import type { LegacyIndex } from './control-plane.ts';

export const LEGACY_REGISTRY_INDEX = '.osproxy-registry';
const PAGE = 5000;

async function json(res: { body: { text(): Promise<string> } }): Promise<Json | undefined> {
  const text = await res.body.text();
  try {
    return text === '' ? undefined : (JSON.parse(text) as Json);
  } catch {
    return undefined;
  }
}

/** Every entry of the old registry; none when it does not exist. */
export async function readLegacyRegistry(cluster: UpstreamCluster): Promise<LegacyIndex[]> {
  const out: LegacyIndex[] = [];
  let after: Json[] | undefined;
  for (;;) {
    const body = { size: PAGE, sort: [{ tenant: 'asc' }, { lindex: 'asc' }], ...(after ? { search_after: after } : {}) };
    const res = await cluster.request({ method: 'POST', path: `/${LEGACY_REGISTRY_INDEX}/_search`, body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, idempotent: true });
    const answer = await json(res);
    if (res.status === 404) return out;
    if (res.status >= 300 || !isObject(answer) || !isObject(answer.hits) || !Array.isArray(answer.hits.hits)) throw new Error(`reading ${LEGACY_REGISTRY_INDEX} failed: status ${res.status}`);
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
