import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Json } from '../../../src/engine/json.ts';
import { compileScript, type ScriptContext } from '../../../src/engine/script/index.ts';
import { cachedScriptCount } from '../../../src/engine/script/compile.ts';
import { runScript } from './run-script.ts';

const ctxFor = (source: ScriptContext['_source']): ScriptContext => ({ _source: source, op: 'index' });

describe('update scripts mutate ctx in place', () => {
  it('adds params.value to a field (the update story)', () => {
    const ctx = ctxFor({ title: 'Beauty and the Beast', year: 1990 });
    compileScript({ source: 'ctx._source.year += params.value', lang: 'painless', params: { value: 10 } }).run(ctx);
    assert.deepEqual(ctx._source, { title: 'Beauty and the Beast', year: 2000 });
  });

  it('sets a field with a trailing semicolon (the bulk story)', () => {
    assert.equal(runScript('ctx._source.pages = 376;', { pages: 1 })._source.pages, 376);
  });

  it('creates a new top-level field', () => {
    assert.deepEqual(runScript("ctx._source.newField = 'x'", { a: 1 })._source, { a: 1, newField: 'x' });
  });

  it("sets ctx.op to 'delete', 'noop' and 'none'", () => {
    assert.equal(runScript("ctx.op = 'delete'").op, 'delete');
    assert.equal(runScript("ctx.op = 'noop'").op, 'noop');
    assert.equal(runScript('ctx.op = "none";').op, 'none');
  });

  it('chooses the op conditionally', () => {
    const src = "if (ctx._source.tags.contains(params.tag)) { ctx.op = 'delete' } else { ctx.op = 'none' }";
    assert.equal(runScript(src, { tags: ['red'] }, { tag: 'red' }).op, 'delete');
    assert.equal(runScript(src, { tags: ['blue'] }, { tag: 'red' }).op, 'none');
  });

  it('reads the document metadata from ctx', () => {
    const ctx = runScript('ctx._source.info = ctx._index + "/" + ctx._id + "@" + ctx._version; ctx._source.now = ctx._now');
    assert.equal(ctx._source.info, 'movies/1@1');
    assert.equal(ctx._source.now, 1700000000000);
  });

  it('removes a field', () => {
    assert.deepEqual(runScript("ctx._source.remove('a')", { a: 1, b: 2 })._source, { b: 2 });
  });

  it('return ends the script early', () => {
    assert.deepEqual(runScript('ctx._source.a = 1; return; ctx._source.b = 2')._source, { a: 1 });
  });
});

describe('script forms and params', () => {
  it('accepts a bare string, {source}, the legacy {inline} and lang painless', () => {
    const forms: Json[] = ['ctx._source.n = 1', { source: 'ctx._source.n = 1' }, { inline: 'ctx._source.n = 1' }, { source: 'ctx._source.n = 1', lang: 'painless' }];
    for (const form of forms) {
      const ctx = ctxFor({});
      compileScript(form).run(ctx);
      assert.equal(ctx._source.n, 1);
    }
  });

  it('merges params given to run() over the script params', () => {
    const script = compileScript({ source: 'ctx._source.r = params.a + params.b', params: { a: 1, b: 2 } });
    const ctx = ctxFor({});
    script.run(ctx, { b: 40 });
    assert.equal(ctx._source.r, 41);
    assert.deepEqual(script.params, { a: 1, b: 2 });
  });

  it('copies params so a document never shares structure with them', () => {
    const script = compileScript({ source: 'ctx._source.tags = params.tags; ctx._source.tags.add(3)', params: { tags: [1, 2] } });
    const first = ctxFor({});
    script.run(first);
    const second = ctxFor({});
    script.run(second);
    assert.deepEqual(second._source.tags, [1, 2, 3]);
    assert.deepEqual(script.params, { tags: [1, 2] });
  });

  it('caches compiled sources in a bounded cache', () => {
    compileScript('ctx._source.x = 1');
    const before = cachedScriptCount();
    compileScript({ source: 'ctx._source.x = 1', params: { p: 1 } });
    assert.equal(cachedScriptCount(), before);
    for (let i = 0; i < 600; i++) compileScript(`ctx._source.x = ${i}`);
    assert.ok(cachedScriptCount() <= 500);
  });
});
