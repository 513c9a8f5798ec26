/**
 * A document line as stored, straight from its bytes in one pass: the `_bulk` hot path, where
 * JSON.parse + JSON.stringify of every document used to cost more than the upstream's own work.
 *
 * The pass validates the line as JSON.parse would (RFC 8259: string escapes and control bytes,
 * number grammar, literals, nothing after the top object but whitespace; the line is known to be
 * valid UTF-8) with an object at the top nested no deeper than MAX_JSON_DEPTH; checks every key
 * at any depth, under arrays and inside values left as they are, for a reserved name in any of
 * its dotted segments (assertNoReservedFields' rule); in shared placement renames each key of the
 * tenant's mapped objects to its physical name (as renamedDocumentText does on text) and splices
 * the reserved fields in before the top object's `}` — no object tree, no string of the document.
 *
 * Anything this pass does not settle answers undefined, and the caller takes the general path
 * (JSON.parse, assertNoReservedFields, physicalDocument), which then decides — with its own
 * error — exactly as before: a malformed line, a reserved key (so that the error names the same
 * field), an escaped key (its decoded spelling is what counts), a key the mapping lacks or a
 * dotted key in a mapped object (inference and the object renamer handle those), a leading BOM.
 */
import { BACKSLASH, CLOSE_ARRAY, CLOSE_OBJECT, COLON, COMMA, OPEN_ARRAY, OPEN_OBJECT, QUOTE } from '../../core/json-chars.ts';
import { isObject, MAX_JSON_DEPTH, type JsonObject } from '../../core/json.ts';
import { isObjectNode } from './logical-mapping.ts';
import type { PhysicalNamer } from './physical-names.ts';

/** Thrown inside the scan when the general path must decide (never escapes this module). */
const GENERAL_PATH = Symbol('general path');

const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const ONE = 0x31;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const LOWER_U = 0x75;

function table(chars: string): Uint8Array {
  const t = new Uint8Array(256);
  for (let k = 0; k < chars.length; k++) t[chars.charCodeAt(k)] = 1;
  return t;
}

const SPACE = table(' \t\n\r');
const SIMPLE_ESCAPE = table('"\\/bfnrt');
const HEX = table('0123456789abcdefABCDEF');
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

const EMPTY_PROPS: Record<string, JsonObject> = Object.freeze({}) as Record<string, JsonObject>;

export interface BytesPlan {
  /** Names no key, nor any dotted segment of one, may have (at any depth). */
  reserved: readonly string[];
  /** Shared placement: every key of the tenant's mapped objects is renamed (and must be mapped). */
  rename?: { props: Record<string, JsonObject>; namer: PhysicalNamer };
  /** Members (`"k":v,…`) added as the top object's last ones; without it the line is kept as it is. */
  tail?: string;
}

/** The reserved names as bytes, once per list; undefined when one is not well-formed Unicode (compared as text then). */
const reservedBytesOf = new WeakMap<readonly string[], Buffer[] | null>();

function reservedBytes(names: readonly string[]): Buffer[] | undefined {
  let bytes = reservedBytesOf.get(names);
  if (bytes === undefined) {
    // A lone surrogate would encode as U+FFFD: bytes would then match a key the text does not.
    bytes = names.some((n) => /[\uD800-\uDFFF]/.test(n)) ? null : names.map((n) => Buffer.from(n));
    reservedBytesOf.set(names, bytes);
  }
  return bytes ?? undefined;
}

/** Output under construction; one buffer reused across documents (the scan is synchronous). */
let scratch = Buffer.allocUnsafe(16 * 1024);
const SCRATCH_KEPT = 1024 * 1024;

class ByteScanner {
  private i = 0;
  private readonly n: number;
  /** Bytes of the line already copied to the output (renaming) up to here. */
  private last = 0;
  private o = 0;
  /** Set by string(): the string just scanned has a backslash escape. */
  private escaped = false;

  constructor(
    private readonly s: Buffer,
    private readonly reserved: Buffer[],
    private readonly namer: PhysicalNamer | undefined,
  ) {
    this.n = s.length;
  }

