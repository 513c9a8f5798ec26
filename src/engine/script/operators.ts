/** Java semantics of Painless operators on dynamic (`def`) values: arithmetic, comparison, casts. */
import type { BinaryOp } from './ast.ts';
import { classCast, PainlessError } from './errors.ts';
import { compareValues, isList, isMap, javaString, javaType, toBoolean, valueEquals, type Value } from './values.ts';

/** Longest string a script may build (guards against `s = s + s` doubling). */
export const MAX_STRING_LENGTH = 10_000_000;

const INTEGRAL_TYPES = new Set(['int', 'long', 'short', 'byte', 'Integer', 'Long', 'Short', 'Byte']);
const NUMBER_TYPES = new Set([...INTEGRAL_TYPES, 'float', 'double', 'Float', 'Double', 'Number']);

function badOperands(op: string, a: Value, b: Value): PainlessError {
  if (a === null || b === null) {
    return new PainlessError('null_pointer_exception', `cannot apply [${op}] to a null value`);
  }
  return classCast(`Cannot apply [${op}] operation to types [${javaType(a)}] and [${javaType(b)}].`);
}

function concat(a: Value, b: Value, aFloat: boolean, bFloat: boolean): string {
  const s = javaString(a, aFloat) + javaString(b, bFloat);
  if (s.length > MAX_STRING_LENGTH) throw new PainlessError('painless_error', 'string too long');
  return s;
}

function divide(op: '/' | '%', a: number, b: number, float: boolean): number {
  if (float || !Number.isInteger(a) || !Number.isInteger(b)) return op === '/' ? a / b : a % b;
  if (b === 0) throw new PainlessError('arithmetic_exception', '/ by zero');
  return op === '/' ? Math.trunc(a / b) : a % b;
}

function bitwise(op: BinaryOp, a: Value, b: Value): Value {
  if (typeof a === 'boolean' && typeof b === 'boolean' && (op === '&' || op === '|' || op === '^')) {
    return op === '&' ? a && b : op === '|' ? a || b : a !== b;
  }
  if (!Number.isInteger(a) || !Number.isInteger(b)) throw badOperands(op, a, b);
  const x = a as number;
  const y = b as number;
  switch (op) {
    case '&': return x & y;
    case '|': return x | y;
    case '^': return x ^ y;
    case '<<': return x << y;
    case '>>': return x >> y;
    default: return x >>> y;
  }
}

function arithmetic(op: BinaryOp, a: number, b: number, float: boolean): number {
  switch (op) {
    case '-': return a - b;
    case '*': return a * b;
    case '/':
    case '%':
      return divide(op, a, b, float);
    default: return a + b;
  }
}

export interface Operand {
  value: Value;
  float: boolean;
}

/** Evaluates a binary operator; `float` says the expression is statically floating point. */
export function binary(op: BinaryOp, l: Operand, r: Operand, float: boolean): Value {
  const a = l.value;
  const b = r.value;
  switch (op) {
    case '==': return valueEquals(a, b);
    case '!=': return !valueEquals(a, b);
    case '===': return a === b || (typeof a === 'number' && a === b);
    case '!==': return a !== b;
    case '<': return compareValues(a, b) < 0;
    case '<=': return compareValues(a, b) <= 0;
    case '>': return compareValues(a, b) > 0;
    case '>=': return compareValues(a, b) >= 0;
    default:
  }
  if (op === '+' && (typeof a === 'string' || typeof b === 'string')) return concat(a, b, l.float, r.float);
  if (op === '+' || op === '-' || op === '*' || op === '/' || op === '%') {
    if (typeof a !== 'number' || typeof b !== 'number') throw badOperands(op, a, b);
    return arithmetic(op, a, b, float);
  }
  return bitwise(op, a, b);
}

export function unary(op: '-' | '+' | '!' | '~', v: Value): Value {
  if (op === '!') return !toBoolean(v);
  if (typeof v !== 'number' || (op === '~' && !Number.isInteger(v))) {
    if (v === null) throw new PainlessError('null_pointer_exception', `cannot apply [${op}] to a null value`);
    throw classCast(`Cannot apply [${op}] operation to type [${javaType(v)}].`);
  }
  return op === '-' ? -v : op === '~' ? ~v : v;
}

/** Whether `v` is an instance of the named type (null is an instance of nothing). */
export function instanceOf(v: Value, type: string): boolean {
  if (v === null) return false;
  if (type === 'def' || type === 'var' || type === 'Object') return true;
  if (INTEGRAL_TYPES.has(type)) return Number.isInteger(v);
  if (NUMBER_TYPES.has(type)) return typeof v === 'number';
  if (type === 'String' || type === 'char') return typeof v === 'string';
  if (type === 'boolean' || type === 'Boolean') return typeof v === 'boolean';
  if (['Map', 'HashMap', 'LinkedHashMap', 'TreeMap'].includes(type)) return isMap(v);
  return isList(v);
}

/** An explicit cast `(type) v`: numbers convert (ints truncate), other types are checked. */
export function cast(v: Value, type: string): Value {
  if (v === null) {
    if (['int', 'long', 'short', 'byte', 'float', 'double', 'boolean', 'char'].includes(type)) {
      throw new PainlessError('null_pointer_exception', `cannot cast null to [${type}]`);
    }
    return null;
  }
  if (NUMBER_TYPES.has(type) && typeof v === 'number') return INTEGRAL_TYPES.has(type) ? Math.trunc(v) : v;
  if (instanceOf(v, type)) return v;
  throw classCast(`Cannot cast ${javaType(v)} to ${type}`);
}
