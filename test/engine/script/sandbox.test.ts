import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileScript } from '../../../src/engine/script/index.ts';
import { evalResult, failure, runScript, runtimeCause } from './run-script.ts';

describe('scripts cannot reach outside ctx and params', () => {
  it('host globals are unresolvable symbols', () => {
    for (const name of ['process', 'globalThis', 'require', 'eval', 'Function', 'this', 'window', 'Object', 'constructor']) {
      const err = failure(() => compileScript(`ctx._source.x = ${name}`));
      assert.equal(err.reason, 'compile error', name);
    }
  });

  it('constructor and __proto__ read as missing map keys', () => {
    const src = 'ctx._source.r = [ctx.constructor, ctx._source.__proto__, params.constructor, ctx._source.hasOwnProperty, ctx._source.toString]';
    assert.deepEqual(evalResult(src), [null, null, null, null, null]);
  });

  it('no member of a string, list or number is reachable as a property', () => {
    for (const src of ["ctx._source.r = 'x'.constructor", 'ctx._source.r = [].constructor', 'ctx._source.r = (1).__proto__', "ctx._source.r = 'x'.length"]) {
      assert.equal(runtimeCause(src).type, 'illegal_argument_exception', src);
    }
  });

  it('only whitelisted methods can be called', () => {
    for (const src of ["'x'.constructor('return process')", 'ctx._source.hasOwnProperty(1)', 'ctx._source.__defineGetter__(1, 2)', "[].map(x -> x)", "'a'.valueOf()", 'Math.constructor()', 'String.fromCharCode(65)']) {
      assert.equal(runtimeCause(src).type, 'illegal_argument_exception', src);
    }
  });

  it('writing __proto__ keys creates own data and never pollutes prototypes', () => {
    const src = [
      "ctx._source.__proto__ = ['polluted': true]",
      "ctx._source['__proto__'].x = 1",
      "Map m = [:]; m['__proto__'] = ['polluted': true]; m.put('constructor', 1); ctx._source.m = m",
      "ctx._source.n = ['__proto__': ['polluted': true]]",
      "params.__proto__ = ['polluted': true]",
    ].join('; ');
    const ctx = runScript(src, {}, {});
    const probe: Record<string, unknown> = {};
    assert.equal(probe.polluted, undefined);
    assert.equal(({} as Record<string, unknown>).x, undefined);
    assert.equal(Object.getPrototypeOf(ctx._source), Object.prototype);
    assert.ok(Object.hasOwn(ctx._source, '__proto__'));
    assert.equal(
      JSON.stringify(ctx._source),
      '{"__proto__":{"polluted":true,"x":1},"m":{"__proto__":{"polluted":true},"constructor":1},"n":{"__proto__":{"polluted":true}}}',
    );
  });

  it('__proto__ keys in params and documents are copied as plain data', () => {
    const params = JSON.parse('{"p": {"__proto__": {"polluted": true}}}');
    const ctx = runScript('ctx._source.copy = params.p; ctx._source.has = params.p.containsKey("__proto__")', {}, params);
    assert.equal(ctx._source.has, true);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(ctx._source.copy), Object.prototype);
  });
});
