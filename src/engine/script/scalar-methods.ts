/** Whitelisted methods of String, numbers (boxed Integer/Long/Double) and Boolean. */
import { argInt, argString, table } from './args.ts';
import { PainlessError } from './errors.ts';
import { compareValues, javaString, valueEquals } from './values.ts';

function stringIndex(index: number, length: number): number {
  if (!Number.isInteger(index) || index < 0 || index > length) {
    throw new PainlessError('string_index_out_of_bounds_exception', `index ${index}, length ${length}`);
  }
  return index;
}

function substring(s: string, from: number, to: number): string {
  const end = stringIndex(to, s.length);
  if (from > end) throw new PainlessError('string_index_out_of_bounds_exception', `begin ${from}, end ${end}, length ${s.length}`);
  return s.slice(stringIndex(from, s.length), end);
}

function charAt(s: string, i: number): string {
  if (!Number.isInteger(i) || i < 0 || i >= s.length) {
    throw new PainlessError('string_index_out_of_bounds_exception', `index ${i}, length ${s.length}`);
  }
  return s[i];
}

/** Java's String.split drops trailing empty strings; the separator is taken literally here. */
function split(s: string, sep: string): string[] {
  const parts = sep === '' ? [...s] : s.split(sep);
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

export const STRING_METHODS = table<string>({
  'length/0': (s) => s.length,
  'isEmpty/0': (s) => s.length === 0,
  'toLowerCase/0': (s) => s.toLowerCase(),
  'toUpperCase/0': (s) => s.toUpperCase(),
  'trim/0': (s) => s.trim(),
  'contains/1': (s, [x]) => s.includes(argString(x)),
  'startsWith/1': (s, [x]) => s.startsWith(argString(x)),
  'endsWith/1': (s, [x]) => s.endsWith(argString(x)),
  'substring/1': (s, [from]) => substring(s, argInt(from), s.length),
  'substring/2': (s, [from, to]) => substring(s, argInt(from), argInt(to)),
  'indexOf/1': (s, [x]) => s.indexOf(argString(x)),
  'indexOf/2': (s, [x, from]) => s.indexOf(argString(x), argInt(from)),
  'lastIndexOf/1': (s, [x]) => s.lastIndexOf(argString(x)),
  'charAt/1': (s, [i]) => charAt(s, argInt(i)),
  'replace/2': (s, [a, b]) => s.split(argString(a)).join(argString(b)),
  'split/1,splitOnToken/1': (s, [sep]) => split(s, argString(sep)),
  'concat/1': (s, [x]) => s + argString(x),
  'equals/1': (s, [x]) => s === x,
  'equalsIgnoreCase/1': (s, [x]) => typeof x === 'string' && s.toLowerCase() === x.toLowerCase(),
  'compareTo/1': (s, [x]) => compareValues(s, argString(x)),
  'toString/0': (s) => s,
});

export const NUMBER_METHODS = table<number>({
  'intValue/0,longValue/0,shortValue/0,byteValue/0': (n) => Math.trunc(n),
  'doubleValue/0,floatValue/0': (n) => n,
  'equals/1': (n, [x]) => valueEquals(n, x),
  'compareTo/1': (n, [x]) => compareValues(n, x),
  'toString/0': (n) => javaString(n),
});

export const BOOLEAN_METHODS = table<boolean>({
  'booleanValue/0': (b) => b,
  'equals/1': (b, [x]) => b === x,
  'compareTo/1': (b, [x]) => compareValues(b, x),
  'toString/0': (b) => String(b),
});
