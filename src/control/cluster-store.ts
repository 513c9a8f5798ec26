/**
 * The fleet store as an index on the control cluster (SPEC §5.1). Writes go to an alias with
 * `require_alias=true`, so that a lost store is never silently re-created by a write with dynamic
 * mapping (what broke the old registry); a meta document carries the store's incarnation, so that
 * an instance notices when the store was rebuilt under it. Works on OpenSearch 1.x/2.x and
 * Elasticsearch ≥ 7.10 (`require_alias`).
 */
import { randomUUID } from 'node:crypto';
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import type { UpstreamCluster, UpstreamResponse } from '../upstream/cluster.ts';
import { DOC_KINDS, docId, type DocKind, type DocVersion, type DocWrite, type StoredDoc } from './documents.ts';
import { StoreConflict, StoreUnavailable, type EnsureResult, type FleetStore, type StoreRead } from './fleet-store.ts';
import { repairStore, type StoreLayout } from './store-repair.ts';

/** Documents per page of a change read. */
const PAGE = 1_000;
/** Documents per page of a whole read (handed over page by page, so a large store is never held twice). */
const SCROLL_PAGE = 2_000;
const SCROLL_KEEP_ALIVE = '1m';
/** Only what a stored document needs: smaller pages, less to parse. */
const FILTER_PATH = 'filter_path=_scroll_id,hits.hits._id,hits.hits._seq_no,hits.hits._primary_term,hits.hits._source';
const META_ID = 'meta:store';

export const STORE_MAPPING: JsonObject = {
  dynamic: 'strict',
  properties: {
    kind: { type: 'keyword' },
    key: { type: 'keyword' },
    deleted: { type: 'boolean' },
    updated_at: { type: 'long' },
    body: { type: 'object', enabled: false },
  },
};

interface Answer {
  status: number;
  body: Json | undefined;
}

async function answerOf(res: UpstreamResponse): Promise<Answer> {
  const text = await res.body.text();
  try {
    return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as Json) };
  } catch {
    return { status: res.status, body: undefined };
  }
}

function errorType(a: Answer): string | undefined {
  return isObject(a.body) && isObject(a.body.error) && typeof a.body.error.type === 'string' ? a.body.error.type : undefined;
}

function isKind(v: unknown): v is DocKind {
  return typeof v === 'string' && (DOC_KINDS as readonly string[]).includes(v);
}

/** A search hit as a stored document; undefined for the meta document or anything malformed. */
function docOf(hit: Json): StoredDoc | undefined {
  if (!isObject(hit) || !isObject(hit._source)) return undefined;
  const src = hit._source;
  if (!isKind(src.kind) || typeof src.key !== 'string' || !isObject(src.body)) return undefined;
  if (typeof hit._seq_no !== 'number' || typeof hit._primary_term !== 'number') return undefined;
  return {
    kind: src.kind,
    key: src.key,
    body: src.body,
    deleted: src.deleted === true,
    updatedAt: typeof src.updated_at === 'number' ? src.updated_at : 0,
    seqNo: hit._seq_no,
    primaryTerm: hit._primary_term,
  };
}

export class ClusterFleetStore implements FleetStore {
  private readonly layout: StoreLayout;

  constructor(
    private readonly cluster: UpstreamCluster,
    alias: string,
  ) {
    this.layout = { alias, mapping: STORE_MAPPING, metaId: META_ID };
  }

