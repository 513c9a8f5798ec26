/** Byte tables, number grammar and tight byte loops shared by the JSON scanner (RFC 8259). */
import { BACKSLASH, QUOTE } from './json-chars.ts';

export const MINUS = 0x2d;
export const PLUS = 0x2b;
export const DOT = 0x2e;
export const ZERO = 0x30;
export const ONE = 0x31;
export const NINE = 0x39;
export const LOWER_E = 0x65;
export const UPPER_E = 0x45;
export const LOWER_U = 0x75;

/** 1 for the four JSON whitespace bytes. */
export const WHITESPACE = table(' \t\n\r');
/** 1 for bytes allowed after a backslash, other than 'u'. */
export const SIMPLE_ESCAPE = table('"\\/bfnrt');
/** 1 for hex digits. */
export const HEX = table('0123456789abcdefABCDEF');

export const LITERAL_TRUE = Buffer.from('true');
export const LITERAL_FALSE = Buffer.from('false');
export const LITERAL_NULL = Buffer.from('null');

// Number sub-states; the terminal ones may end at any byte that cannot continue the number.
export const N_MINUS = 0;
export const N_ZERO = 1;
export const N_INT = 2;
const N_DOT = 3;
export const N_FRAC = 4;
const N_EXP = 5;
const N_EXP_SIGN = 6;
export const N_EXP_DIGITS = 7;

export function isTerminalNumberState(sub: number): boolean {
  return sub === N_ZERO || sub === N_INT || sub === N_FRAC || sub === N_EXP_DIGITS;
}

/** The number sub-state after byte `b`, or -1 if `b` cannot continue the number. */
export function nextNumberState(sub: number, b: number): number {
  const digit = b >= ZERO && b <= NINE;
  switch (sub) {
    case N_MINUS:
      return b === ZERO ? N_ZERO : digit ? N_INT : -1;
    case N_ZERO:
      return b === DOT ? N_DOT : b === LOWER_E || b === UPPER_E ? N_EXP : -1;
    case N_INT:
      return digit ? N_INT : b === DOT ? N_DOT : b === LOWER_E || b === UPPER_E ? N_EXP : -1;
    case N_DOT:
      return digit ? N_FRAC : -1;
    case N_FRAC:
      return digit ? N_FRAC : b === LOWER_E || b === UPPER_E ? N_EXP : -1;
    case N_EXP:
      return b === PLUS || b === MINUS ? N_EXP_SIGN : digit ? N_EXP_DIGITS : -1;
    case N_EXP_SIGN:
      return digit ? N_EXP_DIGITS : -1;
    default:
      return digit ? N_EXP_DIGITS : -1;
  }
}

/** Index of the first byte at or after `i` that ends a plain run inside a string ('"', '\' or a control byte), or `n`. */
export function plainStringRun(buf: Buffer, i: number, n: number): number {
  while (i < n) {
    const b = buf[i];
    if (b === QUOTE || b === BACKSLASH || b < 0x20) return i;
    i++;
  }
  return n;
}

/** Index of the first non-digit at or after `i`, or `n`. */
export function digitRun(buf: Buffer, i: number, n: number): number {
  while (i < n) {
    const b = buf[i];
    if (b < ZERO || b > NINE) return i;
    i++;
  }
  return n;
}

/** A byte as shown in error messages. */
export function describeByte(b: number): string {
  return b >= 0x20 && b < 0x7f ? `'${String.fromCharCode(b)}'` : `0x${b.toString(16).padStart(2, '0')}`;
}

/** A 256-entry table: 1 for each byte of `chars` (ASCII). */
export function table(chars: string): Uint8Array {
  const t = new Uint8Array(256);
  for (const c of chars) t[c.charCodeAt(0)] = 1;
  return t;
}
