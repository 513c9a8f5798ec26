/**
 * The fleet store (SPEC §5.1): one interface, two backends — in memory (a single instance, tests)
 * and an index on the control cluster (the fleet). Every change of an existing document is
 * guarded by the version it was read at (`if_seq_no`/`if_primary_term`); a stale write fails with
 * {@link StoreConflict}, and the caller re-reads and retries or reports 409.
 */
import type { DocKind, DocVersion, DocWrite, StoredDoc } from './documents.ts';

export interface StoreRead {
  docs: StoredDoc[];
  /** The highest `_seq_no` seen: the next change read starts after it. */
  checkpoint: number;
  /** Identifies the store's incarnation: a different value means it was lost and recreated. */
  incarnation: string;
}

export interface FleetStore {
  /**
   * Every document, tombstones included. With `onPage` the documents are handed over page by page
   * and not collected (`docs` is then empty), so a large store is never held twice in memory.
   */
  readAll(onPage?: (docs: StoredDoc[]) => void): Promise<StoreRead>;
  /** Documents changed after `checkpoint`. */
  readChanges(checkpoint: number): Promise<StoreRead>;
  get(kind: DocKind, key: string): Promise<StoredDoc | undefined>;
  /** Creates a document that does not exist (not even as a tombstone); a conflict otherwise. */
  create(doc: DocWrite): Promise<StoredDoc>;
  /** Replaces a document read at `expected`; a conflict if it changed since. */
  replace(doc: DocWrite, expected: DocVersion): Promise<StoredDoc>;
  /** Writes a document whatever its version (heartbeats: each instance owns its own). */
  put(doc: DocWrite): Promise<StoredDoc>;
  /** Whether the store exists and is well formed; repairs it from `docs` when not. */
  ensure(docs: () => readonly StoredDoc[]): Promise<EnsureResult>;
  close(): Promise<void>;
}

export interface EnsureResult {
  /** `created`: there was no store; `repaired`: it was missing or malformed and was rebuilt. */
  outcome: 'ok' | 'created' | 'repaired';
  detail?: string;
}

/** A guarded write lost a race (or a create found the document): re-read, then retry or give up. */
export class StoreConflict extends Error {
  override readonly name = 'StoreConflict';
}

/** The store cannot be reached or answered something unusable; the last good snapshot stays. */
export class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable';

  /** `missing`: the store itself is gone or malformed (repairable), not merely unreachable. */
  constructor(
    message: string,
    readonly missing = false,
  ) {
    super(message);
  }
}
