import type { JsonObject } from '../json.ts';
import type { Mappings } from '../mapping/types.ts';
import type { AliasMetadata } from '../store/aliases.ts';
import type { IndexSettings } from '../store/index-state.ts';

/** One durable change, as written to the write-ahead log and the snapshot file. */
export type WalRecord =
  | {
      t: 'create';
      index: string;
      uuid: string;
      creationDate: number;
      settings: IndexSettings;
      mappings: Mappings;
      aliases?: Record<string, AliasMetadata>;
    }
  /** One alias request, applied as a unit: the indexes it deletes, then the full alias set of each index it changes. */
  | { t: 'aliases'; drop: string[]; set: Record<string, Record<string, AliasMetadata>> }
  | { t: 'drop'; index: string }
  | { t: 'mappings'; index: string; mappings: Mappings }
  | { t: 'settings'; index: string; settings: IndexSettings }
  | {
      t: 'doc';
      index: string;
      shard: number;
      id: string;
      source: JsonObject;
      version: number;
      seqNo: number;
      primaryTerm: number;
      routing?: string;
      deleted: boolean;
    }
  | { t: 'seq'; index: string; shard: number; seqNo: number };
