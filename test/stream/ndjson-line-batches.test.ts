/** ndjsonLineBatches yields, chunk by chunk, exactly the lines ndjsonLines yields one by one. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LineTooLongError, ndjsonLineBatches, ndjsonLines, type NdjsonLine } from '../../src/stream/ndjson-lines.ts';
import { seededRandom, splitRandomly } from './support.ts';

async function* chunksOf(parts: Buffer[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield p;
}

type Seen = { lines: [string, number, boolean][]; error?: string };

async function viaLines(parts: Buffer[], maxLineBytes: number, skipLongLines: boolean): Promise<Seen> {
  const seen: Seen = { lines: [] };
  try {
    for await (const l of ndjsonLines(chunksOf(parts), { maxLineBytes, skipLongLines })) seen.lines.push(shape(l));
  } catch (e) {
    seen.error = e instanceof LineTooLongError ? `${e.lineNo}` : String(e);
  }
  return seen;
}

async function viaBatches(parts: Buffer[], maxLineBytes: number, skipLongLines: boolean): Promise<Seen> {
  const seen: Seen = { lines: [] };
  try {
    for await (const batch of ndjsonLineBatches(chunksOf(parts), { maxLineBytes, skipLongLines })) {
      assert.ok(batch.length > 0, 'no empty batch');
      for (const l of batch) seen.lines.push(shape(l));
    }
  } catch (e) {
    seen.error = e instanceof LineTooLongError ? `${e.lineNo}` : String(e);
  }
  return seen;
}

function shape(l: NdjsonLine): [string, number, boolean] {
  return [l.line.toString(), l.lineNo, l.tooLong === true];
}

describe('ndjson line batches', () => {
  it('match ndjsonLines over random bodies and chunkings, long lines skipped or thrown', async () => {
    const random = seededRandom(21);
    const pieces = ['{"a":1}', '', '  ', '\r', 'x'.repeat(40), '{"b":"é"}', 'y'.repeat(70)];
    for (let k = 0; k < 300; k++) {
      const lines = Array.from({ length: Math.floor(random() * 12) }, () => pieces[Math.floor(random() * pieces.length)]);
      const body = Buffer.from(lines.join(random() < 0.5 ? '\n' : '\r\n') + (random() < 0.5 ? '\n' : ''));
      const parts = splitRandomly(body, random, 1 + Math.floor(random() * (random() < 0.5 ? 30 : 300)));
      for (const skip of [true, false]) {
        assert.deepEqual(await viaBatches(parts, 50, skip), await viaLines(parts, 50, skip), JSON.stringify(lines));
      }
    }
  });
});
