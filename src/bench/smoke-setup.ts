/**
 * Preparing the smoke benchmark: bulk-load the corpus through the proxy as the tenant, then check
 * that the engine holds it where the direct baseline will read it (physical index, ids, routing).
 */
import type { Pool } from 'undici';
import { sendForJson, type HeaderMap } from './http.ts';
import { LOGICAL_INDEX, PHYSICAL_INDEX, TENANT, physicalId, smokeDoc, wrappedSearch } from './smoke-data.ts';

const BULK_BATCH = 500;

function bulkBody(from: number, to: number): string {
  let body = '';
  for (let i = from; i < to; i++) body += `{"index":{"_index":"${LOGICAL_INDEX}","_id":"${i}"}}\n${JSON.stringify(smokeDoc(i))}\n`;
  return body;
}

function describe(body: unknown): string {
  return JSON.stringify(body).slice(0, 300);
}

async function bulkBatch(proxy: Pool, auth: HeaderMap, from: number, to: number): Promise<void> {
  const res = await sendForJson(proxy, 'POST', '/_bulk', bulkBody(from, to), auth, 'application/x-ndjson');
  const errors = (res.body as { errors?: boolean } | undefined)?.errors;
  if (res.status !== 200 || errors !== false) throw new Error(`bulk ${from}..${to} failed: ${res.status} ${describe(res.body)}`);
}

/** Loads documents 0..count-1 into the tenant's logical index in batches of 500, then refreshes. */
export async function loadCorpus(proxy: Pool, auth: HeaderMap, count: number): Promise<void> {
  for (let from = 0; from < count; from += BULK_BATCH) await bulkBatch(proxy, auth, from, Math.min(count, from + BULK_BATCH));
  const refresh = await sendForJson(proxy, 'POST', `/${LOGICAL_INDEX}/_refresh`, undefined, auth);
  if (refresh.status !== 200) throw new Error(`refresh failed: ${refresh.status} ${describe(refresh.body)}`);
}

async function countVia(pool: Pool, path: string, body: unknown, headers: HeaderMap): Promise<number> {
  const res = await sendForJson(pool, 'POST', path, JSON.stringify(body), headers);
  const count = (res.body as { count?: number } | undefined)?.count;
  if (res.status !== 200 || count === undefined) throw new Error(`count on ${path} failed: ${res.status} ${describe(res.body)}`);
  return count;
}

/** Throws unless proxy and engine agree on the corpus size and the engine serves a physical get. */
export async function checkParity(engine: Pool, proxy: Pool, auth: HeaderMap, count: number): Promise<void> {
  const viaProxy = await countVia(proxy, `/${LOGICAL_INDEX}/_count`, { query: { match_all: {} } }, auth);
  const { query } = wrappedSearch({ match_all: {} }, 0);
  const direct = await countVia(engine, `/${PHYSICAL_INDEX}/_count?routing=${TENANT}`, { query }, {});
  if (viaProxy !== count || direct !== count) throw new Error(`corpus mismatch: loaded ${count}, proxy counts ${viaProxy}, engine counts ${direct}`);
  const get = await sendForJson(engine, 'GET', `/${PHYSICAL_INDEX}/_doc/${encodeURIComponent(physicalId(0))}?routing=${TENANT}`, undefined, {});
  if (get.status !== 200) throw new Error(`direct get of ${physicalId(0)} failed: ${get.status} ${describe(get.body)}`);
}