  /** Scans the top object; returns the index of its closing `}` and whether it has members. */
  top(props: Record<string, JsonObject> | undefined): { close: number; members: boolean } {
    this.space();
    if (this.peek() !== OPEN_OBJECT) throw GENERAL_PATH;
    const members = this.object(1, props, '');
    const close = this.i - 1;
    this.space();
    if (this.i !== this.n) throw GENERAL_PATH;
    return { close, members };
  }

  /** The output: the line up to `close` (renamed), `,` + `tail` + `}`. */
  spliced(close: number, members: boolean, tail: string): Buffer {
    this.copyTo(close);
    this.writeText(members ? `,${tail}}` : `${tail}}`);
    const out = Buffer.allocUnsafe(this.o);
    scratch.copy(out, 0, 0, this.o);
    if (scratch.length > SCRATCH_KEPT) scratch = Buffer.allocUnsafe(16 * 1024);
    return out;
  }

  private peek(): number {
    return this.i < this.n ? this.s[this.i] : -1;
  }

  private space(): void {
    const s = this.s;
    let i = this.i;
    while (i < this.n && SPACE[s[i]] === 1) i++;
    this.i = i;
  }

  private reserve(bytes: number): void {
    if (this.o + bytes <= scratch.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(scratch.length * 2, this.o + bytes));
    scratch.copy(bigger, 0, 0, this.o);
    scratch = bigger;
  }

  private copyTo(end: number): void {
    const len = end - this.last;
    this.reserve(len);
    this.s.copy(scratch, this.o, this.last, end);
    this.o += len;
    this.last = end;
  }

  private writeText(text: string): void {
    this.reserve(text.length * 3);
    this.o += scratch.write(text, this.o);
  }

  /** `{` … `}` at `i`; true when it has members. Keys are renamed against `props` when given. */
  private object(depth: number, props: Record<string, JsonObject> | undefined, prefix: string): boolean {
    if (depth > MAX_JSON_DEPTH) throw GENERAL_PATH;
    this.i++;
    this.space();
    if (this.peek() === CLOSE_OBJECT) {
      this.i++;
      return false;
    }
    for (;;) {
      if (this.peek() !== QUOTE) throw GENERAL_PATH;
      this.member(depth, props, prefix);
      this.space();
      const c = this.peek();
      this.i++;
      if (c === CLOSE_OBJECT) return true;
      if (c !== COMMA) throw GENERAL_PATH;
      this.space();
    }
  }

  private member(depth: number, props: Record<string, JsonObject> | undefined, prefix: string): void {
    const open = this.i;
    const close = this.string();
    this.i = close + 1;
    if (this.escaped) throw GENERAL_PATH;
    if (this.namesReserved(open + 1, close)) throw GENERAL_PATH;
    let childProps: Record<string, JsonObject> | undefined;
    let childPrefix = '';
    if (props !== undefined) {
      const key = this.s.toString('utf8', open + 1, close);
      if (key.includes('.') || !Object.hasOwn(props, key)) throw GENERAL_PATH;
      const node = props[key];
      this.copyTo(open);
      this.writeText((this.namer as PhysicalNamer).quoted(key, prefix, node));
      this.last = close + 1;
      if (isObjectNode(node) && node.enabled !== false) {
        childProps = isObject(node.properties) ? (node.properties as Record<string, JsonObject>) : EMPTY_PROPS;
        childPrefix = `${prefix}${key}.`;
      }
    }
    this.space();
    if (this.peek() !== COLON) throw GENERAL_PATH;
    this.i++;
    this.space();
    this.value(depth, childProps, childPrefix);
  }

  /** Whether a dotted segment of the (unescaped) key in bytes [from, to) is a reserved name. */
  private namesReserved(from: number, to: number): boolean {
    const s = this.s;
    let start = from;
    for (let j = from; j <= to; j++) {
      if (j < to && s[j] !== DOT) continue;
      const len = j - start;
      for (const name of this.reserved) {
        if (name.length !== len) continue;
        let k = 0;
        while (k < len && s[start + k] === name[k]) k++;
        if (k === len) return true;
      }
      start = j + 1;
    }
    return false;
  }

