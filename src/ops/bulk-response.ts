/**
 * The `_bulk` answer, written in request order as results arrive: `{"items":[...],"took":N,"errors":B}`
 * (`took`/`errors` last because they are known only at the end; JSON key order carries no meaning).
 * Only results that arrive ahead of an earlier, unfinished position are held.
 */
import { PassThrough } from 'node:stream';
import { isObject, type JsonObject } from '../core/json.ts';

const CHUNK = 64 * 1024;

export class OrderedItems {
  /** The answer's bytes, streamed to the client from `begin()` on (with backpressure). */
  readonly stream = new PassThrough();
  private readonly ready = new Map<number, JsonObject>();
  private next = 0;
  private started = false;
  private ended = false;
  /** A pump is queued: results that arrive together (a batch's items) are written as one chunk, not one write each. */
  private pumpQueued = false;
  errors = false;

  /** `onBegin` is told once the answer has begun: from then on the client gets a 200. */
  constructor(private readonly onBegin: () => void) {}

  /** Results held because an earlier position is still open (or the answer has not begun). */
  get held(): number {
    return this.ready.size;
  }

  get committed(): boolean {
    return this.started;
  }

  set(pos: number, entry: JsonObject): void {
    const inner = Object.values(entry)[0];
    if (isObject(inner) && inner.error !== undefined) this.errors = true;
    this.ready.set(pos, entry);
    if (!this.started || this.pumpQueued) return;
    this.pumpQueued = true;
    queueMicrotask(() => {
      this.pumpQueued = false;
      if (!this.ended) this.pump();
    });
  }

  /** Starts the 200 answer; from here on failures can only be reported per item. */
  begin(): void {
    if (this.started) return;
    this.started = true;
    this.onBegin();
    this.write('{"items":[');
    this.pump();
  }

  /** Waits while the client is not reading the answer (backpressure on the request too); undefined: no need to wait. */
  drained(): Promise<void> | undefined {
    const out = this.stream;
    if (!out.writableNeedDrain || out.destroyed) return undefined;
    return new Promise<void>((resolve) => {
      const done = (): void => {
        out.off('drain', done);
        out.off('close', done);
        resolve();
      };
      out.on('drain', done);
      out.on('close', done);
    });
  }

  end(tookMs: number): void {
    this.begin();
    this.pump();
    this.ended = true;
    this.write(`],"took":${tookMs},"errors":${this.errors}}`);
    this.stream.end();
  }

  private pump(): void {
    let chunk = '';
    while (this.ready.has(this.next)) {
      chunk += (this.next > 0 ? ',' : '') + JSON.stringify(this.ready.get(this.next));
      this.ready.delete(this.next);
      this.next++;
      if (chunk.length >= CHUNK) {
        this.write(chunk);
        chunk = '';
      }
    }
    if (chunk !== '') this.write(chunk);
  }

  private write(text: string): void {
    if (this.stream.destroyed) return;
    this.stream.write(text);
  }
}
