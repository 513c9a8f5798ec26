import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { WalRecord } from './records.ts';

/**
 * Write-ahead log in a data directory: `snapshot.ndjson` (compacted state) + `wal.ndjson`
 * (changes since). Records are appended as they happen and fsynced by `commit()`, which the
 * REST layer calls once per request (a `_bulk` is one request, so one fsync per bulk) before it
 * acknowledges. A torn last line after a crash is ignored: it was never acknowledged.
 */
export class WriteAheadLog {
  private readonly dir: string;
  private fd: number;
  private pending = false;
  private bytes = 0;

  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
    this.fd = openSync(this.walPath, 'a');
  }

  private get walPath(): string {
    return join(this.dir, 'wal.ndjson');
  }

  private get snapshotPath(): string {
    return join(this.dir, 'snapshot.ndjson');
  }

  /** Every record to replay, snapshot first, in order. */
  readAll(): WalRecord[] {
    return [...readRecords(this.snapshotPath), ...readRecords(this.walPath)];
  }

  append(rec: WalRecord): void {
    const line = JSON.stringify(rec) + '\n';
    this.bytes += writeSync(this.fd, line);
    this.pending = true;
  }

  /** Makes appended records durable. */
  commit(): void {
    if (!this.pending) return;
    fsyncSync(this.fd);
    this.pending = false;
  }

  get walBytes(): number {
    return this.bytes;
  }

  /** Replaces snapshot + log with a snapshot of `state` (atomic rename, then a fresh log). */
  compact(state: Iterable<WalRecord>): void {
    this.commit();
    const tmp = this.snapshotPath + '.tmp';
    const fd = openSync(tmp, 'w');
    let chunk = '';
    for (const rec of state) {
      chunk += JSON.stringify(rec) + '\n';
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.snapshotPath);
    closeSync(this.fd);
    this.fd = openSync(this.walPath, 'w');
    fsyncSync(this.fd);
    this.syncDir();
    this.bytes = 0;
  }

  private syncDir(): void {
    const dfd = openSync(this.dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  }

  close(): void {
    this.commit();
    closeSync(this.fd);
  }
}

function readRecords(path: string): WalRecord[] {
  if (!existsSync(path)) return [];
  const out: WalRecord[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    try {
      out.push(JSON.parse(line) as WalRecord);
    } catch {
      break; // a torn tail from a crash mid-write; nothing after it was acknowledged
    }
  }
  return out;
}
