import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileScript } from '../../../src/engine/script/index.ts';
import { failure, runScript, runtimeCause } from './run-script.ts';

describe('compile errors', () => {
  it('have the OpenSearch script_exception shape', () => {
    const source = 'ctx._source.year +== 1';
    const err = failure(() => compileScript({ source }));
    assert.equal(err.status, 400);
    assert.equal(err.type, 'script_exception');
    assert.equal(err.reason, 'compile error');
    assert.deepEqual(err.extra.script_stack, ['ctx._source.year +== 1', '                   ^---- HERE']);
    assert.equal(err.extra.script, source);
    assert.equal(err.extra.lang, 'painless');
    assert.deepEqual(err.extra.position, { offset: 19, start: 0, end: 22 });
    assert.deepEqual(err.extra.caused_by, { type: 'illegal_argument_exception', reason: "invalid sequence of tokens near ['=']." });
    assert.equal((err.toBody().error as { type: string }).type, 'script_exception');
  });

  it('elide long sources around the offending position', () => {
    const source = `ctx._source.a = 1; ctx._source.b = 2; ctx._source.c = ) ; ctx._source.d = 4; ctx._source.e = 5`;
    const stack = failure(() => compileScript(source)).extra.script_stack as string[];
    assert.ok(stack[0].startsWith('... ') && stack[0].endsWith(' ...'), stack[0]);
    assert.equal(stack[1].indexOf('^') - 4, 25);
  });

  it('reject unknown variables, unterminated strings, empty scripts and redeclarations', () => {
    for (const source of ['x = 1', "ctx._source.a = 'oops", '', '   ', 'def a = 1; def a = 2', 'ctx._source.a = new Thread()', 'ctx._source.(1)', 'break', 'if (true) { continue }']) {
      const err = failure(() => compileScript(source));
      assert.equal(err.type, 'script_exception', source);
      assert.equal(err.reason, 'compile error', source);
    }
  });

  it('reports unresolved symbols like Painless', () => {
    assert.deepEqual(failure(() => compileScript('foo.bar = 1')).extra.caused_by, { type: 'illegal_argument_exception', reason: 'cannot resolve symbol [foo]' });
  });

  it('survive pathologically nested input', () => {
    assert.equal(failure(() => compileScript('('.repeat(5000) + '1' + ')'.repeat(5000))).reason, 'compile error');
  });
});

describe('runtime errors', () => {
  it('a null pointer has the OpenSearch script_exception shape', () => {
    const source = 'ctx._source.a.b = 1';
    const err = failure(() => runScript(source, {}));
    assert.equal(err.status, 400);
    assert.equal(err.type, 'script_exception');
    assert.equal(err.reason, 'runtime error');
    assert.deepEqual(err.extra.script_stack, ['ctx._source.a.b = 1', '              ^---- HERE']);
    assert.equal(err.extra.script, source);
    assert.equal(err.extra.lang, 'painless');
    assert.deepEqual(err.extra.caused_by, { type: 'null_pointer_exception', reason: 'cannot access method/field [b] from a null def reference' });
  });

  it('null arithmetic, method calls on null and reading a member of null are null pointers', () => {
    for (const src of ['ctx._source.missing += 1', 'ctx._source.missing.size()', 'def x = ctx._source.a.b', 'ctx._source.missing++']) {
      assert.equal(runtimeCause(src).type, 'null_pointer_exception', src);
    }
  });

  it('an unknown method is reported with its receiver type and arity', () => {
    assert.deepEqual(runtimeCause("ctx._source.tags.frobnicate('x')", { tags: [] }), {
      type: 'illegal_argument_exception',
      reason: 'dynamic method [java.util.ArrayList, frobnicate/1] not found',
    });
  });

  it('list indexes out of range raise index_out_of_bounds_exception', () => {
    assert.deepEqual(runtimeCause('ctx._source.r = ctx._source.l[5]', { l: [1, 2] }), {
      type: 'index_out_of_bounds_exception',
      reason: 'Index 5 out of bounds for length 2',
    });
  });

  it('bad operand types are class_cast_exception', () => {
    assert.equal(runtimeCause('ctx._source.r = [1] - 1').type, 'class_cast_exception');
    assert.equal(runtimeCause('if (1) { ctx._source.r = 1 }').type, 'class_cast_exception');
  });

  it('throw new IllegalArgumentException(msg) surfaces as the cause', () => {
    assert.deepEqual(runtimeCause("throw new IllegalArgumentException('bad ' + params.x)", {}, { x: 1 }), {
      type: 'illegal_argument_exception',
      reason: 'bad 1',
    });
  });
});

describe('script options', () => {
  it('refuses languages other than painless', () => {
    const err = failure(() => compileScript({ source: 'ctx._source.a = 1', lang: 'expression' }));
    assert.equal(err.status, 400);
    assert.equal(err.type, 'illegal_argument_exception');
    assert.equal(err.reason, 'script_lang not supported [expression]');
  });

  it('refuses stored scripts with a clear reason', () => {
    const err = failure(() => compileScript({ id: 'my-script', params: {} }));
    assert.equal(err.status, 400);
    assert.equal(err.type, 'illegal_argument_exception');
    assert.match(err.reason, /stored scripts are not supported/);
  });

  it('rejects malformed script objects', () => {
    assert.equal(failure(() => compileScript({ lang: 'painless' })).type, 'illegal_argument_exception');
    assert.equal(failure(() => compileScript(42)).type, 'illegal_argument_exception');
    assert.equal(failure(() => compileScript({ source: 'x', bogus: 1 })).type, 'x_content_parse_exception');
    assert.equal(failure(() => compileScript({ source: 'ctx.op = "noop"', params: [1] })).type, 'illegal_argument_exception');
  });

  it('rejects sources over the inline size limit', () => {
    assert.match(failure(() => compileScript(`ctx._source.a = '${'x'.repeat(70000)}'`)).reason, /max allowed inline script size/);
  });
});
