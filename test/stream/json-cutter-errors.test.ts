import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JsonCutter } from '../../src/stream/json-cutter.ts';
import { createJsonCutterTransform } from '../../src/stream/json-cutter-transform.ts';
import { StreamJsonError, type StreamJsonErrorReason } from '../../src/stream/stream-json-error.ts';
import { cutChunks, markerRule, splitEvery, throughTransform, withTimeout } from './support.ts';

function assertRejects(input: string, reason: StreamJsonErrorReason, options = {}, rules = [markerRule(['h', '*'])]): void {
  for (const chunks of [[Buffer.from(input)], splitEvery(Buffer.from(input), 1)]) {
    assert.throws(
      () => cutChunks(chunks, rules, options),
      (err: unknown) => err instanceof StreamJsonError && err.reason === reason,
      `expected ${reason} for ${JSON.stringify(input)}`,
    );
  }
}

describe('json cutter errors', () => {
  it('rejects truncated documents at end of input', () => {
    for (const input of ['', '   ', '{', '{"a"', '{"a":', '{"a":1', '[1,', '"abc', '"a\\', '"\\u12', 'tru', '-', '1.', '1e', '1e+', '{"h":[{"x":1}']) {
      assertRejects(input, 'unexpected_end');
    }
  });

  it('rejects garbage and unbalanced brackets', () => {
    for (const input of ['x', '{]', '[}', '[1]]', '{"a":1}}', '{"a" 1}', '{a:1}', "{'a':1}", '[1,]', '{"a":1,}', '01', '1.e3', '--1', '+1', '.5', 'nuLL', 'True', '"\\x"', '"\\u12G4"', '"tab\there"', '{} {}', '[1 2]', '{"h":[{"x":01}]}']) {
      assertRejects(input, 'invalid_json');
    }
  });

  it('reports the absolute byte offset of the bad byte across chunks', () => {
    assert.throws(() => cutChunks(splitEvery(Buffer.from('{"a": [1, 2, x]}'), 4), []), (err: unknown) => err instanceof StreamJsonError && err.offset === 13);
  });

  it('fails a matched value larger than maxValueBytes, even when it spans chunks', () => {
    const big = `{"h":[{"s":"${'x'.repeat(100)}"}]}`;
    assertRejects(big, 'value_too_large', { maxValueBytes: 50 });
    assert.equal(cutChunks(splitEvery(Buffer.from(big), 16), [markerRule(['h', '*'])], { maxValueBytes: 200 }), '{"h":["<h.0>"]}');
  });

  it('does not apply maxValueBytes to unmatched regions', () => {
    const input = `{"other":"${'x'.repeat(1000)}"}`;
    assert.equal(cutChunks(splitEvery(Buffer.from(input), 64), [markerRule(['h', '*'])], { maxValueBytes: 10 }), input);
  });

  it('fails nesting deeper than maxDepth and accepts nesting up to it', () => {
    assertRejects('['.repeat(513) + ']'.repeat(513), 'max_depth');
    assert.equal(cutChunks([Buffer.from('['.repeat(512) + ']'.repeat(512))], []).length, 1024);
    assertRejects('{"a":{"a":{"a":1}}}', 'max_depth', { maxDepth: 2 });
  });

  it('emits an error event from the transform instead of hanging, for bad input and throwing rules', async () => {
    const bad = [Buffer.from('{"hits":{"hits":[{"a":1}'), Buffer.from(',garbage')];
    await assert.rejects(withTimeout(throughTransform(bad, createJsonCutterTransform([])), 2000), StreamJsonError);
    const truncated = [Buffer.from('{"hits":{"hits":[{"a":1}')];
    await assert.rejects(withTimeout(throughTransform(truncated, createJsonCutterTransform([])), 2000), (err: unknown) =>
      err instanceof StreamJsonError && err.reason === 'unexpected_end');
    const throwing = createJsonCutterTransform([{ path: ['a'], onValue: () => { throw new Error('rule failed'); } }]);
    await assert.rejects(withTimeout(throughTransform([Buffer.from('{"a":1}')], throwing), 2000), /rule failed/);
  });

  it('keeps failing after the first error instead of resuming mid-document', () => {
    const cutter = new JsonCutter([]);
    assert.throws(() => cutter.push(Buffer.from('{"a":x')), StreamJsonError);
    assert.throws(() => cutter.push(Buffer.from('1}')), StreamJsonError);
    assert.throws(() => cutter.end(), StreamJsonError);
  });
});
