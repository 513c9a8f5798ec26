import { EngineError, indexNotFound, requireAliasMissing } from '../errors.ts';
import { isObject, type Json, type JsonObject } from '../json.ts';
import { applyDynamicMapping } from '../mapping/dynamic.ts';
import { checkTotalFieldsLimit } from '../mapping/limits.ts';
import { mappingParseFailure, mergeMappings, parseMappingBody } from '../mapping/merge.ts';
import type { Mappings } from '../mapping/types.ts';
import type { WalRecord } from '../persist/records.ts';
import { WriteAheadLog } from '../persist/wal.ts';
import { aliasNamedLikeIndex, parseAliasDefinition, validateAliasLayout, type AliasHolder, type AliasMetadata } from './aliases.ts';
import { IndexLookup, type ResolveOptions } from './index-resolver.ts';
import { IndexState, newIndexUuid, type IndexSettings } from './index-state.ts';
import { validateIndexName } from './index-names.ts';
import { parseIndexSettings, totalFieldsLimit } from './settings.ts';
import type { DocRecord } from './shard.ts';

export interface EngineOptions {
  /** Default number of primary shards for new indexes (OpenSearch 2.x: 1). */
  defaultShards?: number;
  /** Persist to this directory (write-ahead log + snapshot); in memory when absent. */
  dataDir?: string;
}

export type { ResolveOptions } from './index-resolver.ts';

export interface WriteTargetOptions {
  /** `require_alias=true`: the name must be an alias, and no index is created. */
  requireAlias?: boolean;
  /** Create a missing index (action.auto_create_index); default true. */
  create?: boolean;
}

/** One alias request's effect: indexes to delete, then the new alias set of each changed index. */
export interface AliasChange {
  drop: IndexState[];
  set: Map<IndexState, Map<string, AliasMetadata>>;
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
  /** Name resolution over the indexes and their aliases. */
  readonly lookup = new IndexLookup(this.indices);
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

  /** Resolves an index expression (`a`, `a,b`, `logs-*`, `_all`, aliases, `-excluded`) to its concrete indexes. */
  resolve(expr: string | undefined, opts: ResolveOptions = {}): IndexState[] {
    return this.lookup.concrete(expr, opts);
  }

  createIndex(name: string, body: Json | undefined): IndexState {
    validateIndexName(name, (n) => this.lookup.isAlias(n));
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
    const uuid = newIndexUuid();
    const aliases = this.createAliases(obj.aliases);
    validateAliasLayout([...this.indices.values(), { name, uuid, aliases }]);
    const rec = { t: 'create' as const, index: name, uuid, creationDate: Date.now(), settings, mappings };
    return this.applyCreate(aliases.size === 0 ? rec : { ...rec, aliases: Object.fromEntries(aliases) });
  }

  /** MetadataCreateIndexService.resolveAndValidateAliases: each alias parsed, none named like an existing index. */
  private createAliases(body: Json | undefined): Map<string, AliasMetadata> {
    const out = new Map<string, AliasMetadata>();
    if (body === undefined || body === null) return out;
    if (!isObject(body)) throw new EngineError(400, 'parse_exception', 'Failed to parse content to map: [aliases] must be an object');
    for (const [alias, def] of Object.entries(body)) {
      const meta = parseAliasDefinition(alias, def);
      const sameName = this.indices.get(alias);
      if (sameName !== undefined) throw aliasNamedLikeIndex(alias, sameName);
      out.set(alias, meta);
    }
    return out;
  }

  /**
   * The index a document write to `name` goes to: the index itself or the alias's write index;
   * when nothing has that name, a new index (action.auto_create_index) unless `require_alias` is set,
   * which refuses every name that is not an alias (TransportBulkAction).
   */
  writeTarget(name: string, opts: WriteTargetOptions = {}): IndexState {
    if (opts.requireAlias === true && !this.lookup.isAlias(name)) throw requireAliasMissing(name);
    const idx = this.lookup.writeIndex(name);
    if (idx !== undefined) return idx;
    if (opts.create === false) throw indexNotFound(name);
    return this.createIndex(name, undefined);
  }

  /** Applies one alias request atomically: validated as a whole on the resulting layout, logged as one record. */
  applyAliasChange(change: AliasChange): void {
    const dropped = new Set(change.drop);
    const layout: AliasHolder[] = [];
    for (const idx of this.indices.values()) {
      if (!dropped.has(idx)) layout.push({ name: idx.name, uuid: idx.uuid, aliases: change.set.get(idx) ?? idx.aliases });
    }
    validateAliasLayout(layout);
    const set: Record<string, Record<string, AliasMetadata>> = {};
    for (const [idx, aliases] of change.set) if (!dropped.has(idx)) set[idx.name] = Object.fromEntries(aliases);
    this.log({ t: 'aliases', drop: change.drop.map((i) => i.name), set });
    for (const idx of change.drop) this.indices.delete(idx.name);
    for (const [idx, aliases] of change.set) idx.aliases = new Map(aliases);
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
    return this.install(rec);
  }

  private install(rec: Extract<WalRecord, { t: 'create' }>): IndexState {
    const idx = new IndexState(rec.index, rec.uuid, rec.creationDate, rec.settings, rec.mappings);
    if (rec.aliases !== undefined) idx.aliases = new Map(Object.entries(rec.aliases));
    this.indices.set(rec.index, idx);
    return idx;
  }

  private replay(rec: WalRecord): void {
    if (rec.t === 'create') {
      this.install(rec);
      return;
    }
    if (rec.t === 'drop') {
      this.indices.delete(rec.index);
      return;
    }
    if (rec.t === 'aliases') {
      for (const name of rec.drop) this.indices.delete(name);
      for (const [name, aliases] of Object.entries(rec.set)) {
        const idx = this.indices.get(name);
        if (idx !== undefined) idx.aliases = new Map(Object.entries(aliases));
      }
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
      const create: WalRecord = { t: 'create', index: idx.name, uuid: idx.uuid, creationDate: idx.creationDate, settings: idx.settings, mappings: idx.mappings };
      yield idx.aliases.size === 0 ? create : { ...create, aliases: Object.fromEntries(idx.aliases) };
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
