/** compileScript: validates the OpenSearch script forms, parses (with a cache) and runs scripts. */
import { EngineError, badRequest } from '../errors.ts';
import { isObject, type Json, type JsonObject } from '../json.ts';
import type { Program } from './ast.ts';
import { classCast, CompileFailure, compileError, runtimeError } from './errors.ts';
import { Evaluator } from './evaluator.ts';
import { parse } from './parser.ts';
import { cloneJson, mapPut } from './values.ts';

/** The `ctx` an update-style script sees and mutates. */
export interface ScriptContext {
  _source: JsonObject;
  op: string;
  _id?: string;
  _index?: string;
  _version?: number;
  _now?: number;
}

export interface CompiledScript {
  readonly source: string;
  readonly lang: 'painless';
  readonly params: JsonObject;
  /** Runs the script, mutating `ctx` in place; `params` are merged over the script's own. */
  run(ctx: ScriptContext, params?: JsonObject): void;
}

/** Statements plus loop iterations a single run may execute. */
export const MAX_STEPS = 1_000_000;
/** OpenSearch's default `script.max_size_in_bytes`. */
export const MAX_SOURCE_BYTES = 65_535;
const CACHE_LIMIT = 500;

const cache = new Map<string, Program>();

function compileSource(source: string): Program {
  const hit = cache.get(source);
  if (hit) {
    cache.delete(source);
    cache.set(source, hit);
    return hit;
  }
  let program: Program;
  try {
    program = parse(source);
  } catch (err) {
    if (err instanceof CompileFailure) throw compileError(source, err);
    if (err instanceof RangeError) throw compileError(source, new CompileFailure(0, 'script is too complex'));
    throw err;
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(source, program);
  return program;
}

const KNOWN_FIELDS = new Set(['source', 'inline', 'lang', 'params', 'options', 'id']);

function parseForm(script: Json): { source: string; params: JsonObject } {
  if (typeof script === 'string') return { source: script, params: {} };
  if (!isObject(script)) throw badRequest('[script] must be a string or an object');
  for (const key of Object.keys(script)) {
    if (!KNOWN_FIELDS.has(key)) throw new EngineError(400, 'x_content_parse_exception', `[script] unknown field [${key}]`);
  }
  const source = script.source ?? script.inline;
  if (script.id !== undefined) {
    if (source !== undefined) throw badRequest('must specify either [source] for an inline script or [id] for a stored script, but not both');
    throw badRequest(`stored scripts are not supported by the embedded engine: cannot run script [id: ${String(script.id)}], send the script inline with [source]`);
  }
  if (typeof source !== 'string') throw badRequest('must specify either [source] for an inline script or [id] for a stored script');
  const lang = script.lang ?? 'painless';
  if (lang !== 'painless') throw badRequest(`script_lang not supported [${typeof lang === 'string' ? lang : JSON.stringify(lang)}]`);
  const params = script.params ?? {};
  if (!isObject(params)) throw badRequest('[params] must be an object');
  return { source, params };
}

function mergeParams(own: JsonObject, extra: JsonObject | undefined): JsonObject {
  const out: JsonObject = {};
  for (const p of [own, extra ?? {}]) for (const k of Object.keys(p)) mapPut(out, k, cloneJson(p[k]));
  return out;
}

/** Accepts `"source"`, `{source|inline, lang?, params?}`; refuses stored scripts and other languages. */
export function compileScript(script: Json): CompiledScript {
  const { source, params } = parseForm(script);
  const size = Buffer.byteLength(source, 'utf8');
  if (size > MAX_SOURCE_BYTES) {
    throw badRequest(`exceeded max allowed inline script size in bytes [${MAX_SOURCE_BYTES}] with size [${size}] for script [${source.slice(0, 100)}...]`);
  }
  const program = compileSource(source);
  return {
    source,
    lang: 'painless',
    params,
    run(ctx: ScriptContext, runParams?: JsonObject): void {
      const ev = new Evaluator(program, ctx as unknown as JsonObject, mergeParams(params, runParams), MAX_STEPS);
      try {
        ev.run();
      } catch (err) {
        throw runtimeError(source, ev.pos, err);
      }
      if (!isObject(ctx._source)) {
        throw runtimeError(source, 0, classCast('Cannot cast ctx._source to java.util.Map'));
      }
    },
  };
}

/** For tests and diagnostics: how many compiled sources are cached. */
export const cachedScriptCount = (): number => cache.size;
