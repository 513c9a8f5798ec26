/**
 * A whole (small) upstream answer in one buffer, collected by an undici dispatch handler: the
 * status, the headers and the body bytes. `pool.request` builds an async resource, a Readable
 * body with its event machinery and a consume step per response; an answer that is read whole
 * anyway (a document, a write's result) needs none of them. The hooks are those undici's own
 * request API implements (onConnect, onHeaders, onData, onComplete, onError), so the pool calls
 * them directly, without an adapter.
 */
import type { Dispatcher } from 'undici';

export interface BufferedAnswer {
  readonly status: number;
  /** Parsed from the raw pairs when first read: most answers are used for their body alone. */
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

class Answer implements BufferedAnswer {
  private parsed: Record<string, string | string[] | undefined> | undefined;

  constructor(
    readonly status: number,
    private readonly rawHeaders: Buffer[],
    readonly body: Buffer,
  ) {}

  get headers(): Record<string, string | string[] | undefined> {
    return (this.parsed ??= headerRecord(this.rawHeaders));
  }
}

/** Raw header pairs (`[name, value, …]` as buffers) as a record with lower-case names; repeats become arrays. */
export function headerRecord(raw: Buffer[]): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toString('latin1').toLowerCase();
    const value = raw[i + 1].toString('latin1');
    const seen = out[name];
    out[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
}

/** One request's collector; `done` settles once with the answer or the transport failure. */
export class BufferedAnswerHandler implements Dispatcher.DispatchHandler {
  readonly done: Promise<BufferedAnswer>;
  private resolve!: (a: BufferedAnswer) => void;
  private reject!: (e: Error) => void;
  private status = 0;
  private rawHeaders: Buffer[] = [];
  private chunks: Buffer[] = [];
  private bytes = 0;

  constructor() {
    this.done = new Promise<BufferedAnswer>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  onConnect(): void {
    // A retried dispatch starts over: nothing of an earlier attempt is kept.
    this.chunks = [];
    this.bytes = 0;
  }

  onHeaders(status: number, rawHeaders: Buffer[]): boolean {
    // 1xx answers (100 Continue) are interim: the final status follows.
    if (status < 200) return true;
    this.status = status;
    this.rawHeaders = rawHeaders;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    return true;
  }

  onComplete(): void {
    const body = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.bytes);
    this.resolve(new Answer(this.status, this.rawHeaders, body));
  }

  onError(err: Error): void {
    this.reject(err);
  }
}
