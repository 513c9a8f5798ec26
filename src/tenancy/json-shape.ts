/** Small shape assertions for request bodies; failures are 400 parsing_exception naming the request path. */
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { malformed } from './errors.ts';

export function expectObject(value: Json | undefined, path: string): JsonObject {
  if (!isObject(value)) malformed('malformed_request', `[${path}] must be an object`);
  return value;
}

export function expectString(value: Json | undefined, path: string): string {
  if (typeof value !== 'string') malformed('malformed_request', `[${path}] must be a string`);
  return value;
}

/** Ids and terms: strings or numbers, as OpenSearch accepts them. */
export function expectScalarString(value: Json | undefined, path: string): string {
  if (typeof value === 'number') return String(value);
  return expectString(value, path);
}

export function expectArray(value: Json | undefined, path: string): Json[] {
  if (!Array.isArray(value)) malformed('malformed_request', `[${path}] must be an array`);
  return value;
}

/** One value or a list of them. */
export function asList(value: Json): Json[] {
  return Array.isArray(value) ? value : [value];
}

export function assertKnownKeys(obj: JsonObject, allowed: ReadonlySet<string>, path: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.has(key)) malformed('unsupported_parameter', `[${path}] does not support [${key}]`);
  }
}

/** Scalar or array of scalars: a parameter value that cannot hide a query, a script or a document. */
export function isFlat(value: Json): boolean {
  if (Array.isArray(value)) return value.every((v) => !isObject(v) && !Array.isArray(v));
  return !isObject(value);
}

/** Object with `key` set (safe for any key, including `__proto__`). */
export function single(key: string, value: Json): JsonObject {
  return Object.fromEntries([[key, value]]);
}

/** One query per field name: the query itself, or a `bool` matching any of them (fields named differently per index). */
export function perName(names: readonly string[], build: (name: string) => JsonObject): JsonObject {
  if (names.length === 1) return build(names[0]);
  return { bool: { should: names.map(build), minimum_should_match: 1 } };
}

/** `boost` and `_name` of a query, to carry over onto its replacement. */
export function queryOptions(...sources: (Json | undefined)[]): JsonObject {
  const out: JsonObject = {};
  for (const source of sources) {
    if (!isObject(source)) continue;
    if (source.boost !== undefined) out.boost = source.boost;
    if (source._name !== undefined) out._name = source._name;
  }
  return out;
}
