import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evalResult, runtimeCause } from './run-script.ts';

describe('control flow', () => {
  it('if / else if / else', () => {
    const src = "if (params.n < 0) { ctx._source.r = 'neg' } else if (params.n == 0) ctx._source.r = 'zero'; else { ctx._source.r = 'pos' }";
    assert.equal(evalResult(src, {}, { n: -1 }), 'neg');
    assert.equal(evalResult(src, {}, { n: 0 }), 'zero');
    assert.equal(evalResult(src, {}, { n: 3 }), 'pos');
  });

  it('for-each with a typed or def variable, and the `in` form', () => {
    const src = 'int sum = 0; for (def x : params.l) { sum += x } for (int y : params.l) sum += y; for (z in params.l) { sum += z } ctx._source.r = sum';
    assert.equal(evalResult(src, {}, { l: [1, 2, 3] }), 18);
  });

  it('classic for loops with break and continue', () => {
    const src = 'def out = []; for (int i = 0; i < 10; i++) { if (i % 2 == 0) continue; if (i > 7) break; out.add(i) } ctx._source.r = out';
    assert.deepEqual(evalResult(src), [1, 3, 5, 7]);
  });

  it('while and do-while loops', () => {
    assert.equal(evalResult('int i = 0; while (i < 5) { i++ } ctx._source.r = i'), 5);
    assert.equal(evalResult('int i = 10; do { i++ } while (i < 5); ctx._source.r = i'), 11);
  });

  it('declares several variables in one statement, with types ignored', () => {
    const src = "long a = 1, b = 2; String s = 'x'; boolean t = true; double d = 1; List l = [a]; Map m = [:]; ctx._source.r = [a + b, s, t, d, l, m]";
    assert.deepEqual(evalResult(src), [3, 'x', true, 1, [1], {}]);
  });

  it('return inside a loop ends the whole script', () => {
    assert.deepEqual(evalResult('ctx._source.r = []; for (def x : [1, 2, 3]) { if (x == 2) return; ctx._source.r.add(x) } ctx._source.r.add(99)'), [1]);
  });

  it('stops runaway loops with the Painless loop-limit error', () => {
    for (const src of ['while (true) {}', 'for (;;) { ctx._source.n = 1 }', 'def l = [1]; while (true) { l.add(1); l.remove(0) }']) {
      assert.deepEqual(runtimeCause(src), {
        type: 'painless_error',
        reason: 'The maximum number of statements that can be executed in a loop has been reached.',
      });
    }
  });

  it('charges bulk list growth against the same budget', () => {
    assert.equal(runtimeCause('def l = [1]; for (int i = 0; i < 40; i++) { l.addAll(l) }').type, 'painless_error');
  });

  it('stops a script that doubles a string until it is too long', () => {
    assert.equal(runtimeCause("def s = 'x'; for (int i = 0; i < 40; i++) { s = s + s }").type, 'painless_error');
  });
});
