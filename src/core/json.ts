/** Plain JSON value types for the proxy (kept separate from the engine's: the proxy never imports the engine). */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deepest object/array nesting accepted in a request body (Jackson's default in OpenSearch). */
export const MAX_JSON_DEPTH = 1000;

/** Whether JSON text nests objects/arrays deeper than `limit` (strings skipped; one linear scan). */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** `out[key] = value` as an own property, even for a key named `__proto__` (a plain assignment would set the prototype). */
export function putKey(out: JsonObject, key: string, value: Json): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}
