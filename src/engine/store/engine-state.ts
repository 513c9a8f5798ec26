import { EngineError, indexNotFound } from '../errors.ts';
import { isObject, type Json, type JsonObject } from '../json.ts';
import { applyDynamicMapping } from '../mapping/dynamic.ts';
import { checkTotalFieldsLimit } from '../mapping/limits.ts';
import { mappingParseFailure, mergeMappings, parseMappingBody } from '../mapping/merge.ts';
import type { Mappings } from '../mapping/types.ts';
import type { WalRecord } from '../persist/records.ts';
import { WriteAheadLog } from '../persist/wal.ts';
import { IndexState, newIndexUuid, type IndexSettings } from './index-state.ts';
import { validateIndexName, wildcardMatch } from './index-names.ts';
import { parseIndexSettings, totalFieldsLimit } from './settings.ts';
import type { DocRecord } from './shard.ts';

export interface EngineOptions {
  /** Default number of primary shards for new indexes (OpenSearch 2.x: 1). */
  defaultShards?: number;
  /** Persist to this directory (write-ahead log + snapshot); in memory when absent. */
  dataDir?: string;
}

export interface ResolveOptions {
  /** A missing concrete name is skipped instead of answering 404. */
  ignoreUnavailable?: boolean;
  /** Wildcards that match nothing are fine (default true, as in OpenSearch search). */
  allowNoIndices?: boolean;
}

/** Parses a mapping body; failures are wrapped as MapperService.internalMerge wraps them. */
function parseMappings(body: Json | undefined): Mappings {
  try {
    return parseMappingBody(body);
  } catch (e) {
    throw e instanceof EngineError ? mappingParseFailure(e) : e;
  }
}

/** All indexes of the engine, name resolution, and durable application of changes. */
export class EngineState {
  readonly indices = new Map<string, IndexState>();
  readonly defaultShards: number;
  private readonly wal: WriteAheadLog | undefined;

  constructor(opts: EngineOptions = {}) {
    this.defaultShards = opts.defaultShards ?? 1;
    this.wal = opts.dataDir === undefined ? undefined : new WriteAheadLog(opts.dataDir);
    if (this.wal !== undefined) {
      for (const rec of this.wal.readAll()) this.replay(rec);
      this.wal.compact(this.snapshotRecords());
      for (const idx of this.indices.values()) idx.refresh();
    }
  }

  get(name: string): IndexState | undefined {
    return this.indices.get(name);
  }

  require(name: string): IndexState {
    const idx = this.indices.get(name);
    if (idx === undefined) throw indexNotFound(name);
    return idx;
  }

