/**
 * One side of a migration (SPEC §5.3): where a logical index's documents live — a shared index
 * (the tenant's documents, tagged, under its physical names) or a dedicated one — and how the
 * mover reads them as the tenant sees them (logical ids, names and sources, with their `_version`
 * and the epoch they were written under) and writes them back in that side's physical form.
 */
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { decodeId, encodeId, injectReservedFields, stripReservedFields, type ReservedFields, type Target } from '../tenancy/index.ts';
import { inferNewFields } from '../tenancy/mapping/infer-fields.ts';
import type { LogicalMapping } from '../tenancy/mapping/logical-mapping.ts';
import { mergeLogicalMapping } from '../tenancy/mapping/merge-mapping.ts';
import { logicalSource } from '../tenancy/mapping/physical-names.ts';
import type { UpstreamCluster } from '../upstream/cluster.ts';
import { expectOk, jsonCall, type JsonAnswer } from './upstream-json.ts';

/** A document as the mover moves it. */
export interface SideDoc {
  id: string;
  version: number;
  /** The tenant's source (logical names, no reserved fields); absent when only versions were read. */
  source?: JsonObject;
  /** The epoch the stored document was written under (its stamp), kept as it is when copied. */
  epoch?: number;
}

const PAGE = 500;
const SCROLL = '2m';

export class MigrationSide {
  constructor(
    public target: Target,
    readonly cluster: UpstreamCluster,
    private readonly tenant: string,
    private readonly reserved: Required<ReservedFields>,
  ) {}

  get shared(): boolean {
    return this.target.placement === 'shared';
  }

  private get path(): string {
    return `/${encodeURIComponent(this.target.physicalIndex)}`;
  }

  private params(extra: Record<string, string> = {}): URLSearchParams {
    const q = new URLSearchParams(extra);
    if (this.shared && this.target.routing === 'tenant') q.set('routing', this.tenant);
    return q;
  }

  /** The tenant's documents of this logical index on this side. */
  query(): JsonObject {
    if (!this.shared) return { match_all: {} };
    return { bool: { filter: [{ term: { [this.reserved.tenant]: this.tenant } }, { term: { [this.reserved.lindex]: this.target.lindex } }] } };
  }

  /** How many of the tenant's documents this side holds (0 when it does not exist). */
  async count(): Promise<number> {
    await this.refresh();
    const answer = await jsonCall(this.cluster, { method: 'POST', path: `${this.path}/_count`, query: this.params(), body: JSON.stringify({ query: this.query() }), idempotent: true });
    if (answer.status === 404) return 0;
    expectOk(answer, 'counting the documents');
    return isObject(answer.body) && typeof answer.body.count === 'number' ? answer.body.count : 0;
  }

  /** Reads every document (sources too when asked), page by page; 0 when the side does not exist yet. */
  async scan(withSource: boolean, onPage: (docs: SideDoc[]) => Promise<void>): Promise<number> {
    // Ids and versions only are small: bigger pages, fewer round trips (a diff reads both sides whole).
    const body = { size: withSource ? PAGE : PAGE * 10, version: true, _source: withSource, sort: ['_doc'], query: this.query() };
    let answer = await jsonCall(this.cluster, { method: 'POST', path: `${this.path}/_search`, query: this.params({ scroll: SCROLL }), body: JSON.stringify(body) });
    if (answer.status === 404) return 0;
    let total = 0;
    let scrollId: string | undefined;
    try {
      for (;;) {
        expectOk(answer, 'reading the documents');
        scrollId = isObject(answer.body) && typeof answer.body._scroll_id === 'string' ? answer.body._scroll_id : undefined;
        const docs = this.hitsOf(answer);
        if (docs.length === 0 && this.rawHitCount(answer) === 0) return total;
        total += docs.length;
        await onPage(docs);
        if (scrollId === undefined) return total;
        answer = await jsonCall(this.cluster, { method: 'POST', path: '/_search/scroll', body: JSON.stringify({ scroll: SCROLL, scroll_id: scrollId }), idempotent: true });
      }
    } finally {
      if (scrollId !== undefined) await jsonCall(this.cluster, { method: 'DELETE', path: '/_search/scroll', body: JSON.stringify({ scroll_id: [scrollId] }) }).catch(() => undefined);
    }
  }

  private rawHitCount(answer: JsonAnswer): number {
    const hits = isObject(answer.body) && isObject(answer.body.hits) ? answer.body.hits.hits : undefined;
    return Array.isArray(hits) ? hits.length : 0;
  }

