/** Runtime values: JSON data plus lambdas, and Java-flavoured helpers over them. */
import { isObject, type Json, type JsonObject } from '../json.ts';
import { classCast, illegalArgument, PainlessError } from './errors.ts';

/** A script lambda (only ever passed straight to a builtin such as `removeIf`). */
export class Lambda {
  readonly arity: number;
  readonly invoke: (args: Value[]) => Value;

  constructor(arity: number, invoke: (args: Value[]) => Value) {
    this.arity = arity;
    this.invoke = invoke;
  }
}

export type Value = Json | Lambda;

export const isList = (v: Value): v is Json[] => Array.isArray(v);
export const isMap = (v: Value): v is JsonObject => isObject(v) && !(v instanceof Lambda);
export const isIntegral = (v: Value): v is number => typeof v === 'number' && Number.isInteger(v);

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** The Java class name OpenSearch would report for a value. */
export function javaType(v: Value): string {
  if (v === null) return 'null';
  if (v instanceof Lambda) return 'lambda';
  if (typeof v === 'boolean') return 'java.lang.Boolean';
  if (typeof v === 'string') return 'java.lang.String';
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return 'java.lang.Double';
    return v >= INT_MIN && v <= INT_MAX ? 'java.lang.Integer' : 'java.lang.Long';
  }
  return Array.isArray(v) ? 'java.util.ArrayList' : 'java.util.HashMap';
}

/** Values stored into maps, lists or ctx must be plain data. */
export function asJson(v: Value): Json {
  if (v instanceof Lambda) throw illegalArgument('a lambda cannot be used as a value');
  return v;
}

/** Map keys are strings in JSON; numbers and booleans are converted like their Java toString. */
export function mapKey(key: Value): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'number' || typeof key === 'boolean') return String(key);
  if (key === null) throw new PainlessError('null_pointer_exception', 'map keys cannot be null in a document');
  throw classCast(`Cannot cast ${javaType(key)} to java.lang.String`);
}

/** Reads only own properties, so `constructor`, `__proto__` and friends read as missing. */
export function mapGet(m: JsonObject, key: string): Json {
  return Object.hasOwn(m, key) ? (m[key] ?? null) : null;
}

/** Defines an own data property: a `__proto__` key never touches the prototype chain. */
export function mapPut(m: JsonObject, key: string, value: Json): void {
  Object.defineProperty(m, key, { value, writable: true, enumerable: true, configurable: true });
}

export function mapDelete(m: JsonObject, key: string): Json {
  const old = mapGet(m, key);
  if (Object.hasOwn(m, key)) delete m[key];
  return old;
}

/** A deep copy built with own data properties only (safe for `__proto__` keys). */
export function cloneJson(v: Json): Json {
  if (Array.isArray(v)) return v.map(cloneJson);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const k of Object.keys(v)) mapPut(out, k, cloneJson(v[k]));
  return out;
}

/** Java's Double.toString for the common cases (`2.0`, `1.5E21`). */
function doubleString(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(n) && Math.abs(n) < 1e7) return `${n}.0`;
  return String(n).replace(/e\+?/, 'E');
}

/** Java's String.valueOf; `float` prints integral doubles as `2.0`. */
export function javaString(v: Value, float = false): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return float || !Number.isInteger(v) ? doubleString(v) : String(v);
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  if (v instanceof Lambda) return 'lambda';
  if (Array.isArray(v)) return `[${v.map((x) => javaString(x)).join(', ')}]`;
  return `{${Object.keys(v).map((k) => `${k}=${javaString(v[k])}`).join(', ')}}`;
}

/** Java `equals`: numbers by value, collections deeply. */
export function valueEquals(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => valueEquals(x, b[i]));
  }
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && valueEquals(a[k], b[k]));
  }
  return false;
}

/** Natural ordering (Comparable) for numbers, strings and booleans. */
export function compareValues(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a === null || b === null) throw new PainlessError('null_pointer_exception', 'cannot compare a null value');
  throw classCast(`${javaType(a)} cannot be compared to ${javaType(b)}`);
}

export function toBoolean(v: Value): boolean {
  if (typeof v === 'boolean') return v;
  if (v === null) throw new PainlessError('null_pointer_exception', 'cannot use null as a boolean');
  throw classCast(`Cannot cast ${javaType(v)} to boolean`);
}
