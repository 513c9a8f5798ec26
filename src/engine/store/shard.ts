import type { JsonObject } from '../json.ts';
import type { SearchableDoc } from '../search/types.ts';

/** The current state of one document id in a shard; a delete leaves a tombstone for versioning. */
export interface DocRecord {
  id: string;
  source: JsonObject;
  version: number;
  seqNo: number;
  primaryTerm: number;
  routing?: string;
  deleted: boolean;
  /** Insertion order of this version within the shard (search's doc order). */
  order: number;
}

/**
 * One shard: realtime document state (GET sees every write) and a searchable snapshot that
 * only a refresh replaces, which is what makes search near-real-time.
 */
export class Shard {
  readonly index: string;
  readonly num: number;
  private readonly records = new Map<string, DocRecord>();
  private maxSeqNo = -1;
  private nextOrder = 0;
  private live = 0;
  private snapshot: readonly SearchableDoc[] = [];
  private dirty = false;

  constructor(index: string, num: number) {
    this.index = index;
    this.num = num;
  }

  /** The live (not deleted) document, realtime. */
  get(id: string): DocRecord | undefined {
    const r = this.records.get(id);
    return r === undefined || r.deleted ? undefined : r;
  }

  /** The live document or its tombstone (for version bookkeeping). */
  getWithTombstone(id: string): DocRecord | undefined {
    return this.records.get(id);
  }

  nextSeqNo(): number {
    return this.maxSeqNo + 1;
  }

  get seqNoHigh(): number {
    return this.maxSeqNo;
  }

  get docCount(): number {
    return this.live;
  }

  get deletedCount(): number {
    return this.records.size - this.live;
  }

  /** Stores a document version (from a write or a WAL replay). */
  apply(rec: Omit<DocRecord, 'order'>): DocRecord {
    const prev = this.records.get(rec.id);
    if (prev !== undefined && !prev.deleted) this.live--;
    const stored: DocRecord = { ...rec, order: this.nextOrder++ };
    this.records.set(rec.id, stored);
    if (!rec.deleted) this.live++;
    this.maxSeqNo = Math.max(this.maxSeqNo, rec.seqNo);
    this.dirty = true;
    return stored;
  }

  /** Consumes a sequence number without changing a document (e.g. delete of a missing doc). */
  burnSeqNo(): number {
    this.maxSeqNo++;
    return this.maxSeqNo;
  }

  /** Replay: the shard has issued sequence numbers up to `seqNo`. */
  ensureSeqNo(seqNo: number): void {
    this.maxSeqNo = Math.max(this.maxSeqNo, seqNo);
  }

  /** Makes every write so far visible to search; false when there was nothing new. */
  refresh(): boolean {
    if (!this.dirty) return false;
    const docs: SearchableDoc[] = [];
    for (const r of this.records.values()) {
      if (r.deleted) continue;
      docs.push({
        index: this.index,
        id: r.id,
        source: r.source,
        version: r.version,
        seqNo: r.seqNo,
        primaryTerm: r.primaryTerm,
        routing: r.routing,
        shard: this.num,
        order: r.order,
      });
    }
    docs.sort((a, b) => a.order - b.order);
    this.snapshot = docs;
    this.dirty = false;
    return true;
  }

  get hasUnrefreshed(): boolean {
    return this.dirty;
  }

  /** The documents visible to search; an immutable array that a refresh replaces. */
  searchable(): readonly SearchableDoc[] {
    return this.snapshot;
  }

  /** Every record, live and tombstones, for persistence snapshots. */
  allRecords(): IterableIterator<DocRecord> {
    return this.records.values();
  }
}
