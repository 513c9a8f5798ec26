/** Test helpers: run a script against a document and capture OpenSearch-shaped failures. */
import assert from 'node:assert/strict';
import { EngineError } from '../../../src/engine/errors.ts';
import type { JsonObject } from '../../../src/engine/json.ts';
import { compileScript, type ScriptContext } from '../../../src/engine/script/index.ts';

export function runScript(source: string, doc: JsonObject = {}, params?: JsonObject): ScriptContext {
  const ctx: ScriptContext = { _source: doc, op: 'index', _id: '1', _index: 'movies', _version: 1, _now: 1700000000000 };
  compileScript({ source, params: params ?? {} }).run(ctx);
  return ctx;
}

/** Runs a script returning `ctx._source.r`, the usual way these tests observe a value. */
export function evalResult(source: string, doc: JsonObject = {}, params?: JsonObject): unknown {
  return runScript(source, doc, params)._source.r;
}

export function failure(fn: () => unknown): EngineError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof EngineError, `expected an EngineError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the script to fail');
}

/** The `caused_by` of a script_exception raised at run time. */
export function runtimeCause(source: string, doc: JsonObject = {}, params?: JsonObject): JsonObject {
  const err = failure(() => runScript(source, doc, params));
  assert.equal(err.type, 'script_exception');
  assert.equal(err.reason, 'runtime error');
  return err.extra.caused_by as JsonObject;
}
