import { EngineError } from '../../errors.ts';
import { isObject, type Json, type JsonObject } from '../../json.ts';

/** The query's `boost` (default 1). */
export function boostOf(body: JsonObject): number {
  const b = body.boost;
  if (b === undefined) return 1;
  const n = typeof b === 'number' ? b : Number(b);
  if (!Number.isFinite(n)) throw new EngineError(400, 'parsing_exception', `[boost] must be a number, found [${String(b)}]`);
  return n;
}

/** A query body that must be an object, e.g. `{"bool": {...}}`. */
export function objectBody(name: string, body: Json): JsonObject {
  if (!isObject(body)) throw new EngineError(400, 'parsing_exception', `[${name}] query malformed, no start_object after query name`);
  return body;
}

/**
 * The single field of a field-keyed query (`{"term": {"f": v}}` or `{"term": {"f": {...}}}`):
 * returns the field and its parameters, with a scalar value put under `valueKey`.
 */
export function singleField(name: string, body: Json, valueKey: string): { field: string; params: JsonObject } {
  const obj = objectBody(name, body);
  const fields = Object.keys(obj).filter((k) => k !== 'boost' && k !== '_name');
  if (fields.length === 0) throw new EngineError(400, 'parsing_exception', `[${name}] query requires a field name`);
  if (fields.length > 1) {
    throw new EngineError(400, 'parsing_exception', `[${name}] query doesn't support multiple fields, found [${fields[0]}] and [${fields[1]}]`);
  }
  const field = fields[0];
  const raw = obj[field];
  const params: JsonObject = isObject(raw) ? { ...raw } : { [valueKey]: raw };
  if (obj.boost !== undefined && params.boost === undefined) params.boost = obj.boost;
  return { field, params };
}

/** A query clause list that may be given as one object or an array. */
export function clauseList(v: Json | undefined): Json[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

export function boolParam(v: Json | undefined, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  return v === true || v === 'true';
}

/** A scalar query value as a string (numbers and booleans as written). */
export function stringValue(name: string, v: Json | undefined): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new EngineError(400, 'parsing_exception', `[${name}] requires a value`);
}
