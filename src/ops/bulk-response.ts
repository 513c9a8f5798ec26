/**
 * The `_bulk` answer, written in request order as results arrive: `{"items":[...],"took":N,"errors":B}`
 * (`took`/`errors` last because they are known only at the end; JSON key order carries no meaning).
 * Only results that arrive ahead of an earlier, unfinished position are held.
 */
import { isObject, type JsonObject } from '../core/json.ts';
import type { OpContext } from './context.ts';

const CHUNK = 64 * 1024;

export class OrderedItems {
  private readonly ready = new Map<number, JsonObject>();
  private next = 0;
  private started = false;
  errors = false;

  constructor(private readonly ctx: OpContext) {}

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
    if (this.started) this.pump();
  }

  /** Starts the 200 answer; from here on failures can only be reported per item. */
  begin(): void {
    if (this.started) return;
    this.started = true;
    const res = this.ctx.res;
    res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
    this.write('{"items":[');
    this.pump();
  }

  /** Waits while the client is not reading the answer (backpressure on the request too). */
  async drained(): Promise<void> {
    const res = this.ctx.res;
    if (!res.writableNeedDrain || res.destroyed) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  }

  end(tookMs: number): void {
    this.begin();
    this.pump();
    this.write(`],"took":${tookMs},"errors":${this.errors}}`);
    this.ctx.res.end();
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
    const res = this.ctx.res;
    if (res.destroyed) return;
    res.write(text);
    this.ctx.addBytesOut(Buffer.byteLength(text));
  }
}
