/**
 * Streaming `_bulk` execution (SPEC §4.5, §4.6): rewritten items are appended to a batch per target
 * (cluster + physical index); a batch is sent as one upstream `POST /_bulk` when it reaches
 * `bulk_batch_docs` items or `bulk_batch_bytes` bytes, and at the end. Sends run through a bounded
 * window; adding to a full batch waits for a free slot, which stops the reader (client backpressure).
 */
import { isObject, type JsonObject } from '../core/json.ts';
import { asClientError, badGateway, OsproxyError } from '../http/errors.ts';
import { TaskWindow } from '../batch/window.ts';
import type { Target } from '../tenancy/index.ts';
import type { OpContext } from './context.ts';
import { ensureSharedHome } from './shared-home.ts';
import { itemError, mapItem, type Item } from './bulk-parse.ts';
import { clusterFor } from './targets.ts';
import { callUpstreamJson } from './upstream-call.ts';
import { writeRefusal } from './write-fence.ts';

export interface BatchLimits {
  docs: number;
  bytes: number;
  window: number;
}

interface Batch {
  target: Target;
  items: Item[];
  positions: number[];
  /** The batch's NDJSON as bytes (off the JS heap: line strings die young, see bulk-memory test). */
  chunks: Buffer[];
  /** How many of `chunks` each item has (its lines and their newlines). */
  itemChunks: number[];
  bytes: number;
}

const NL = Buffer.from('\n');

const FORWARDED = ['refresh', 'timeout', 'wait_for_active_shards'];

export class BulkBatcher {
  private readonly batches = new Map<string, Batch>();
  private readonly window: TaskWindow;
  /** cluster + physical index → its shared home, prepared once before the target's first batch. */
  private readonly homes = new Map<string, Promise<void>>();
  private readonly query = new URLSearchParams();
  /** Set once the first batch is handed to the window (something may have reached the upstream). */
  sent = false;

  constructor(
    private readonly ctx: OpContext,
    private readonly limits: BatchLimits,
    private readonly onResult: (pos: number, entry: JsonObject) => void,
    private readonly onFirstSend: () => void,
  ) {
    this.window = new TaskWindow(limits.window);
    for (const k of FORWARDED) {
      const v = ctx.query.get(k);
      if (v !== null) this.query.set(k, v);
    }
  }

  /** Appends a rewritten item; flushes its batch when full (the promise: waiting for a window slot; undefined when not full). */
  add(pos: number, item: Item): Promise<void> | undefined {
    const target = item.target as Target;
    const key = `${target.cluster}\u0000${target.physicalIndex}`;
    let batch = this.batches.get(key);
    if (batch === undefined) {
      batch = { target, items: [], positions: [], chunks: [], itemChunks: [], bytes: 0 };
      this.batches.set(key, batch);
    }
    for (const line of item.lines ?? []) {
      const bytes = typeof line === 'string' ? Buffer.from(line) : line;
      batch.chunks.push(bytes, NL);
      batch.bytes += bytes.length + 1;
    }
    batch.itemChunks.push((item.lines?.length ?? 0) * 2);
    item.lines = undefined;
    batch.items.push(item);
    batch.positions.push(pos);
    if (batch.items.length >= this.limits.docs || batch.bytes >= this.limits.bytes) return this.flush(key);
    return undefined;
  }

  /** Sends every partial batch and waits for all sends to finish. */
  async finish(): Promise<void> {
    for (const key of [...this.batches.keys()]) await this.flush(key);
    await this.window.idle();
  }

  /** Fails every item not yet handed to the upstream (the request broke off mid-stream). */
  failPending(e: OsproxyError): void {
    for (const batch of this.batches.values()) batch.items.forEach((item, i) => this.onResult(batch.positions[i], itemError(item, e, this.ctx.id)));
    this.batches.clear();
  }

  private async flush(key: string): Promise<void> {
    const batch = this.batches.get(key);
    if (batch === undefined) return;
    this.batches.delete(key);
    if (!this.sent) {
      this.sent = true;
      this.onFirstSend();
    }
    await this.window.submit(() => this.send(batch));
  }

  /** The shared home (of a shared index from before per-tenant fields) is prepared before a target's first batch. */
  private async prepare(batch: Batch): Promise<void> {
    const key = `${batch.target.cluster}\u0000${batch.target.physicalIndex}`;
    let home = this.homes.get(key);
    if (home === undefined) {
      home = ensureSharedHome(this.ctx, batch.target);
      this.homes.set(key, home);
    }
    await home;
  }

  /**
   * Items whose index a migration's cutover fenced (or moved) since they were prepared fail with
   * the retryable `stale_epoch`, checked right before the batch is sent; the rest are sent.
   */
  private withoutFenced(batch: Batch): Batch {
    const refusals = batch.items.map((item) => writeRefusal(this.ctx, item.target as Target));
    if (refusals.every((r) => r === undefined)) return batch;
    const kept: Batch = { target: batch.target, items: [], positions: [], chunks: [], itemChunks: [], bytes: 0 };
    let at = 0;
    batch.items.forEach((item, i) => {
      const chunks = batch.chunks.slice(at, at + batch.itemChunks[i]);
      at += batch.itemChunks[i];
      const refusal = refusals[i];
      if (refusal !== undefined) return this.onResult(batch.positions[i], itemError(item, refusal, this.ctx.id));
      kept.items.push(item);
      kept.positions.push(batch.positions[i]);
      kept.chunks.push(...chunks);
      kept.itemChunks.push(chunks.length);
      kept.bytes += chunks.reduce((n, c) => n + c.length, 0);
    });
    return kept;
  }

  private async send(whole: Batch): Promise<void> {
    const ctx = this.ctx;
    let batch = whole;
    try {
      await this.prepare(batch);
      batch = this.withoutFenced(whole);
      if (batch.items.length === 0) return;
      const body = Buffer.concat(batch.chunks, batch.bytes);
      batch.chunks = [];
      const res = await callUpstreamJson(ctx, clusterFor(ctx, batch.target), { method: 'POST', path: '/_bulk', query: this.query, body, idempotent: false });
      const answer = res.body;
      const upstreamItems = isObject(answer) && Array.isArray(answer.items) ? answer.items : [];
      if (res.status >= 400 || upstreamItems.length !== batch.items.length) {
        throw badGateway('upstream_bulk_failed', 'the upstream refused the bulk request');
      }
      batch.items.forEach((item, i) => this.onResult(batch.positions[i], mapItem(ctx, item, upstreamItems[i])));
    } catch (e) {
      batch.items.forEach((item, i) => this.onResult(batch.positions[i], itemError(item, asClientError(e), ctx.id)));
    }
  }
}
