/**
 * The smoke workloads, each as a pair of request senders: through the proxy as the tenant, and
 * direct to the engine at the physical level the proxy would produce — same documents, same query,
 * so the difference is the proxy's own cost.
 */
import type { Pool } from 'undici';
import type { SendRequest } from './closed-loop.ts';
import { sendForStatus, type HeaderMap } from './http.ts';
import { LOGICAL_INDEX, PHYSICAL_INDEX, TENANT, physicalDoc, physicalId, smokeDoc, smokeQuery, wrappedSearch } from './smoke-data.ts';

export type Side = 'direct' | 'proxy';

export interface Workload {
  name: string;
  send: Record<Side, SendRequest>;
}

export interface Targets {
  engine: Pool;
  proxy: Pool;
  auth: HeaderMap;
  /** Documents in the corpus: gets read ids 0..docs-1, indexes overwrite them with identical content. */
  docs: number;
}

const SEARCH_SIZE = 10;
const ROUTING = `routing=${TENANT}`;

function directDocPath(id: number): string {
  return `/${PHYSICAL_INDEX}/_doc/${encodeURIComponent(physicalId(id))}?${ROUTING}`;
}

function getWorkload(t: Targets): Workload {
  return {
    name: 'get',
    send: {
      direct: (i) => sendForStatus(t.engine, 'GET', directDocPath(i % t.docs), undefined, {}),
      proxy: (i) => sendForStatus(t.proxy, 'GET', `/${LOGICAL_INDEX}/_doc/${i % t.docs}`, undefined, t.auth),
    },
  };
}

/** Overwrites existing ids with the same content, so the search corpus stays identical. */
function indexWorkload(t: Targets): Workload {
  return {
    name: 'index',
    send: {
      direct: (i) => sendForStatus(t.engine, 'PUT', directDocPath(i % t.docs), JSON.stringify(physicalDoc(i % t.docs)), {}),
      proxy: (i) => sendForStatus(t.proxy, 'PUT', `/${LOGICAL_INDEX}/_doc/${i % t.docs}`, JSON.stringify(smokeDoc(i % t.docs)), t.auth),
    },
  };
}

function searchWorkload(t: Targets): Workload {
  return {
    name: 'search',
    send: {
      direct: (i) => sendForStatus(t.engine, 'POST', `/${PHYSICAL_INDEX}/_search?${ROUTING}`, JSON.stringify(wrappedSearch(smokeQuery(i), SEARCH_SIZE)), {}),
      proxy: (i) => sendForStatus(t.proxy, 'POST', `/${LOGICAL_INDEX}/_search`, JSON.stringify({ query: smokeQuery(i), size: SEARCH_SIZE }), t.auth),
    },
  };
}

export function smokeWorkloads(t: Targets): Workload[] {
  return [getWorkload(t), indexWorkload(t), searchWorkload(t)];
}
