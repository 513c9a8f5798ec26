/** Method tables and argument coercion shared by the builtin (whitelisted) methods. */
import type { Json } from '../json.ts';
import { classCast, PainlessError } from './errors.ts';
import { asJson, javaType, Lambda, type Value } from './values.ts';

/** What builtins may ask of the evaluator. */
export interface Runtime {
  /** Charges `n` units against the script's step budget (bulk operations, lambda calls). */
  consume(n: number): void;
}

export type Method<T> = (self: T, args: Value[], rt: Runtime) => Value;

/** Methods keyed by `name/arity`, as Painless reports them (`dynamic method [..., name/1] not found`). */
export type MethodTable<T> = Map<string, Method<T>>;

export function table<T>(defs: Record<string, Method<T>>): MethodTable<T> {
  const out: MethodTable<T> = new Map();
  for (const [keys, fn] of Object.entries(defs)) {
    for (const key of keys.split(',')) out.set(key.trim(), fn);
  }
  return out;
}

export function argNumber(v: Value): number {
  if (typeof v === 'number') return v;
  if (v === null) throw new PainlessError('null_pointer_exception', 'a number was expected but found null');
  throw classCast(`Cannot cast ${javaType(v)} to java.lang.Number`);
}

export function argInt(v: Value): number {
  return Math.trunc(argNumber(v));
}

export function argString(v: Value): string {
  if (typeof v === 'string') return v;
  if (v === null) throw new PainlessError('null_pointer_exception', 'a string was expected but found null');
  throw classCast(`Cannot cast ${javaType(v)} to java.lang.String`);
}

export function argList(v: Value): Json[] {
  if (Array.isArray(v)) return v;
  if (v === null) throw new PainlessError('null_pointer_exception', 'a list was expected but found null');
  throw classCast(`Cannot cast ${javaType(v)} to java.util.Collection`);
}

export function argLambda(v: Value, arity: number): Lambda {
  if (v instanceof Lambda && v.arity === arity) return v;
  throw classCast(`a lambda taking ${arity} argument(s) was expected, found ${javaType(v)}`);
}

/** Calls a lambda, charging one step. */
export function callLambda(fn: Lambda, rt: Runtime, args: Value[]): Value {
  rt.consume(1);
  return fn.invoke(args);
}

export function predicate(fn: Lambda, rt: Runtime, arg: Value): boolean {
  const r = callLambda(fn, rt, [arg]);
  if (typeof r !== 'boolean') throw classCast(`Cannot cast ${javaType(r)} to boolean`);
  return r;
}

export { asJson };

export function indexOutOfBounds(index: number, length: number): PainlessError {
  return new PainlessError('index_out_of_bounds_exception', `Index ${index} out of bounds for length ${length}`);
}

/** Validates a list position; `allowEnd` permits `index == length` (insertion). */
export function checkIndex(index: number, length: number, allowEnd = false): number {
  if (!Number.isInteger(index) || index < 0 || index > length || (index === length && !allowEnd)) {
    throw indexOutOfBounds(index, length);
  }
  return index;
}
