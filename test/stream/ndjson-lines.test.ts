import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { LineTooLongError, ndjsonLines } from '../../src/stream/ndjson-lines.ts';
import { splitEvery, withTimeout } from './support.ts';

async function* chunksOf(parts: (string | Buffer)[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield Buffer.isBuffer(p) ? p : Buffer.from(p);
}

async function collect(parts: (string | Buffer)[], maxLineBytes = 1024): Promise<[string, number][]> {
  const out: [string, number][] = [];
  for await (const { line, lineNo } of ndjsonLines(chunksOf(parts), { maxLineBytes })) out.push([line.toString(), lineNo]);
  return out;
}

describe('ndjson lines', () => {
  it('splits on newlines, with or without a trailing newline', async () => {
    assert.deepEqual(await collect(['{"a":1}\n{"b":2}\n']), [['{"a":1}', 1], ['{"b":2}', 2]]);
    assert.deepEqual(await collect(['{"a":1}\n{"b":2}']), [['{"a":1}', 1], ['{"b":2}', 2]]);
  });

  it('strips CR of CRLF endings, including a CR and LF split across chunks', async () => {
    assert.deepEqual(await collect(['a\r\nb\r\n']), [['a', 1], ['b', 2]]);
    assert.deepEqual(await collect(['a\r', '\nb\r', '\n']), [['a', 1], ['b', 2]]);
  });

  it('skips blank lines but still counts them in line numbers', async () => {
    assert.deepEqual(await collect(['\n\na\n  \n\r\nb\n\n']), [['a', 3], ['b', 6]]);
  });

  it('reassembles lines split anywhere, including inside multi-byte characters', async () => {
    const text = '{"t":"é😀"}\n{"u":"中"}\r\n\n{"v":1}';
    const expected = [['{"t":"é😀"}', 1], ['{"u":"中"}', 2], ['{"v":1}', 4]];
    for (const size of [1, 2, 3, 5, 64]) assert.deepEqual(await collect(splitEvery(Buffer.from(text), size)), expected);
  });

  it('throws LineTooLongError with the line number, before the long line has fully arrived', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      yield Buffer.from('{"ok":1}\n\n');
      while (true) {
        pulled++;
        yield Buffer.alloc(100, 0x61);
      }
    }
    const seen: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const { lineNo } of ndjsonLines(endless(), { maxLineBytes: 1000 })) seen.push(lineNo);
      })(),
      (err: unknown) => err instanceof LineTooLongError && err.lineNo === 3,
    );
    assert.deepEqual(seen, [1]);
    assert.ok(pulled <= 12, `read ${pulled} chunks of an over-long line`);
  });

  it('allows a line of exactly maxLineBytes (plus CRLF) and rejects one byte more', async () => {
    assert.deepEqual(await collect(['abcd\r\n', 'ef\n'], 4), [['abcd', 1], ['ef', 2]]);
    await assert.rejects(collect(['ab', 'cde\n'], 4), (err: unknown) => err instanceof LineTooLongError && err.lineNo === 1);
  });

  it('leaves a Readable source open after a too-long line so the caller can drain it', async () => {
    const src = new PassThrough();
    // Large enough that most of it is still upstream of the PassThrough's buffer when the error is thrown.
    const body = Buffer.from(`{"a":1}\n${'x'.repeat(5000)}\n${'{"b":2}\n'.repeat(100_000)}`);
    Readable.from(splitEvery(body, 4096)).pipe(src);
    await assert.rejects(
      (async () => {
        for await (const _ of ndjsonLines(src, { maxLineBytes: 100 })) void _;
      })(),
      LineTooLongError,
    );
    assert.equal(src.destroyed, false);
    let drained = 0;
    await withTimeout((async () => {
      for await (const chunk of src) drained += (chunk as Buffer).length;
    })(), 5000);
    assert.ok(drained > body.length / 2, `drained only ${drained} of ${body.length} bytes`);
  });

  it('with skipLongLines, reports an over-long line (split across chunks or not) and goes on', async () => {
    const out: [string, number, boolean][] = [];
    const parts = ['a\n', 'x'.repeat(30), 'x'.repeat(30), '\nb\n', 'y'.repeat(50) + '\r\nc', '\n' + 'z'.repeat(41)];
    for await (const { line, lineNo, tooLong } of ndjsonLines(chunksOf(parts), { maxLineBytes: 40, skipLongLines: true })) {
      out.push([line.toString(), lineNo, tooLong === true]);
    }
    assert.deepEqual(out, [['a', 1, false], ['', 2, true], ['b', 3, false], ['', 4, true], ['c', 5, false], ['', 6, true]]);
  });
});
