/**
 * Search and msearch response rewriting on the byte stream: each hit is cut out, parsed, handed to
 * onHit and re-serialized; scroll/PIT ids are handed to their callbacks; every other byte (took,
 * _shards, total, aggregations, ...) is copied through untouched.
 */
import { JsonCutterTransform } from './json-cutter-transform.ts';
import type { CutRule, JsonPath } from './path-rules.ts';
import { isObject as isJsonObject, type Json, type JsonObject } from '../core/json.ts';
import { StreamJsonError } from './stream-json-error.ts';

/** OpenSearch's default http.max_content_length: no single hit can legitimately be larger. */
const DEFAULT_MAX_HIT_BYTES = 100 * 1024 * 1024;

export interface SearchResponseTransformOptions {
  onHit(hit: JsonObject): JsonObject;
  onScrollId?(id: string): string;
  onPitId?(id: string): string;
  /** A hit (or id) larger than this fails the stream with `value_too_large`. */
  maxHitBytes?: number;
  /** More rules (e.g. `['_shards', 'failures', '*']`), checked after the built-in ones. */
  extraRules?: readonly CutRule[];
}

export interface MsearchResponseTransformOptions {
  onHit(hit: JsonObject, responseIndex: number): JsonObject;
  onScrollId?(id: string, responseIndex: number): string;
  onPitId?(id: string, responseIndex: number): string;
  maxHitBytes?: number;
  extraRules?: readonly CutRule[];
}

/** Rules for one search response body (also usable with a bare JsonCutter). */
export function searchResponseRules(options: SearchResponseTransformOptions): CutRule[] {
  const rules: CutRule[] = [hitRule(['hits', 'hits', '*'], (hit) => options.onHit(hit))];
  const { onScrollId, onPitId } = options;
  if (onScrollId) rules.push(idRule(['_scroll_id'], (id) => onScrollId(id)));
  if (onPitId) rules.push(idRule(['pit_id'], (id) => onPitId(id)));
  return [...rules, ...(options.extraRules ?? [])];
}

/** Rules for an msearch body: the same per response, with the response's index in `responses`. */
export function msearchResponseRules(options: MsearchResponseTransformOptions): CutRule[] {
  const rules: CutRule[] = [
    hitRule(['responses', '*', 'hits', 'hits', '*'], (hit, path) => options.onHit(hit, responseIndexOf(path))),
  ];
  const { onScrollId, onPitId } = options;
  if (onScrollId) rules.push(idRule(['responses', '*', '_scroll_id'], (id, p) => onScrollId(id, responseIndexOf(p))));
  if (onPitId) rules.push(idRule(['responses', '*', 'pit_id'], (id, p) => onPitId(id, responseIndexOf(p))));
  return [...rules, ...(options.extraRules ?? [])];
}

export function createSearchResponseTransform(options: SearchResponseTransformOptions): JsonCutterTransform {
  return new JsonCutterTransform(searchResponseRules(options), { maxValueBytes: maxBytes(options) });
}

export function createMsearchResponseTransform(options: MsearchResponseTransformOptions): JsonCutterTransform {
  return new JsonCutterTransform(msearchResponseRules(options), { maxValueBytes: maxBytes(options) });
}

function maxBytes(options: { maxHitBytes?: number }): number {
  return options.maxHitBytes ?? DEFAULT_MAX_HIT_BYTES;
}

function hitRule(path: readonly string[], rewrite: (hit: JsonObject, path: JsonPath) => JsonObject): CutRule {
  return {
    path,
    onValue(raw, at) {
      const hit = parseRaw(raw, at);
      // Fail closed: a hit we cannot inspect must not reach the tenant unrewritten.
      if (!isJsonObject(hit)) throw shapeError(at, 'a hit that is not an object');
      return JSON.stringify(rewrite(hit, at));
    },
  };
}

function idRule(path: readonly string[], rewrite: (id: string, path: JsonPath) => string): CutRule {
  return {
    path,
    onValue(raw, at) {
      const id = parseRaw(raw, at);
      if (typeof id !== 'string') throw shapeError(at, 'an id that is not a string');
      return JSON.stringify(rewrite(id, at));
    },
  };
}

/** The cutter has validated the bytes, so this parse only fails on pathological input (kept typed anyway). */
function parseRaw(raw: Buffer, at: JsonPath): Json {
  try {
    return JSON.parse(raw.toString('utf8')) as Json;
  } catch {
    throw shapeError(at, 'a value that does not parse');
  }
}

function responseIndexOf(path: JsonPath): number {
  const index = path[1];
  return typeof index === 'number' ? index : -1;
}

function shapeError(at: JsonPath, what: string): StreamJsonError {
  return new StreamJsonError('unexpected_shape', `search response has ${what} at ${at.join('.')}`);
}