  /** Any value at `i`; objects and arrays of them are renamed against `props` when given. */
  private value(depth: number, props: Record<string, JsonObject> | undefined, prefix: string): void {
    const c = this.peek();
    if (c === QUOTE) this.i = this.string() + 1;
    else if (c === OPEN_OBJECT) this.object(depth + 1, props, prefix);
    else if (c === OPEN_ARRAY) this.array(depth + 1, props, prefix);
    else if (c === MINUS || (c >= ZERO && c <= NINE)) this.number();
    else if (c === TRUE[0]) this.literal(TRUE);
    else if (c === FALSE[0]) this.literal(FALSE);
    else if (c === NULL[0]) this.literal(NULL);
    else throw GENERAL_PATH;
  }

  private array(depth: number, props: Record<string, JsonObject> | undefined, prefix: string): void {
    if (depth > MAX_JSON_DEPTH) throw GENERAL_PATH;
    this.i++;
    this.space();
    if (this.peek() === CLOSE_ARRAY) {
      this.i++;
      return;
    }
    for (;;) {
      this.value(depth, props, prefix);
      this.space();
      const c = this.peek();
      this.i++;
      if (c === CLOSE_ARRAY) return;
      if (c !== COMMA) throw GENERAL_PATH;
      this.space();
    }
  }

  /** The string opening at `i`: returns the index of its closing quote; sets `escaped`. */
  private string(): number {
    const s = this.s;
    const n = this.n;
    let i = this.i + 1;
    let escaped = false;
    for (;;) {
      if (i >= n) throw GENERAL_PATH;
      const c = s[i];
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        const e = i + 1 < n ? s[i + 1] : -1;
        if (e === LOWER_U) {
          if (i + 5 >= n || HEX[s[i + 2]] !== 1 || HEX[s[i + 3]] !== 1 || HEX[s[i + 4]] !== 1 || HEX[s[i + 5]] !== 1) throw GENERAL_PATH;
          i += 6;
        } else if (e !== -1 && SIMPLE_ESCAPE[e] === 1) {
          i += 2;
        } else {
          throw GENERAL_PATH;
        }
        continue;
      }
      if (c < 0x20) throw GENERAL_PATH;
      i++;
    }
    this.escaped = escaped;
    return i;
  }

  private digits(i: number): number {
    const s = this.s;
    while (i < this.n && s[i] >= ZERO && s[i] <= NINE) i++;
    return i;
  }

  /** -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
  private number(): void {
    const s = this.s;
    const n = this.n;
    let i = this.i;
    if (s[i] === MINUS) i++;
    if (i < n && s[i] === ZERO) i++;
    else if (i < n && s[i] >= ONE && s[i] <= NINE) i = this.digits(i + 1);
    else throw GENERAL_PATH;
    if (i < n && s[i] === DOT) {
      const from = i + 1;
      i = this.digits(from);
      if (i === from) throw GENERAL_PATH;
    }
    if (i < n && (s[i] === LOWER_E || s[i] === UPPER_E)) {
      i++;
      if (i < n && (s[i] === PLUS || s[i] === MINUS)) i++;
      const from = i;
      i = this.digits(from);
      if (i === from) throw GENERAL_PATH;
    }
    this.i = i;
  }

  private literal(word: Buffer): void {
    if (this.i + word.length > this.n) throw GENERAL_PATH;
    for (let k = 0; k < word.length; k++) if (this.s[this.i + k] !== word[k]) throw GENERAL_PATH;
    this.i += word.length;
  }
}

/**
 * The document line as stored, from its bytes (see the module comment); undefined when the
 * general path must decide. `line` must be valid UTF-8 (checked before).
 */
export function physicalDocumentBytes(line: Buffer, plan: BytesPlan): Buffer | undefined {
  const reserved = reservedBytes(plan.reserved);
  if (reserved === undefined) return undefined;
  const scanner = new ByteScanner(line, reserved, plan.rename?.namer);
  try {
    const { close, members } = scanner.top(plan.rename?.props);
    if (plan.tail === undefined) return plan.rename === undefined ? Buffer.from(line) : undefined;
    return scanner.spliced(close, members, plan.tail);
  } catch (e) {
    if (e === GENERAL_PATH) return undefined;
    throw e;
  }
}