  private hitsOf(answer: JsonAnswer): SideDoc[] {
    const hits = isObject(answer.body) && isObject(answer.body.hits) ? answer.body.hits.hits : undefined;
    if (!Array.isArray(hits)) return [];
    return hits.flatMap((h) => {
      const doc = isObject(h) ? this.docOf(h._id, h._version, h._source) : undefined;
      return doc === undefined ? [] : [doc];
    });
  }

  /** A stored document as the tenant's; undefined when it is not this tenant's. */
  private docOf(pid: Json | undefined, version: Json | undefined, source: Json | undefined): SideDoc | undefined {
    if (typeof pid !== 'string' || typeof version !== 'number') return undefined;
    const id = decodeId(this.target, this.tenant, pid);
    if (id === undefined) return undefined;
    if (!isObject(source)) return { id, version };
    const stamp = source[this.reserved.epoch];
    const own = stripReservedFields(source, this.reserved);
    const logical = this.target.fields === undefined ? own : (logicalSource(own) as JsonObject);
    return { id, version, source: logical, epoch: typeof stamp === 'number' ? stamp : undefined };
  }

  /** The documents with these ids (sources and versions); missing ones are left out. */
  async fetch(ids: readonly string[]): Promise<SideDoc[]> {
    if (ids.length === 0) return [];
    const docs = ids.map((id) => ({ _id: encodeId(this.target, this.tenant, id) }));
    const answer = expectOk(await jsonCall(this.cluster, { method: 'POST', path: `${this.path}/_mget`, query: this.params(), body: JSON.stringify({ docs }), idempotent: true }), 'reading documents');
    const found = isObject(answer.body) && Array.isArray(answer.body.docs) ? answer.body.docs : [];
    return found.flatMap((d) => {
      const doc = isObject(d) && d.found === true ? this.docOf(d._id, d._version, d._source) : undefined;
      return doc === undefined ? [] : [doc];
    });
  }

  /** A document in this side's physical form. */
  private physical(doc: SideDoc): JsonObject {
    const r = this.reserved;
    const source = doc.source ?? {};
    const epoch = doc.epoch ?? 0;
    if (!this.shared) return { ...source, [r.epoch]: epoch };
    const fields = this.target.fields;
    if (fields === undefined) return { ...injectReservedFields(source, this.tenant, this.target.lindex, r, epoch), [r.id]: doc.id };
    return { ...fields.namer.document(source, fields.mapping), [r.tenant]: this.tenant, [r.lindex]: this.target.lindex, [r.id]: doc.id, [r.epoch]: epoch };
  }

  private actionMeta(id: string): JsonObject {
    const meta: JsonObject = { _index: this.target.physicalIndex, _id: encodeId(this.target, this.tenant, id) };
    if (this.shared && this.target.routing === 'tenant') meta.routing = this.tenant;
    return meta;
  }

  /**
   * Writes documents with their source `_version` as an external version (`external_gte`: a
   * copy at the version of a tombstone left here by a cleanup still lands), so a re-copy never
   * overwrites newer data; the ids whose copy here is newer are returned.
   */
  async write(docs: readonly SideDoc[]): Promise<string[]> {
    if (docs.length === 0) return [];
    await this.learnFields(docs);
    const lines = docs.flatMap((d) => [JSON.stringify({ index: { ...this.actionMeta(d.id), version: d.version, version_type: 'external_gte' } }), JSON.stringify(this.physical(d))]);
    const items = await this.bulk(lines, 'copying documents');
    return items.flatMap((item, i) => (item.status === 409 ? [docs[i].id] : []));
  }

  /** Writes documents with this side's own versioning (a copy here is newer than the source's). */
  async overwrite(docs: readonly SideDoc[]): Promise<void> {
    if (docs.length === 0) return;
    await this.bulk(docs.flatMap((d) => [JSON.stringify({ index: this.actionMeta(d.id) }), JSON.stringify(this.physical(d))]), 'copying documents');
  }

