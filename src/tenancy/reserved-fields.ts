/**
 * Reserved fields (SPEC §4.2): every document in a shared index carries `_tenant` and `_lindex`
 * (names configurable). Clients may never set them — a document naming one is rejected, never
 * silently overwritten — and never see them.
 */
import { isObject, putKey, type Json, type JsonObject } from '../core/json.ts';
import { IsolationError } from './errors.ts';

export interface ReservedFields {
  tenant: string;
  lindex: string;
  /** The logical id, a keyword: sorting, paginating and aggregating on `_id` use it (shared placement). */
  id?: string;
  /** The placement epoch a write was routed under (SPEC §5.3): what proves no two placements took writes at once. */
  epoch?: string;
}

export const DEFAULT_RESERVED_FIELDS: Readonly<ReservedFields> = { tenant: '_tenant', lindex: '_lindex', id: '_lid', epoch: '_epoch' };

const names = new WeakMap<ReservedFields, readonly string[]>();

export function reservedNames(reserved: ReservedFields): readonly string[] {
  let list = names.get(reserved);
  if (list === undefined) {
    list = [reserved.tenant, reserved.lindex, reserved.id, reserved.epoch].filter((n): n is string => n !== undefined);
    names.set(reserved, list);
  }
  return list;
}

/** True for a reserved field or one of its sub-fields (`_tenant`, `_tenant.keyword`). */
export function isReservedField(field: string, reserved: ReservedFields): boolean {
  return reservedNames(reserved).some((name) => field === name || field.startsWith(`${name}.`));
}

/** True when any dotted segment of an object key is a reserved name (`_tenant.x`, `a._tenant`). */
function keyNamesReserved(key: string, reserved: ReservedFields): boolean {
  const names = reservedNames(reserved);
  return key.split('.').some((segment) => names.includes(segment));
}

/**
 * Throw (400 `reserved_field`) when any object key, at any depth and under arrays, names a
 * reserved field. Keys are compared after JSON parsing, so escaped spellings are already decoded.
 * Iterative, so a deeply nested body cannot overflow the stack.
 */
export function assertNoReservedFields(doc: Json, reserved: ReservedFields, where: string): void {
  const stack: { value: Json; path: string }[] = [{ value: doc, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: Json; path: string };
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, path: `${path}[${i}]` }));
    } else if (isObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        const childPath = path === '' ? key : `${path}.${key}`;
        if (keyNamesReserved(key, reserved)) throw reservedFieldError(childPath, where);
        stack.push({ value: child, path: childPath });
      }
    }
  }
}

function reservedFieldError(fieldPath: string, where: string): IsolationError {
  // Keep the reason readable for absurdly deep documents: the end of the path names the field.
  if (fieldPath.length > 200) fieldPath = `…${fieldPath.slice(-200)}`;
  return new IsolationError(
    'reserved_field',
    `field [${fieldPath}] in the ${where} is reserved by osproxy for tenant isolation and cannot be set`,
  );
}

/** A copy of `doc` tagged with the reserved fields (callers assert first that the client set none). */
export function injectReservedFields(doc: JsonObject, tenant: string, lindex: string, reserved: ReservedFields, epoch?: number): JsonObject {
  const out: JsonObject = { ...doc, [reserved.tenant]: tenant, [reserved.lindex]: lindex };
  if (epoch !== undefined && reserved.epoch !== undefined) out[reserved.epoch] = epoch;
  return out;
}

/**
 * A copy of `obj` without reserved top-level keys, including dotted/flattened forms
 * (`_tenant.keyword` in `fields`, highlight keys). Works for `_source`, `fields` and `highlight`.
 */
export function stripReservedFields(obj: JsonObject, reserved: ReservedFields): JsonObject {
  // Key by key (every hit's sections go through here): no entries arrays built and filtered.
  const out: JsonObject = {};
  for (const key of Object.keys(obj)) if (!isReservedField(key, reserved)) putKey(out, key, obj[key]);
  return out;
}
