/** The fleet store in memory: one process only (tests, a single instance without a control cluster). */
import { randomUUID } from 'node:crypto';
import { docId, type DocKind, type DocVersion, type DocWrite, type StoredDoc } from './documents.ts';
import { StoreConflict, type EnsureResult, type FleetStore, type StoreRead } from './fleet-store.ts';

export class MemoryFleetStore implements FleetStore {
  private readonly docs = new Map<string, StoredDoc>();
  private seqNo = -1;
  private readonly incarnation = randomUUID();

  async readAll(onPage?: (docs: StoredDoc[]) => void): Promise<StoreRead> {
    const read = this.read(() => true);
    if (onPage === undefined) return read;
    onPage(read.docs);
    return { ...read, docs: [] };
  }

  async readChanges(checkpoint: number): Promise<StoreRead> {
    return this.read((d) => d.seqNo > checkpoint);
  }

  async get(kind: DocKind, key: string): Promise<StoredDoc | undefined> {
    return this.docs.get(docId(kind, key));
  }

  async create(doc: DocWrite): Promise<StoredDoc> {
    if (this.docs.has(docId(doc.kind, doc.key))) throw new StoreConflict(`${doc.kind} [${doc.key}] exists`);
    return this.write(doc);
  }

  async replace(doc: DocWrite, expected: DocVersion): Promise<StoredDoc> {
    const current = this.docs.get(docId(doc.kind, doc.key));
    if (current === undefined || current.seqNo !== expected.seqNo || current.primaryTerm !== expected.primaryTerm) {
      throw new StoreConflict(`${doc.kind} [${doc.key}] changed since it was read`);
    }
    return this.write(doc);
  }

  async put(doc: DocWrite): Promise<StoredDoc> {
    return this.write(doc);
  }

  async ensure(): Promise<EnsureResult> {
    return { outcome: 'ok' };
  }

  async close(): Promise<void> {}

  private write(doc: DocWrite): StoredDoc {
    const stored: StoredDoc = { ...doc, updatedAt: Date.now(), seqNo: ++this.seqNo, primaryTerm: 1 };
    this.docs.set(docId(doc.kind, doc.key), stored);
    return stored;
  }

  private read(keep: (d: StoredDoc) => boolean): StoreRead {
    return { docs: [...this.docs.values()].filter(keep), checkpoint: this.seqNo, incarnation: this.incarnation };
  }
}
