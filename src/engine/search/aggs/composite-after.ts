import { EngineError } from '../../errors.ts';
import type { Json } from '../../json.ts';
import { resolveDateMath } from '../fields/date-math.ts';

/**
 * Reading an `after` value back into a composite source's key space, as OpenSearch's values
 * sources do in setAfter: keyword sources want a JSON string as is; numeric ones parse the value's
 * text (`toString()`) with the source's DocValueFormat, so `"5"` and `5` resume at the same place.
 */
export type AfterParser = (v: Json) => string | number;

const illegal = (reason: string): EngineError => new EngineError(400, 'illegal_argument_exception', reason);

/** The class Jackson gives a JSON value, as OpenSearch names it in its messages. */
export function javaClassOf(v: Json): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return 'String';
  if (typeof v === 'boolean') return 'Boolean';
  if (typeof v === 'number') return !Number.isInteger(v) ? 'Double' : Math.abs(v) <= 2_147_483_647 ? 'Integer' : 'Long';
  return Array.isArray(v) ? 'ArrayList' : 'HashMap';
}

/** `value.toString()` of a scalar (objects and arrays are refused before any parser runs). */
const textOf = (v: Json): string => (typeof v === 'string' ? v : String(v));

const JAVA_DOUBLE = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;

/** Double.parseDouble: Java's literal syntax (not JavaScript's: no `""` as 0, no hex integers). */
export function javaParseDouble(text: string): number {
  const t = text.trim();
  if (!JAVA_DOUBLE.test(t)) throw new EngineError(400, 'number_format_exception', t === '' ? 'empty String' : `For input string: "${t}"`);
  return Number(t.replace(/[fFdD]$/, ''));
}

/** DocValueFormat.RAW.parseDouble. */
export const rawDouble: AfterParser = (v) => javaParseDouble(textOf(v));

/** DocValueFormat.RAW.parseLong: the text as a double, rounded down (Math.round(NaN) is 0 in Java). */
export const rawLong: AfterParser = (v) => {
  const d = Math.floor(javaParseDouble(textOf(v)));
  return Number.isNaN(d) ? 0 : d;
};

/** DocValueFormat.BOOLEAN.parseLong: only the words true and false. */
export const booleanLong: AfterParser = (v) => {
  const t = textOf(v);
  if (t === 'true') return 1;
  if (t === 'false') return 0;
  throw illegal(`Cannot parse boolean [${t}], expected either [true] or [false]`);
};

/** DocValueFormat.DateTime.parseLong: date math in the format and zone; `now` has no fixed meaning for a resume point. */
export function dateLong(format: string, timeZone: string | undefined): AfterParser {
  return (v) => {
    const t = textOf(v);
    if (t.startsWith('now')) throw illegal('now() is not supported in [after] key');
    return resolveDateMath(t, { format, timeZone });
  };
}

/**
 * Keyword (bytes) sources: the value must be a JSON string. An unmapped field with missing_bucket
 * takes anything by its text, because another index may map it as a number.
 */
export function bytesValue(lenient: boolean): AfterParser {
  return (v) => {
    if (typeof v === 'string' || lenient) return textOf(v);
    throw illegal(`invalid value, expected string, got ${javaClassOf(v)}`);
  };
}
