import { randomBytes } from 'node:crypto';
import type { Mappings } from '../mapping/types.ts';
import type { AliasMetadata } from './aliases.ts';
import type { SearchableDoc, SearchableIndex } from '../search/types.ts';
import { Shard } from './shard.ts';
import { shardFor } from './murmur3.ts';

export interface IndexSettings {
  numberOfShards: number;
  numberOfReplicas: number;
  /** Milliseconds between automatic refreshes; -1 disables them. */
  refreshIntervalMs: number;
  /** Other settings as given (index.* keys, string values), returned by GET _settings. */
  extra: Record<string, string>;
}

export function newIndexUuid(): string {
  return randomBytes(16).toString('base64url').slice(0, 22);
}

/** One index: settings, mapping, and its shards. */
export class IndexState {
  readonly name: string;
  readonly uuid: string;
  readonly creationDate: number;
  readonly settings: IndexSettings;
  mappings: Mappings;
  readonly shards: Shard[];
  /** The aliases of this index by name (IndexMetadata.getAliases). */
  aliases = new Map<string, AliasMetadata>();
  readonly primaryTerm = 1;
  private cachedView: SearchableIndex | undefined;
  lastRefresh = Date.now();

  constructor(name: string, uuid: string, creationDate: number, settings: IndexSettings, mappings: Mappings) {
    this.name = name;
    this.uuid = uuid;
    this.creationDate = creationDate;
    this.settings = settings;
    this.mappings = mappings;
    this.shards = Array.from({ length: settings.numberOfShards }, (_, i) => new Shard(name, i));
  }

  /** The shard for a routing value (the document id unless a routing is given). */
  shardOf(id: string, routing: string | undefined): Shard {
    return this.shards[shardFor(routing ?? id, this.shards.length)];
  }

  refresh(): void {
    let changed = false;
    for (const s of this.shards) changed = s.refresh() || changed;
    if (changed) this.cachedView = undefined;
    this.lastRefresh = Date.now();
  }

  /** A mapping change must be seen by the next search even without a refresh. */
  mappingsChanged(): void {
    this.cachedView = undefined;
  }

  get hasUnrefreshed(): boolean {
    return this.shards.some((s) => s.hasUnrefreshed);
  }

  /** The searchable view (mapping + refreshed docs in shard order), cached between refreshes. */
  searchView(): SearchableIndex {
    if (this.cachedView === undefined) {
      const docs: SearchableDoc[] = [];
      for (const s of this.shards) for (const d of s.searchable()) docs.push(d);
      this.cachedView = { name: this.name, mappings: this.mappings, docs };
    }
    return this.cachedView;
  }

  get docCount(): number {
    return this.shards.reduce((n, s) => n + s.docCount, 0);
  }

  get deletedCount(): number {
    return this.shards.reduce((n, s) => n + s.deletedCount, 0);
  }
}
