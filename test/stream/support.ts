/** Shared helpers for the stream tests: a seeded PRNG, chunk splitters, and cutter runners. */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { JsonCutter } from '../../src/stream/json-cutter.ts';
import type { CutRule } from '../../src/stream/path-rules.ts';
import type { JsonCutterOptions } from '../../src/stream/json-cutter.ts';

/** mulberry32: small, deterministic, good enough for test data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function splitEvery(buf: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}

export function splitRandomly(buf: Buffer, random: () => number, maxChunk: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; ) {
    const size = 1 + Math.floor(random() * maxChunk);
    out.push(buf.subarray(i, i + size));
    i += size;
  }
  return out;
}

/** Runs a bare cutter over the chunks and returns the joined output (throws what the cutter throws). */
export function cutChunks(chunks: Buffer[], rules: readonly CutRule[], options?: JsonCutterOptions): string {
  const cutter = new JsonCutter(rules, options);
  const out: Buffer[] = [];
  for (const c of chunks) out.push(...cutter.push(c));
  out.push(...cutter.end());
  return Buffer.concat(out).toString('utf8');
}

/** Pipes the chunks through a Transform and collects its output. */
export async function throughTransform(chunks: Buffer[], transform: NodeJS.ReadWriteStream): Promise<string> {
  const out: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out.push(chunk);
      cb();
    },
  });
  await pipeline(Readable.from(chunks, { objectMode: false }), transform, sink);
  return Buffer.concat(out).toString('utf8');
}

/** Rejects if `promise` does not settle within `ms` — "never hangs" checks. */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A rule that replaces every matched value with a marker naming its path. */
export function markerRule(path: readonly (string | number)[]): CutRule {
  return { path, onValue: (_raw, at) => JSON.stringify(`<${at.join('.')}>`) };
}
