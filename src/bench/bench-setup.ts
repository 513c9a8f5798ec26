/**
 * Before the timed runs: load the corpus through the proxy as the tenant (so the upstream holds
 * exactly what the proxy writes), refresh, and check that the direct baseline sees the same corpus.
 */
import type { Pool } from 'undici';
import { sendForJson, type HeaderMap } from './http.ts';
import { BENCH_INDEX, BENCH_TENANT, type Corpus } from './corpus.ts';
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

async function count(pool: Pool, path: string, headers: HeaderMap): Promise<number | undefined> {
  const res = await sendForJson(pool, 'GET', path, undefined, headers);
  return res.status === 200 ? (res.body as { count?: number } | undefined)?.count : undefined;
}

/** Throws unless the proxy (as the tenant) and the direct path count the whole corpus. */
export async function checkParity(direct: Pool, proxy: Pool, auth: HeaderMap, corpus: Corpus): Promise<void> {
  const viaProxy = await count(proxy, `/${BENCH_INDEX}/_count`, auth);
  const viaDirect = await count(direct, `/${corpus.target.physicalIndex}/_count?routing=${BENCH_TENANT}&q=_tenant:${BENCH_TENANT}`, {});
  if (viaProxy !== corpus.docs || viaDirect !== corpus.docs) {
    throw new Error(`corpus mismatch: loaded ${corpus.docs}, the proxy counts ${viaProxy}, the upstream counts ${viaDirect}`);
  }
}
