import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evalResult, runtimeCause } from './run-script.ts';

describe('arithmetic', () => {
  it('divides integers like Java (truncating) and floats normally', () => {
    assert.deepEqual(evalResult('ctx._source.r = [7 / 2, -7 / 2, 7 % 3, -7 % 3, 7 / 2.0, 7.0 / 2, 7 / 2d, (double) 7 / 2, 10 / 4 * 1.0]'), [3, -3, 1, -1, 3.5, 3.5, 3.5, 3.5, 2]);
  });

  it('treats integral JSON numbers as ints and others as doubles', () => {
    assert.deepEqual(evalResult('ctx._source.r = [ctx._source.a / 2, ctx._source.b / 2]', { a: 5, b: 5.5 }), [2, 2.75]);
  });

  it('a variable declared double divides as a double', () => {
    assert.equal(evalResult('double d = 5; ctx._source.r = d / 2'), 2.5);
  });

  it('integer division by zero is an arithmetic_exception', () => {
    assert.deepEqual(runtimeCause('ctx._source.r = 1 / 0'), { type: 'arithmetic_exception', reason: '/ by zero' });
  });

  it('precedence, unary minus, parentheses', () => {
    assert.deepEqual(evalResult('ctx._source.r = [1 + 2 * 3, (1 + 2) * 3, -2 * -3, 10 - 2 - 3, !(1 < 2)]'), [7, 9, 6, 5, false]);
  });

  it('prefix and postfix increments on variables and fields', () => {
    const src = 'int i = 1; def a = i++; def b = ++i; ctx._source.n++; --ctx._source.m; ctx._source.r = [a, b, i]';
    const ctx = evalResult(src, { n: 1, m: 1 });
    assert.deepEqual(ctx, [1, 3, 3]);
  });

  it('compound assignments on variables, fields and indexes', () => {
    const src = "def x = 10; x -= 3; x *= 2; x /= 4; x %= 2; ctx._source.l[0] += 5; ctx._source['s'] += '!'; ctx._source.r = x";
    assert.deepEqual(evalResult(src, { l: [1], s: 'hi' }), 1);
  });
});

describe('strings, comparisons and conditionals', () => {
  it('concatenates strings with numbers, booleans, null and collections', () => {
    assert.equal(evalResult("ctx._source.r = 'a' + 1 + 2.0 + true + null + [1, 2] + ['k': 'v']"), 'a12.0truenull[1, 2]{k=v}');
    assert.equal(evalResult("ctx._source.r = 1 + 2 + 'x'"), '3x');
  });

  it('compares numbers and strings by value', () => {
    assert.deepEqual(evalResult("ctx._source.r = [1 == 1.0, 'a' == 'a', 'a' != 'b', [1] == [1], 2 >= 2, 1 < 2, 'a'.compareTo('b')]"), [true, true, true, true, true, true, -1]);
  });

  it('&& and || short-circuit', () => {
    assert.equal(evalResult('ctx._source.r = ctx._source.x != null && ctx._source.x.y == 1'), false);
    assert.equal(evalResult('ctx._source.r = ctx._source.x == null || ctx._source.x.y == 1'), true);
  });

  it('ternary, elvis and null-safe access', () => {
    const src = "ctx._source.r = [params.n > 1 ? 'big' : 'small', ctx._source.missing ?: 'dflt', ctx._source.a?.b, ctx._source.a?.size()]";
    assert.deepEqual(evalResult(src, {}, { n: 2 }), ['big', 'dflt', null, null]);
  });

  it('casts and instanceof', () => {
    const src = "ctx._source.r = [(int) 3.9, (long) -3.9, (double) 3, (String) 'x', 'x' instanceof String, 1 instanceof Integer, [:] instanceof Map, [] instanceof List, null instanceof Object]";
    assert.deepEqual(evalResult(src), [3, -3, 3, 'x', true, true, true, true, false]);
  });

  it('a bad cast is a class_cast_exception', () => {
    assert.equal(runtimeCause('String s = (String) 5').type, 'class_cast_exception');
  });

  it('string escapes in both quote styles and comments', () => {
    const src = "ctx._source.r = ['it\\'s', \"say \\\"hi\\\"\\n\", '\\u0041'] // trailing comment\n/* block */";
    assert.deepEqual(evalResult(src), ["it's", 'say "hi"\n', 'A']);
  });
});