  /** Deletes documents (an absent one is fine). */
  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.bulk(ids.map((id) => JSON.stringify({ delete: this.actionMeta(id) })), 'deleting documents');
  }

  private async bulk(lines: string[], what: string): Promise<{ status: number }[]> {
    const answer = expectOk(await jsonCall(this.cluster, { method: 'POST', path: '/_bulk', body: `${lines.join('\n')}\n`, ndjson: true, idempotent: false }), what);
    const items = isObject(answer.body) && Array.isArray(answer.body.items) ? answer.body.items : [];
    return items.map((entry) => {
      const result = isObject(entry) ? Object.values(entry)[0] : undefined;
      const status = isObject(result) && typeof result.status === 'number' ? result.status : 500;
      if (status >= 400 && status !== 409 && status !== 404) throw new Error(`${what} failed: status ${status}`);
      return { status };
    });
  }

  async refresh(): Promise<void> {
    expectOk(await jsonCall(this.cluster, { method: 'POST', path: `${this.path}/_refresh`, idempotent: true }), 'refreshing', [404]);
  }

  /** The logical mapping a dedicated side has (reserved fields left out); undefined when it does not exist. */
  async dedicatedMapping(): Promise<JsonObject | undefined> {
    const answer = await jsonCall(this.cluster, { method: 'GET', path: `${this.path}/_mapping` });
    if (answer.status === 404) return undefined;
    expectOk(answer, 'reading the mapping');
    const entry = isObject(answer.body) ? Object.values(answer.body)[0] : undefined;
    const mappings = isObject(entry) && isObject(entry.mappings) ? entry.mappings : {};
    const props = isObject(mappings.properties) ? stripReservedFields(mappings.properties, this.reserved) : {};
    return { ...mappings, properties: props };
  }

  /** Creates a dedicated side with the mapping (and the epoch stamp's field); an existing one is kept. */
  async createDedicated(mapping: JsonObject | undefined): Promise<void> {
    const body = { mappings: this.withStampField(mapping ?? {}) };
    const answer = await jsonCall(this.cluster, { method: 'PUT', path: this.path, body: JSON.stringify(body), idempotent: false });
    const exists = isObject(answer.body) && isObject(answer.body.error) && answer.body.error.type === 'resource_already_exists_exception';
    if (!exists) expectOk(answer, 'creating the target index');
  }

  private withStampField(mapping: JsonObject): JsonObject {
    const props = isObject(mapping.properties) ? mapping.properties : {};
    return { ...mapping, properties: { ...props, [this.reserved.epoch]: { type: 'long' } } };
  }

  /** Adds a mapping's fields to a dedicated side (types never change, so this only ever adds). */
  async putDedicatedMapping(mapping: JsonObject | undefined): Promise<void> {
    const properties = this.withStampField(mapping ?? {}).properties;
    expectOk(await jsonCall(this.cluster, { method: 'PUT', path: `${this.path}/_mapping`, body: JSON.stringify({ properties }), idempotent: false }), 'mapping the fields');
  }

  /** The logical mapping of a shared side with per-tenant fields. */
  get logical(): LogicalMapping | undefined {
    return this.target.fields?.mapping;
  }

  /**
   * Adds fields to a shared side's logical mapping and maps them under the tenant's physical
   * names; documents written afterwards are renamed with them.
   */
  async addSharedFields(update: LogicalMapping): Promise<void> {
    const fields = this.target.fields;
    if (fields === undefined || Object.keys(update.properties).length === 0) return;
    const properties = fields.namer.properties(update.properties);
    expectOk(await jsonCall(this.cluster, { method: 'PUT', path: `${this.path}/_mapping`, body: JSON.stringify({ properties }), idempotent: false }), 'mapping the fields');
    this.target = { ...this.target, fields: { ...fields, mapping: mergeLogicalMapping(fields.mapping, update) } };
  }

  /** Fields the documents bring that a shared side's mapping lacks (a source of an earlier layout), mapped first. */
  async learnFields(docs: readonly SideDoc[]): Promise<void> {
    for (const d of docs) {
      const mapping = this.target.fields?.mapping;
      if (mapping === undefined || d.source === undefined) return;
      const added = inferNewFields(d.source, mapping);
      if (added !== undefined) await this.addSharedFields(added);
    }
  }

  /** Removes this side's copy: the tenant's documents from a shared index, or the dedicated index. */
  async destroy(): Promise<void> {
    if (!this.shared) {
      expectOk(await jsonCall(this.cluster, { method: 'DELETE', path: this.path, idempotent: false }), 'deleting the index', [404]);
      return;
    }
    await this.refresh();
    const query = this.params({ refresh: 'true', conflicts: 'proceed' });
    const answer = await jsonCall(this.cluster, { method: 'POST', path: `${this.path}/_delete_by_query`, query, body: JSON.stringify({ query: this.query() }), idempotent: false });
    expectOk(answer, 'deleting the documents', [404]);
  }
}
