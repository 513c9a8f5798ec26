/**
 * Before the timed runs: load the corpus through the proxy as the tenant (so the upstream holds
 * exactly what the proxy writes), refresh, and check that the direct baseline sees the same
 * corpus — the same documents, and the same answers to a query on a tenant field — so that the
 * direct side (and the floor and nginx, which forward it) does the work the proxy's upstream does.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Pool } from 'undici';
import { DEFAULT_RESERVED_FIELDS } from '../tenancy/reserved-fields.ts';
import { rewriteCountBody } from '../tenancy/search-rewrite.ts';
import { sendForJson, type HeaderMap } from './http.ts';
import { BENCH_INDEX, BENCH_TENANT, searchWord, type Corpus } from './corpus.ts';
import { loadRequests } from './workloads.ts';

const LOAD_BYTES_PER_BULK = 4 * 1024 * 1024;
const MAX_LOAD_BATCH = 500;

function describe(body: unknown): string {
  return JSON.stringify(body).slice(0, 300);
}

export async function loadCorpus(proxy: Pool, auth: HeaderMap, corpus: Corpus): Promise<void> {
  const batch = Math.max(1, Math.min(MAX_LOAD_BATCH, Math.floor(LOAD_BYTES_PER_BULK / corpus.docSize)));
  for (const req of loadRequests(corpus, batch)) {
    const res = await sendForJson(proxy, req.method, req.path, req.body, auth, req.contentType);
    const errors = (res.body as { errors?: boolean } | undefined)?.errors;
    if (res.status !== 200 || errors !== false) throw new Error(`loading the corpus failed: ${res.status} ${describe(res.body)}`);
  }
  const refresh = await sendForJson(proxy, 'POST', `/${BENCH_INDEX}/_refresh`, undefined, auth);
  if (refresh.status !== 200) throw new Error(`refresh failed: ${refresh.status} ${describe(refresh.body)}`);
}

async function count(pool: Pool, path: string, headers: HeaderMap, body?: string): Promise<number | undefined> {
  const res = await sendForJson(pool, body === undefined ? 'GET' : 'POST', path, body, headers);
  return res.status === 200 ? (res.body as { count?: number } | undefined)?.count : undefined;
}

/** The tenant's query on a field of its documents, through the proxy and as the proxy rewrites it for the upstream. */
async function fieldQueryCounts(direct: Pool, proxy: Pool, auth: HeaderMap, corpus: Corpus): Promise<[number | undefined, number | undefined]> {
  const query = { query: { match: { body: searchWord(0) } } };
  const scope = { tenant: BENCH_TENANT, targets: [corpus.target], reserved: DEFAULT_RESERVED_FIELDS, storedScriptAllowlist: new Set<string>() };
  const physical = `/${corpus.target.physicalIndex}/_count?routing=${BENCH_TENANT}`;
  return [await count(proxy, `/${BENCH_INDEX}/_count`, auth, JSON.stringify(query)), await count(direct, physical, {}, JSON.stringify(rewriteCountBody(query, scope)))];
}

/** Throws unless the direct baseline sees the corpus as the proxy stored it. */
export async function checkParity(direct: Pool, proxy: Pool, auth: HeaderMap, corpus: Corpus): Promise<void> {
  const viaProxy = await count(proxy, `/${BENCH_INDEX}/_count`, auth);
  const viaDirect = await count(direct, `/${corpus.target.physicalIndex}/_count?routing=${BENCH_TENANT}&q=_tenant:${BENCH_TENANT}`, {});
  if (viaProxy !== corpus.docs || viaDirect !== corpus.docs) {
    throw new Error(`corpus mismatch: loaded ${corpus.docs}, the proxy counts ${viaProxy}, the upstream counts ${viaDirect}`);
  }
  const stored = await sendForJson(direct, 'GET', `/${corpus.target.physicalIndex}/_doc/${encodeURIComponent(corpus.physicalIds[0])}?routing=${BENCH_TENANT}`, undefined, {});
  const source = (stored.body as { _source?: unknown } | undefined)?._source;
  if (!isDeepStrictEqual(source, JSON.parse(corpus.physical[0]))) {
    throw new Error(`baseline mismatch: the proxy stored ${describe(source)}, the direct side writes ${corpus.physical[0].slice(0, 300)}`);
  }
  const [proxyHits, directHits] = await fieldQueryCounts(direct, proxy, auth, corpus);
  if (proxyHits === undefined || proxyHits === 0 || proxyHits !== directHits) {
    throw new Error(`baseline mismatch: a match query counts ${proxyHits} through the proxy and ${directHits} direct`);
  }
}
