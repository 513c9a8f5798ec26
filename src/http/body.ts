import type { IncomingMessage } from 'node:http';
import { OsproxyError, rejectedExecution } from './errors.ts';

/**
 * Counts bytes buffered by all requests in flight, so that many mid-size bodies together cannot
 * exhaust memory (SPEC §4.5: 256 MiB in flight → 429 with Retry-After).
 */
export class InflightBudget {
  private used = 0;
  /** Changeable at run time (SIGHUP); bytes already taken stay taken. */
  limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  get inUse(): number {
    return this.used;
  }

  take(n: number): boolean {
    if (this.used + n > this.limit) return false;
    this.used += n;
    return true;
  }

  give(n: number): void {
    this.used = Math.max(0, this.used - n);
  }
}

function tooLarge(max: number): OsproxyError {
  return new OsproxyError({ status: 413, type: 'content_too_long_exception', code: 'body_too_large', reason: `request body is larger than the limit of ${max} bytes` });
}

function overloaded(): OsproxyError {
  return rejectedExecution('inflight_bytes_exhausted', 'too many request bytes are buffered in flight; retry later', 1);
}

/**
 * Buffers a request body up to `max` bytes, charging the in-flight budget as it grows.
 * Returns the body and a release function that must be called once the request is done.
 * Read with 'data' events (an async iterator costs a promise and a generator step per chunk).
 */
export function readBody(req: IncomingMessage, max: number, budget: InflightBudget): Promise<{ body: Buffer; release: () => void }> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > max) return Promise.reject(tooLarge(max));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const release = (): void => budget.give(size);
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const fail = (e: Error): void => {
      cleanup();
      release();
      size = 0;
      // The rest of a refused body is read and dropped, so the refusal reaches the client (closing
      // a socket with unread bytes would reset it first); the reply closes the connection.
      req.resume();
      reject(e);
    };
    const onData = (chunk: Buffer): void => {
      if (size + chunk.length > max) return fail(tooLarge(max));
      if (!budget.take(chunk.length)) return fail(overloaded());
      size += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve({ body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size), release });
    };
    const onError = (e: Error): void => fail(e);
    // The client went away before the body ended.
    const onClose = (): void => fail(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