  /**
   * Resolves an index expression (`a`, `a,b`, `logs-*`, `_all`, `*`, `-excluded`) to indexes.
   * Names starting with `.` are hidden from wildcards unless the pattern starts with `.`.
   */
  resolve(expr: string | undefined, opts: ResolveOptions = {}): IndexState[] {
    const parts = expr === undefined || expr === '' || expr === '_all' ? ['*'] : expr.split(',');
    const chosen = new Map<string, IndexState>();
    for (const raw of parts) {
      const part = decodeURIComponent(raw.trim());
      if (part.startsWith('-') && chosen.size > 0) {
        for (const name of [...chosen.keys()]) if (wildcardMatch(part.slice(1), name)) chosen.delete(name);
        continue;
      }
      if (part.includes('*') || part === '_all') {
        const pattern = part === '_all' ? '*' : part;
        for (const [name, idx] of this.indices) {
          if (name.startsWith('.') && !pattern.startsWith('.')) continue;
          if (wildcardMatch(pattern, name)) chosen.set(name, idx);
        }
        continue;
      }
      const idx = this.indices.get(part);
      if (idx !== undefined) chosen.set(part, idx);
      else if (!opts.ignoreUnavailable) throw indexNotFound(part);
    }
    if (chosen.size === 0 && opts.allowNoIndices === false) throw indexNotFound(expr ?? '_all');
    return [...chosen.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  createIndex(name: string, body: Json | undefined): IndexState {
    validateIndexName(name);
    const existing = this.indices.get(name);
    if (existing !== undefined) {
      throw new EngineError(400, 'resource_already_exists_exception', `index [${name}/${existing.uuid}] already exists`, {
        index: name,
        index_uuid: existing.uuid,
      });
    }
    const obj = isObject(body) ? body : {};
    for (const key of Object.keys(obj)) {
      if (!['settings', 'mappings', 'aliases'].includes(key)) {
        throw new EngineError(400, 'parse_exception', `unknown key [${key}] for create index`);
      }
    }
    const settings = parseIndexSettings(obj.settings, this.defaultShards);
    const mappings = parseMappings(obj.mappings);
    checkTotalFieldsLimit(mappings, totalFieldsLimit(settings));
    return this.applyCreate({ t: 'create', index: name, uuid: newIndexUuid(), creationDate: Date.now(), settings, mappings });
  }

  /** Auto-creates an index on first write, as OpenSearch does with action.auto_create_index. */
  getOrCreate(name: string): IndexState {
    return this.indices.get(name) ?? this.createIndex(name, undefined);
  }

  deleteIndex(idx: IndexState): void {
    this.log({ t: 'drop', index: idx.name });
    this.indices.delete(idx.name);
  }

  putMapping(idx: IndexState, body: Json | undefined): void {
    const incoming = parseMappings(body);
    const next = structuredClone(idx.mappings);
    mergeMappings(next, incoming);
    checkTotalFieldsLimit(next, totalFieldsLimit(idx.settings));
    idx.mappings = next;
    idx.mappingsChanged();
    this.log({ t: 'mappings', index: idx.name, mappings: next });
  }

  updateSettings(idx: IndexSettings, indexName: string): void {
    this.log({ t: 'settings', index: indexName, settings: idx });
  }

  /** Applies dynamic mapping for a document (logging the new mapping if it grew). */
  mapDocument(idx: IndexState, source: JsonObject, id: string): void {
    if (!applyDynamicMapping(idx.mappings, source, id, false)) return;
    const next = structuredClone(idx.mappings);
    if (applyDynamicMapping(next, source, id)) {
      // A dynamic update is merged like an explicit one, so the same limit applies (MappingLookup.checkFieldLimit).
      checkTotalFieldsLimit(next, totalFieldsLimit(idx.settings));
      idx.mappings = next;
      idx.mappingsChanged();
      this.log({ t: 'mappings', index: idx.name, mappings: next });
    }
  }

  /** Stores a document version durably (logged before it is applied). */
  writeDoc(idx: IndexState, shard: number, rec: Omit<DocRecord, 'order'>): DocRecord {
    this.log({ t: 'doc', index: idx.name, shard, ...rec });
    return idx.shards[shard].apply(rec);
  }

  /** Records a consumed sequence number (a no-op write such as deleting a missing doc). */
  burnSeqNo(idx: IndexState, shard: number): number {
    const seqNo = idx.shards[shard].burnSeqNo();
    this.log({ t: 'seq', index: idx.name, shard, seqNo });
    return seqNo;
  }

  /** Makes every change so far durable: call before acknowledging a request. */
  commit(): void {
    this.wal?.commit();
    if (this.wal !== undefined && this.wal.walBytes > 256 * 1024 * 1024) this.wal.compact(this.snapshotRecords());
  }

  close(): void {
    if (this.wal === undefined) return;
    this.wal.compact(this.snapshotRecords());
    this.wal.close();
  }

  private log(rec: WalRecord): void {
    this.wal?.append(rec);
  }

  private applyCreate(rec: Extract<WalRecord, { t: 'create' }>): IndexState {
    this.log(rec);
    const idx = new IndexState(rec.index, rec.uuid, rec.creationDate, rec.settings, rec.mappings);
    this.indices.set(rec.index, idx);
    return idx;
  }

  private replay(rec: WalRecord): void {
    if (rec.t === 'create') {
      const idx = new IndexState(rec.index, rec.uuid, rec.creationDate, rec.settings, rec.mappings);
      this.indices.set(rec.index, idx);
      return;
    }
    if (rec.t === 'drop') {
      this.indices.delete(rec.index);
      return;
    }
    const idx = this.indices.get(rec.index);
    if (idx === undefined) return;
    if (rec.t === 'mappings') idx.mappings = rec.mappings as Mappings;
    else if (rec.t === 'settings') Object.assign(idx.settings, rec.settings);
    else if (rec.t === 'seq') idx.shards[rec.shard].ensureSeqNo(rec.seqNo);
    else {
      const { t: _t, index: _i, shard, ...doc } = rec;
      idx.shards[shard].apply(doc);
    }
  }

  private *snapshotRecords(): Generator<WalRecord> {
    for (const idx of this.indices.values()) {
      yield { t: 'create', index: idx.name, uuid: idx.uuid, creationDate: idx.creationDate, settings: idx.settings, mappings: idx.mappings };
      for (const shard of idx.shards) {
        const records = [...shard.allRecords()].sort((a, b) => a.order - b.order);
        for (const { order: _o, ...doc } of records) yield { t: 'doc', index: idx.name, shard: shard.num, ...doc };
        const high = shard.seqNoHigh;
        const maxDocSeq = records.reduce((m, r) => Math.max(m, r.seqNo), -1);
        if (high > maxDocSeq) yield { t: 'seq', index: idx.name, shard: shard.num, seqNo: high };
      }
    }
  }
}
