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
import { callUpstream, readUpstreamJson } from './upstream-call.ts';

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

  /** Appends a rewritten item; flushes its batch when full (waiting for a window slot). */
  async add(pos: number, item: Item): Promise<void> {
    const target = item.target as Target;
    const key = `${target.cluster}\u0000${target.physicalIndex}`;
    let batch = this.batches.get(key);
    if (batch === undefined) {
      batch = { target, items: [], positions: [], chunks: [], bytes: 0 };
      this.batches.set(key, batch);
    }
    for (const line of item.lines ?? []) {
      const bytes = Buffer.from(line);
      batch.chunks.push(bytes, NL);
      batch.bytes += bytes.length + 1;
    }
    item.lines = undefined;
    batch.items.push(item);
    batch.positions.push(pos);
    if (batch.items.length >= this.limits.docs || batch.bytes >= this.limits.bytes) await this.flush(key);
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

  private async send(batch: Batch): Promise<void> {
    const ctx = this.ctx;
    try {
      await this.prepare(batch);
      const body = Buffer.concat(batch.chunks, batch.bytes);
      batch.chunks = [];
      const res = await callUpstream(ctx, clusterFor(ctx, batch.target), { method: 'POST', path: '/_bulk', query: this.query, body, idempotent: false });
      const answer = await readUpstreamJson(ctx, res);
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
