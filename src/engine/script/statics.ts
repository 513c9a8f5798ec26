/** Whitelisted static classes (Math, String, Integer, ...), their fields, and constructible types. */
import type { Json, JsonObject } from '../json.ts';
import { argList, argNumber, argString, table, type MethodTable, type Runtime } from './args.ts';
import { classCast, illegalArgument, PainlessError } from './errors.ts';
import { asJson, compareValues, isMap, javaString, javaType, mapPut, type Value } from './values.ts';

export const STATIC_CLASSES = new Set(['Math', 'String', 'Integer', 'Long', 'Double', 'Float', 'Boolean', 'Collections']);

/** Types usable with `new` (no arguments, or a collection to copy). */
export const CONSTRUCTIBLE = new Set(['ArrayList', 'HashMap', 'LinkedHashMap']);

const FLOAT_STATICS = new Set([
  'Math.sqrt', 'Math.cbrt', 'Math.pow', 'Math.floor', 'Math.ceil', 'Math.log', 'Math.log10', 'Math.exp',
  'Math.random', 'Math.signum', 'Math.hypot', 'Double.parseDouble', 'Double.valueOf', 'Float.parseFloat', 'Float.valueOf',
]);

export const staticReturnsFloat = (cls: string, name: string): boolean => FLOAT_STATICS.has(`${cls}.${name}`);

const numberFormat = (s: string): PainlessError =>
  new PainlessError('number_format_exception', s === '' ? 'empty String' : `For input string: "${s}"`);

function parseInteger(v: Value, min: number, max: number): number {
  const s = argString(v);
  const n = /^[+-]?\d+$/.test(s) ? Number(s) : NaN;
  if (!(n >= min && n <= max)) throw numberFormat(s);
  return n;
}

function parseDouble(v: Value): number {
  const s = argString(v).trim();
  if (/^[+-]?(NaN|Infinity)$/.test(s)) return Number(s);
  const n = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?$/.test(s) ? Number(s.replace(/[fFdD]$/, '')) : NaN;
  if (Number.isNaN(n)) throw numberFormat(s);
  return n;
}

const toNumber = (v: Value, parse: (v: Value) => number): number => (typeof v === 'number' ? v : parse(v));
const INT: [number, number] = [-2147483648, 2147483647];
const LONG: [number, number] = [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
const m1 = (f: (x: number) => number) => (_: null, [x]: Value[]) => f(argNumber(x));

const STATICS = table<null>({
  'Math.max/2': (_, [a, b]) => Math.max(argNumber(a), argNumber(b)),
  'Math.min/2': (_, [a, b]) => Math.min(argNumber(a), argNumber(b)),
  'Math.pow/2': (_, [a, b]) => Math.pow(argNumber(a), argNumber(b)),
  'Math.hypot/2': (_, [a, b]) => Math.hypot(argNumber(a), argNumber(b)),
  'Math.abs/1': m1(Math.abs),
  'Math.round/1': m1(Math.round),
  'Math.floor/1': m1(Math.floor),
  'Math.ceil/1': m1(Math.ceil),
  'Math.sqrt/1': m1(Math.sqrt),
  'Math.cbrt/1': m1(Math.cbrt),
  'Math.log/1': m1(Math.log),
  'Math.log10/1': m1(Math.log10),
  'Math.exp/1': m1(Math.exp),
  'Math.signum/1': m1(Math.sign),
  'Math.random/0': () => Math.random(),
  'String.valueOf/1': (_, [v]) => javaString(v),
  'String.join/2': (_, [sep, items]) => argList(items).map((x) => javaString(x)).join(argString(sep)),
  'Integer.parseInt/1': (_, [v]) => parseInteger(v, ...INT),
  'Integer.valueOf/1': (_, [v]) => Math.trunc(toNumber(v, (s) => parseInteger(s, ...INT))),
  'Long.parseLong/1': (_, [v]) => parseInteger(v, ...LONG),
  'Long.valueOf/1': (_, [v]) => Math.trunc(toNumber(v, (s) => parseInteger(s, ...LONG))),
  'Double.parseDouble/1,Float.parseFloat/1': (_, [v]) => parseDouble(v),
  'Double.valueOf/1,Float.valueOf/1': (_, [v]) => toNumber(v, parseDouble),
  'Double.isNaN/1': (_, [v]) => Number.isNaN(argNumber(v)),
  'Integer.toString/1,Long.toString/1,Double.toString/1,Boolean.toString/1': (_, [v]) => javaString(v),
  'Boolean.parseBoolean/1': (_, [v]) => typeof v === 'string' && v.toLowerCase() === 'true',
  'Boolean.valueOf/1': (_, [v]) => (typeof v === 'boolean' ? v : typeof v === 'string' && v.toLowerCase() === 'true'),
  'Collections.sort/1': (_, [l], rt) => (rt.consume(argList(l).length), argList(l).sort(compareValues), null),
  'Collections.reverse/1': (_, [l]) => (argList(l).reverse(), null),
});

const STATIC_FIELDS = new Map<string, Json>([
  ['Math.PI', Math.PI],
  ['Math.E', Math.E],
  ['Integer.MAX_VALUE', INT[1]],
  ['Integer.MIN_VALUE', INT[0]],
  ['Long.MAX_VALUE', LONG[1]],
  ['Long.MIN_VALUE', LONG[0]],
  ['Double.MAX_VALUE', Number.MAX_VALUE],
  ['Double.MIN_VALUE', Number.MIN_VALUE],
]);

export function callStatic(cls: string, name: string, args: Value[], rt: Runtime): Value {
  const fn = (STATICS as MethodTable<null>).get(`${cls}.${name}/${args.length}`);
  if (!fn) throw illegalArgument(`unknown static method [${cls}, ${name}/${args.length}]`);
  return fn(null, args, rt);
}

export function staticField(cls: string, name: string): Json {
  const key = `${cls}.${name}`;
  if (!STATIC_FIELDS.has(key)) throw illegalArgument(`unknown static field [${name}] for class [${cls}]`);
  return STATIC_FIELDS.get(key) ?? null;
}

/** `new ArrayList()`, `new ArrayList(capacity)`, `new HashMap(other)`: copies are shallow, like Java's. */
export function construct(type: string, args: Value[]): Json {
  if (args.length > 1) throw illegalArgument(`constructor [${type}/${args.length}] not found`);
  const from = args.length === 1 ? asJson(args[0]) : null;
  if (from === null || typeof from === 'number') return type === 'ArrayList' ? [] : {};
  if (type === 'ArrayList') return argList(from).slice();
  if (!isMap(from)) throw classCast(`Cannot cast ${javaType(from)} to java.util.Map`);
  const copy: JsonObject = {};
  for (const k of Object.keys(from)) mapPut(copy, k, from[k]);
  return copy;
}
