/** A Node Transform around JsonCutter: errors become 'error' events, backpressure is the stream's. */
import { Transform, type TransformCallback, type TransformOptions } from 'node:stream';
import { JsonCutter, type JsonCutterOptions } from './json-cutter.ts';
import type { CutRule } from './path-rules.ts';

export type JsonCutterTransformOptions = JsonCutterOptions &
  Pick<TransformOptions, 'readableHighWaterMark' | 'writableHighWaterMark'>;

/** Small output pieces (a ',' between two hits) are merged up to this size to save per-push overhead. */
const COALESCE_BYTES = 64 * 1024;

export class JsonCutterTransform extends Transform {
  private readonly cutter: JsonCutter;

  constructor(rules: readonly CutRule[], options: JsonCutterTransformOptions = {}) {
    super({
      readableHighWaterMark: options.readableHighWaterMark,
      writableHighWaterMark: options.writableHighWaterMark,
    });
    this.cutter = new JsonCutter(rules, options);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let out: Buffer[];
    try {
      out = this.cutter.push(chunk);
    } catch (err) {
      callback(err as Error);
      return;
    }
    this.pushCoalesced(out);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    let out: Buffer[];
    try {
      out = this.cutter.end();
    } catch (err) {
      callback(err as Error);
      return;
    }
    this.pushCoalesced(out);
    callback();
  }

  private pushCoalesced(out: Buffer[]): void {
    if (out.length <= 1) {
      if (out.length === 1 && out[0].length > 0) this.push(out[0]);
      return;
    }
    let batch: Buffer[] = [];
    let batchBytes = 0;
    const flush = (): void => {
      if (batchBytes > 0) this.push(batch.length === 1 ? batch[0] : Buffer.concat(batch, batchBytes));
      batch = [];
      batchBytes = 0;
    };
    for (const piece of out) {
      if (piece.length >= COALESCE_BYTES) {
        flush();
        this.push(piece);
        continue;
      }
      batch.push(piece);
      batchBytes += piece.length;
      if (batchBytes >= COALESCE_BYTES) flush();
    }
    flush();
  }
}

export function createJsonCutterTransform(
  rules: readonly CutRule[],
  options: JsonCutterTransformOptions = {},
): JsonCutterTransform {
  return new JsonCutterTransform(rules, options);
}
