/**
 * The benchmark workloads. Each turns a request number into the request a tenant sends through
 * the proxy and the request the proxy would send upstream for it (the direct baseline, also what
 * the nginx peer forwards): same documents, same query, so the difference is the proxy's own cost.
 * Index and bulk overwrite corpus ids with identical content, so gets and searches see a stable corpus.
 */
import type { Dispatcher } from 'undici';
import type { JsonObject } from '../core/json.ts';
import { DEFAULT_RESERVED_FIELDS } from '../tenancy/reserved-fields.ts';
import { rewriteSearchBody } from '../tenancy/search-rewrite.ts';
import { BENCH_INDEX, BENCH_TENANT, searchWord, type Corpus } from './corpus.ts';

export const WORKLOADS = ['index', 'get', 'search', 'bulk', 'mixed'] as const;
export type WorkloadName = (typeof WORKLOADS)[number];

export interface BenchRequest {
  method: Dispatcher.HttpMethod;
  path: string;
  body?: string;
  contentType?: string;
}

/** Request number `i` as seen by each kind of side. */
export interface Workload {
  name: WorkloadName;
  proxy(i: number): BenchRequest;
  direct(i: number): BenchRequest;
}

const SEARCH_SIZE = 10;
const SEARCH_BODIES = 1_024; // one per vocabulary word
const NDJSON = 'application/x-ndjson';

function docPaths(c: Corpus): { proxy: (i: number) => string; direct: (i: number) => string } {
  const routing = `?routing=${BENCH_TENANT}`;
  const physical = c.physicalIds.map((id) => `/${c.target.physicalIndex}/_doc/${encodeURIComponent(id)}${routing}`);
  return { proxy: (i) => `/${BENCH_INDEX}/_doc/${i % c.docs}`, direct: (i) => physical[i % c.docs] };
}

function getWorkload(c: Corpus): Workload {
  const paths = docPaths(c);
  return { name: 'get', proxy: (i) => ({ method: 'GET', path: paths.proxy(i) }), direct: (i) => ({ method: 'GET', path: paths.direct(i) }) };
}

function indexWorkload(c: Corpus): Workload {
  const paths = docPaths(c);
  return {
    name: 'index',
    proxy: (i) => ({ method: 'PUT', path: paths.proxy(i), body: c.logical[i % c.docs] }),
    direct: (i) => ({ method: 'PUT', path: paths.direct(i), body: c.physical[i % c.docs] }),
  };
}

function searchWorkload(c: Corpus): Workload {
  const scope = { tenant: BENCH_TENANT, targets: [c.target], reserved: DEFAULT_RESERVED_FIELDS, storedScriptAllowlist: new Set<string>() };
  const bodies = Array.from({ length: SEARCH_BODIES }, (_, i): JsonObject => ({ query: { match: { body: searchWord(i) } }, size: SEARCH_SIZE }));
  const proxyBodies = bodies.map((b) => JSON.stringify(b));
  const directBodies = bodies.map((b) => JSON.stringify(rewriteSearchBody(b, scope)));
  const directPath = `/${c.target.physicalIndex}/_search?routing=${BENCH_TENANT}`;
  return {
    name: 'search',
    proxy: (i) => ({ method: 'POST', path: `/${BENCH_INDEX}/_search`, body: proxyBodies[i % SEARCH_BODIES] }),
    direct: (i) => ({ method: 'POST', path: directPath, body: directBodies[i % SEARCH_BODIES] }),
  };
}

/** Bulk bodies are built per request (they are large); `batch` corpus documents per request. */
function bulkWorkload(c: Corpus, batch: number): Workload {
  const ids = (i: number): number[] => Array.from({ length: batch }, (_, k) => (i * batch + k) % c.docs);
  const proxyLine = (id: number): string => `{"index":{"_index":"${BENCH_INDEX}","_id":"${id}"}}\n${c.logical[id]}\n`;
  const directLine = (id: number): string => `{"index":{"_index":"${c.target.physicalIndex}","_id":${JSON.stringify(c.physicalIds[id])},"routing":"${BENCH_TENANT}"}}\n${c.physical[id]}\n`;
  return {
    name: 'bulk',
    proxy: (i) => ({ method: 'POST', path: '/_bulk', body: ids(i).map(proxyLine).join(''), contentType: NDJSON }),
    direct: (i) => ({ method: 'POST', path: '/_bulk', body: ids(i).map(directLine).join(''), contentType: NDJSON }),
  };
}

/** 60 % get, 25 % search, 15 % index, interleaved deterministically by request number. */
function mixedWorkload(c: Corpus): Workload {
  const parts = [getWorkload(c), searchWorkload(c), indexWorkload(c)];
  const pick = (i: number): Workload => parts[i % 20 < 12 ? 0 : i % 20 < 17 ? 1 : 2];
  return { name: 'mixed', proxy: (i) => pick(i).proxy(i), direct: (i) => pick(i).direct(i) };
}

export function buildWorkload(name: WorkloadName, corpus: Corpus, bulkBatch: number): Workload {
  switch (name) {
    case 'get':
      return getWorkload(corpus);
    case 'index':
      return indexWorkload(corpus);
    case 'search':
      return searchWorkload(corpus);
    case 'bulk':
      return bulkWorkload(corpus, bulkBatch);
    case 'mixed':
      return mixedWorkload(corpus);
  }
}

/** Loads the corpus through the proxy in bulks (the upstream sees exactly what the proxy writes). */
export function loadRequests(corpus: Corpus, batch: number): BenchRequest[] {
  const bulk = bulkWorkload(corpus, batch);
  return Array.from({ length: Math.ceil(corpus.docs / batch) }, (_, i) => bulk.proxy(i));
}