  private async call(method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD', path: string, body?: unknown): Promise<Answer> {
    try {
      const res = await this.cluster.request({
        method,
        path,
        // A string is NDJSON (a bulk body), anything else JSON.
        headers: body === undefined ? undefined : { 'content-type': typeof body === 'string' ? 'application/x-ndjson' : 'application/json' },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        idempotent: method === 'GET' || method === 'HEAD' || path.includes('/_search'),
      });
      return await answerOf(res);
    } catch (e) {
      throw new StoreUnavailable(`the control cluster [${this.cluster.id}] is unreachable: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private get alias(): string {
    return encodeURIComponent(this.layout.alias);
  }

  /** A whole read: one scroll over the store (sorted once), handed over page by page. */
  async readAll(onPage?: (docs: StoredDoc[]) => void): Promise<StoreRead> {
    const incarnation = await this.incarnation();
    const docs: StoredDoc[] = [];
    let checkpoint = -1;
    const take = (hits: Json[]): void => {
      const page: StoredDoc[] = onPage === undefined ? docs : [];
      for (const hit of hits) {
        if (isObject(hit) && typeof hit._seq_no === 'number') checkpoint = Math.max(checkpoint, hit._seq_no);
        const doc = docOf(hit);
        if (doc !== undefined) page.push(doc);
      }
      onPage?.(page);
    };
    const first = { size: SCROLL_PAGE, sort: ['_doc'], seq_no_primary_term: true, query: { match_all: {} } };
    let page = await this.page('POST', `/${this.alias}/_search?scroll=${SCROLL_KEEP_ALIVE}&${FILTER_PATH}`, first);
    try {
      while (page.hits.length > 0) {
        take(page.hits);
        if (page.hits.length < SCROLL_PAGE || page.scrollId === undefined) break;
        page = await this.page('POST', `/_search/scroll?${FILTER_PATH}`, { scroll: SCROLL_KEEP_ALIVE, scroll_id: page.scrollId });
      }
    } finally {
      if (page.scrollId !== undefined) await this.call('DELETE', '/_search/scroll', { scroll_id: [page.scrollId] }).catch(() => undefined);
    }
    return { docs, checkpoint, incarnation };
  }

  private async page(method: 'POST', path: string, body: unknown): Promise<{ hits: Json[]; scrollId?: string }> {
    const a = await this.call(method, path, body);
    const hits = isObject(a.body) && isObject(a.body.hits) && Array.isArray(a.body.hits.hits) ? a.body.hits.hits : a.status === 200 && isObject(a.body) ? [] : undefined;
    if (a.status !== 200 || hits === undefined) throw new StoreUnavailable(`reading the fleet store failed: status ${a.status}${errorType(a) ? ` (${errorType(a)})` : ''}`, a.status === 404);
    const scrollId = isObject(a.body) && typeof a.body._scroll_id === 'string' ? a.body._scroll_id : undefined;
    return { hits, scrollId };
  }

  /** The documents changed after `checkpoint`, in `_seq_no` order (a few pages at most). */
  async readChanges(checkpoint: number): Promise<StoreRead> {
    const incarnation = await this.incarnation();
    const docs: StoredDoc[] = [];
    let last = checkpoint;
    for (;;) {
      const body = { size: PAGE, query: { range: { _seq_no: { gt: last } } }, sort: [{ _seq_no: 'asc' }], seq_no_primary_term: true };
      const { hits } = await this.page('POST', `/${this.alias}/_search?${FILTER_PATH}`, body);
      for (const hit of hits) {
        if (isObject(hit) && typeof hit._seq_no === 'number') last = Math.max(last, hit._seq_no);
        const doc = docOf(hit);
        if (doc !== undefined) docs.push(doc);
      }
      if (hits.length < PAGE) return { docs, checkpoint: last, incarnation };
    }
  }

  private async incarnation(): Promise<string> {
    const a = await this.call('GET', `/${this.alias}/_doc/${META_ID}`);
    const source = isObject(a.body) && isObject(a.body._source) ? a.body._source : undefined;
    const value = source !== undefined && isObject(source.body) ? source.body.incarnation : undefined;
    if (a.status !== 200 || typeof value !== 'string') throw new StoreUnavailable(`the fleet store is missing or malformed (status ${a.status})`, a.status === 404);
    return value;
  }

  async get(kind: DocKind, key: string): Promise<StoredDoc | undefined> {
    const a = await this.call('GET', `/${this.alias}/_doc/${encodeURIComponent(docId(kind, key))}`);
    if (a.status === 404 && errorType(a) === undefined) return undefined;
    if (a.status !== 200) throw new StoreUnavailable(`reading ${kind} [${key}] failed: status ${a.status}`);
    return docOf(a.body ?? null);
  }

  async create(doc: DocWrite): Promise<StoredDoc> {
    return this.write(doc, '_create', 'refresh=wait_for');
  }

  async replace(doc: DocWrite, expected: DocVersion): Promise<StoredDoc> {
    return this.write(doc, '_doc', `if_seq_no=${expected.seqNo}&if_primary_term=${expected.primaryTerm}&refresh=wait_for`);
  }

  async put(doc: DocWrite): Promise<StoredDoc> {
    return this.write(doc, '_doc', '');
  }

  private async write(doc: DocWrite, op: '_doc' | '_create', params: string): Promise<StoredDoc> {
    const updatedAt = Date.now();
    const source = { kind: doc.kind, key: doc.key, deleted: doc.deleted, updated_at: updatedAt, body: doc.body };
    const query = `require_alias=true${params === '' ? '' : `&${params}`}`;
    const a = await this.call('PUT', `/${this.alias}/${op}/${encodeURIComponent(docId(doc.kind, doc.key))}?${query}`, source);
    if (a.status === 409) throw new StoreConflict(`${doc.kind} [${doc.key}] changed since it was read`);
    const seqNo = isObject(a.body) ? a.body._seq_no : undefined;
    const primaryTerm = isObject(a.body) ? a.body._primary_term : undefined;
    if (a.status >= 300 || typeof seqNo !== 'number' || typeof primaryTerm !== 'number') {
      throw new StoreUnavailable(`writing ${doc.kind} [${doc.key}] failed: status ${a.status}${errorType(a) ? ` (${errorType(a)})` : ''}`);
    }
    return { ...doc, updatedAt, seqNo, primaryTerm };
  }

  async ensure(docs: () => readonly StoredDoc[]): Promise<EnsureResult> {
    return repairStore(this.layout, (m, p, b) => this.call(m, p, b), docs, randomUUID);
  }

  async close(): Promise<void> {}
}
