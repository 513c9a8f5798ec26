/**
 * An upstream answer read whole when it declares a small length, streamed otherwise; the choice
 * is made at its headers. A search answer is usually a few KiB, for which the body stream
 * (buffered-answer.ts says what it costs) is pure overhead, but it can be any size, so a large
 * or undeclared one still streams with bounded memory. Streaming is undici's own response body
 * (the Readable `pool.request` gives), with its backpressure (`resume`) and cancellation (`abort`).
 */
import { createRequire } from 'node:module';
import type { Dispatcher } from 'undici';
import { BufferedAnswerHandler, headerRecord, type BufferedAnswer } from './buffered-answer.ts';

type BodyReadable = Dispatcher.ResponseData['body'];

const require = createRequire(import.meta.url);
const { Readable: UndiciBody } = require('undici/lib/api/readable.js') as {
  Readable: new (opts: { resume: () => void; abort: (e?: Error) => void; contentType?: string; contentLength?: number | null }) => BodyReadable;
};

/** A streamed answer: the shape `pool.request` resolves with. */
export interface StreamedAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: BodyReadable;
}

export type SizedAnswer = BufferedAnswer | StreamedAnswer;

export function isWhole(answer: SizedAnswer): answer is BufferedAnswer {
  return Buffer.isBuffer(answer.body);
}

/** The declared content-length among raw header pairs, when there is one well-formed. */
function declaredLength(raw: Buffer[]): number | undefined {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i].length !== 14 || raw[i].toString('latin1').toLowerCase() !== 'content-length') continue;
    const text = raw[i + 1].toString('latin1');
    return /^\d{1,12}$/.test(text) ? Number(text) : undefined;
  }
  return undefined;
}

/** Collects an answer that declares at most `wholeUpTo` bytes; streams any other. `done` settles once. */
export class SizedAnswerHandler implements Dispatcher.DispatchHandler {
  readonly done: Promise<SizedAnswer>;
  private resolve!: (a: SizedAnswer) => void;
  private whole = new BufferedAnswerHandler();
  private stream: BodyReadable | undefined;
  private abort: (e?: Error) => void = () => {};

  constructor(private readonly wholeUpTo: number) {
    this.done = new Promise<SizedAnswer>((resolve, reject) => {
      this.resolve = resolve;
      this.whole.done.then(resolve, reject);
    });
  }

  onConnect(abort: (e?: Error) => void): void {
    this.abort = abort;
    this.whole.onConnect();
  }

  onHeaders(status: number, rawHeaders: Buffer[], resume: () => void): boolean {
    const length = status < 200 ? 0 : declaredLength(rawHeaders);
    if (length !== undefined && length <= this.wholeUpTo) return this.whole.onHeaders(status, rawHeaders);
    const headers = headerRecord(rawHeaders);
    const contentType = headers['content-type'];
    this.stream = new UndiciBody({ resume, abort: this.abort, contentType: typeof contentType === 'string' ? contentType : undefined, contentLength: length ?? null });
    this.resolve({ status, headers, body: this.stream });
    return true;
  }

  onData(chunk: Buffer): boolean {
    return this.stream === undefined ? this.whole.onData(chunk) : this.stream.push(chunk);
  }

  onComplete(): void {
    if (this.stream === undefined) this.whole.onComplete();
    else this.stream.push(null);
  }

  onError(err: Error): void {
    const stream = this.stream;
    if (stream === undefined) return this.whole.onError(err);
    // As undici's own handler: queued reads finish first, then the body fails.
    queueMicrotask(() => stream.destroy(err));
  }
}
