/** Reading and writing through `a.b` and `a[i]`, and the assignable references behind them. */
import type { Json, JsonObject } from '../json.ts';
import { checkIndex } from './args.ts';
import { illegalArgument, nullPointer } from './errors.ts';
import { asJson, isList, isMap, javaType, mapGet, mapKey, mapPut, type Value } from './values.ts';

/** Where an assignment writes: a local variable slot, a map key or a list position. */
export type Ref =
  | { kind: 'slot'; slot: number }
  | { kind: 'map'; map: JsonObject; key: string }
  | { kind: 'list'; list: Json[]; index: number };

/** Painless lists accept negative indexes, counting from the end. */
function listIndex(list: Json[], index: Value): number {
  if (typeof index !== 'number' || !Number.isInteger(index)) {
    throw illegalArgument(`Cannot use [${javaType(index)}] as a list index`);
  }
  return checkIndex(index < 0 ? index + list.length : index, list.length);
}

function notArrayLike(target: Value): Error {
  return illegalArgument(`Attempting to address a non-array-like type [${javaType(target)}] as an array.`);
}

/** `target.name`: on a map reads the key (missing → null). */
export function getMember(target: Value, name: string): Value {
  if (target === null) throw nullPointer(name);
  if (isMap(target)) return mapGet(target, name);
  throw illegalArgument(`dynamic getter [${javaType(target)}, ${name}] not found`);
}

/** `target[index]` on a map (by key) or a list (by position). */
export function getIndex(target: Value, index: Value): Value {
  if (target === null) throw nullPointer(String(index));
  if (isMap(target)) return mapGet(target, mapKey(index));
  if (isList(target)) return target[listIndex(target, index)];
  throw notArrayLike(target);
}

export function memberRef(target: Value, name: string): Ref {
  if (target === null) throw nullPointer(name);
  if (isMap(target)) return { kind: 'map', map: target, key: name };
  throw illegalArgument(`dynamic setter [${javaType(target)}, ${name}] not found`);
}

export function indexRef(target: Value, index: Value): Ref {
  if (target === null) throw nullPointer(String(index));
  if (isMap(target)) return { kind: 'map', map: target, key: mapKey(index) };
  if (isList(target)) return { kind: 'list', list: target, index: listIndex(target, index) };
  throw notArrayLike(target);
}

export function readRef(ref: Ref, vars: Value[]): Value {
  switch (ref.kind) {
    case 'slot': return vars[ref.slot];
    case 'map': return mapGet(ref.map, ref.key);
    default: return ref.list[ref.index];
  }
}

export function writeRef(ref: Ref, vars: Value[], value: Value): void {
  switch (ref.kind) {
    case 'slot':
      vars[ref.slot] = value;
      return;
    case 'map':
      mapPut(ref.map, ref.key, asJson(value));
      return;
    default:
      ref.list[ref.index] = asJson(value);
  }
}
