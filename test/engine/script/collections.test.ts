import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evalResult, runScript, runtimeCause } from './run-script.ts';

describe('list and map literals and indexing', () => {
  it('builds lists and maps', () => {
    assert.deepEqual(evalResult("ctx._source.r = [1, 'two', [3], [:], ['k': 'v', 'n': [1]]]"), [1, 'two', [3], {}, { k: 'v', n: [1] }]);
    assert.deepEqual(evalResult('ctx._source.r = []'), []);
  });

  it('reads and writes by index and key', () => {
    const src = "def l = ctx._source.l; l[0] = 'z'; ctx._source['m']['k'] = 2; ctx._source.r = [l[1], l[-1], ctx._source.m.k]";
    assert.deepEqual(evalResult(src, { l: ['a', 'b', 'c'], m: {} }), ['b', 'c', 2]);
  });

  it('reads a missing map key as null', () => {
    assert.equal(evalResult('ctx._source.r = ctx._source.missing == null'), true);
  });

  it('creates collections with new', () => {
    const src = "ctx._source.l = new ArrayList(); ctx._source.l.add(1); Map m = new HashMap(); m.put('a', 1); ctx._source.m = m";
    assert.deepEqual(runScript(src)._source, { l: [1], m: { a: 1 } });
  });
});

describe('List methods', () => {
  it('add, add at index, addAll, remove by index and by value', () => {
    const src = "def l = ctx._source.tags; l.add('d'); l.add(0, 'z'); l.addAll(['e', 'f']); l.remove(1); l.remove('e')";
    assert.deepEqual(runScript(src, { tags: ['a', 'b'] })._source.tags, ['z', 'b', 'd', 'f']);
  });

  it('removes a tag by value with indexOf (the common docs pattern)', () => {
    const src = 'if (ctx._source.tags.contains(params.tag)) { ctx._source.tags.remove(ctx._source.tags.indexOf(params.tag)) }';
    assert.deepEqual(runScript(src, { tags: ['a', 'b'] }, { tag: 'a' })._source.tags, ['b']);
  });

  it('size, isEmpty, get, contains, indexOf, clear', () => {
    const src = "def l = ['x', 'y']; ctx._source.r = [l.size(), l.isEmpty(), l.get(1), l.contains('x'), l.indexOf('y'), l.indexOf('q')]; l.clear(); ctx._source.e = l.isEmpty()";
    const ctx = runScript(src);
    assert.deepEqual(ctx._source.r, [2, false, 'y', true, 1, -1]);
    assert.equal(ctx._source.e, true);
  });

  it('compares elements by value, including numbers and nested maps', () => {
    assert.deepEqual(evalResult("def l = [[ 'a': 1 ], 2]; ctx._source.r = [l.contains(['a': 1]), l.contains(2.0)]"), [true, true]);
  });

  it('supports lambdas in removeIf, forEach, any, findAll, collect and sort', () => {
    const src = [
      'def l = [3, 1, 2, 5]',
      'l.removeIf(x -> x > 4)',
      'def total = 0',
      'l.forEach(x -> { total += x })',
      'l.sort((a, b) -> a - b)',
      'ctx._source.r = [total, l, l.any(x -> x == 2), l.findAll(x -> x % 2 == 1), l.collect(x -> x * 10)]',
    ].join('; ');
    assert.deepEqual(evalResult(src), [6, [1, 2, 3], true, [1, 3], [10, 20, 30]]);
  });
});

describe('Map methods', () => {
  it('put, get, remove, containsKey, size, isEmpty, getOrDefault', () => {
    const src = [
      "def m = ctx._source.m",
      "def old = m.put('a', 10)",
      "m.put('b', 2)",
      "def removed = m.remove('b')",
      "ctx._source.r = [old, m.get('a'), removed, m.containsKey('b'), m.size(), m.isEmpty(), m.getOrDefault('z', 'dflt')]",
    ].join('; ');
    assert.deepEqual(evalResult(src, { m: { a: 1 } }), [1, 10, 2, false, 1, false, 'dflt']);
  });

  it('keySet and values iterate in insertion order', () => {
    const src = "def keys = []; for (def k : ctx._source.m.keySet()) { keys.add(k) } ctx._source.r = [keys, ctx._source.m.values()]";
    assert.deepEqual(evalResult(src, { m: { b: 1, a: 2 } }), [['b', 'a'], [1, 2]]);
  });
});

describe('String methods and statics', () => {
  it('supports the common String methods', () => {
    const src = [
      "def s = '  Hello World  '.trim(); ",
      "ctx._source.r = [s.length(), s.toLowerCase(), s.toUpperCase(), s.contains('lo W'), s.startsWith('He'), s.endsWith('ld'),",
      " s.substring(6), s.substring(0, 5), s.indexOf('o'), s.replace('o', '0'), s.equals('Hello World'), s.split(' ')]",
    ].join('');
    assert.deepEqual(evalResult(src), [11, 'hello world', 'HELLO WORLD', true, true, true, 'World', 'Hello', 4, 'Hell0 W0rld', true, ['Hello', 'World']]);
  });

  it('supports Math, String.valueOf, Integer.parseInt and Double.parseDouble', () => {
    const src = "ctx._source.r = [Math.max(1, 5), Math.min(1, 5), Math.abs(-3), Math.round(2.5), Math.floor(2.7), Math.ceil(2.1), Math.sqrt(16), Math.pow(2, 10), String.valueOf(12), Integer.parseInt('42'), Double.parseDouble('1.5')]";
    assert.deepEqual(evalResult(src), [5, 1, 3, 3, 2, 3, 4, 1024, '12', 42, 1.5]);
  });

  it('rejects malformed numbers like Java', () => {
    assert.deepEqual(runtimeCause("ctx._source.r = Integer.parseInt('4.2')"), {
      type: 'number_format_exception',
      reason: 'For input string: "4.2"',
    });
  });
});
