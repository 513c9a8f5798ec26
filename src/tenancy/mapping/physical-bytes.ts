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
import { DOT, HEX, LITERAL_FALSE, LITERAL_NULL, LITERAL_TRUE, LOWER_E, LOWER_U, MINUS, NINE, ONE, PLUS, SIMPLE_ESCAPE, table, UPPER_E, WHITESPACE, ZERO } from '../../core/json-bytes.ts';
import { isObject, MAX_JSON_DEPTH, type JsonObject } from '../../core/json.ts';
import { isObjectNode } from './logical-mapping.ts';
import { keyIndex, reservedBytes, type MappedKey } from './mapped-keys.ts';
import type { PhysicalNamer } from './physical-names.ts';

/** Thrown inside the scan when the general path must decide (never escapes this module). */
const GENERAL_PATH = Symbol('general path');

/** 1 for the bytes that end a plain run inside a string: `"`, `\\` and the control bytes. */
const STRING_STOP = ((): Uint8Array => {
  const t = table('"\\');
  t.fill(1, 0, 0x20);
  return t;
})();
const COMMA_BYTES = Buffer.from(',');
const CLOSE_BYTES = Buffer.from('}');

const EMPTY_PROPS: Record<string, JsonObject> = Object.freeze({}) as Record<string, JsonObject>;

export interface BytesPlan {
  /** Names no key, nor any dotted segment of one, may have (at any depth). */
  reserved: readonly string[];
  /** Shared placement: every key of the tenant's mapped objects is renamed (and must be mapped). */
  rename?: { props: Record<string, JsonObject>; namer: PhysicalNamer };
  /**
   * Members (`"k":v,…`) added as the top object's last ones, as text or in pieces (bytes and text,
   * written in turn); without them the rest of the line is kept as it is.
   */
  tail?: string | readonly (string | Buffer)[];
  /** Text written before the document (e.g. its action line and a newline): one buffer for both. */
  head?: string;
}

/**
 * Outputs are written straight into a slab and handed out as views of it, in turn (as Buffer's
 * own pool does): no copy per document. A document larger than a slab gets a buffer of its own.
 */
const SLAB_BYTES = 256 * 1024;
let slab = Buffer.allocUnsafe(SLAB_BYTES);
let slabUsed = 0;

class ByteScanner {
  private i = 0;
  private readonly n: number;
  /** Bytes of the line already copied to the output up to here. */
  private last = 0;
  /** The output: slab[start, o). */
  private start = slabUsed;
  private o = slabUsed;
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

  /** Text before the document in the output. */
  head(text: string): void {
    this.writeText(text);
  }

  /** The output: the line up to `close` (renamed), then `,` + `tail` + `}`; without a tail, the rest of the line. */
  finish(close: number, members: boolean, tail: BytesPlan['tail']): Buffer {
    if (tail === undefined) {
      this.copyTo(this.n);
    } else {
      this.copyTo(close);
      if (members) this.writeBytes(COMMA_BYTES);
      if (typeof tail === 'string') this.writeText(tail);
      else {
        for (const piece of tail) {
          if (typeof piece === 'string') this.writeText(piece);
          else this.writeBytes(piece);
        }
      }
      this.writeBytes(CLOSE_BYTES);
    }
    const out = slab.subarray(this.start, this.o);
    slabUsed = this.o;
    if (slab.length > SLAB_BYTES) {
      slab = Buffer.allocUnsafe(SLAB_BYTES);
      slabUsed = 0;
    }
    return out;
  }

  private reserve(bytes: number): void {
    if (this.o + bytes <= slab.length) return;
    const len = this.o - this.start;
    const fresh = Buffer.allocUnsafe(Math.max(SLAB_BYTES, (len + bytes) * 2));
    slab.copy(fresh, 0, this.start, this.o);
    slab = fresh;
    slabUsed = 0;
    this.start = 0;
    this.o = len;
  }

  private copyTo(end: number): void {
    const len = end - this.last;
    this.reserve(len);
    // Short runs (between two keys) by hand: Buffer#copy's own checks cost more than the bytes.
    if (len < 64) {
      const s = this.s;
      const from = this.last;
      const o = this.o;
      for (let k = 0; k < len; k++) slab[o + k] = s[from + k];
    } else {
      this.s.copy(slab, this.o, this.last, end);
    }
    this.o += len;
    this.last = end;
  }

  private writeBytes(bytes: Buffer): void {
    this.reserve(bytes.length);
    const o = this.o;
    for (let k = 0; k < bytes.length; k++) slab[o + k] = bytes[k];
    this.o += bytes.length;
  }

  private writeText(text: string): void {
    this.reserve(text.length * 3);
    this.o += slab.write(text, this.o);
  }

  private peek(): number {
    return this.i < this.n ? this.s[this.i] : -1;
  }

  private space(): void {
    const s = this.s;
    let i = this.i;
    while (i < this.n && WHITESPACE[s[i]] === 1) i++;
    this.i = i;
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
      const mapped = this.mappedKey(props, open + 1, close);
      if (mapped === undefined) throw GENERAL_PATH;
      const node = mapped.node;
      if (mapped.namer !== this.namer || mapped.prefix !== prefix || mapped.quoted === undefined) {
        mapped.namer = this.namer;
        mapped.prefix = prefix;
        mapped.quoted = Buffer.from((this.namer as PhysicalNamer).quoted(mapped.key, prefix, node));
        mapped.childPrefix = `${prefix}${mapped.key}.`;
      }
      this.copyTo(open);
      this.writeBytes(mapped.quoted);
      this.last = close + 1;
      if (isObjectNode(node) && node.enabled !== false) {
        childProps = isObject(node.properties) ? (node.properties as Record<string, JsonObject>) : EMPTY_PROPS;
        childPrefix = mapped.childPrefix as string;
      }
    }
    this.space();
    if (this.peek() !== COLON) throw GENERAL_PATH;
    this.i++;
    this.space();
    this.value(depth, childProps, childPrefix);
  }

  /** The mapped key whose bytes are the (unescaped) key in [from, to), if any (what Object.hasOwn finds for the decoded key). */
  private mappedKey(props: Record<string, JsonObject>, from: number, to: number): MappedKey | undefined {
    const list = keyIndex(props).get(to - from);
    if (list === undefined) return undefined;
    const s = this.s;
    const len = to - from;
    for (const mapped of list) {
      const b = mapped.bytes;
      let k = 0;
      while (k < len && s[from + k] === b[k]) k++;
      if (k === len) return mapped;
    }
    return undefined;
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
    else if (c === LITERAL_TRUE[0]) this.literal(LITERAL_TRUE);
    else if (c === LITERAL_FALSE[0]) this.literal(LITERAL_FALSE);
    else if (c === LITERAL_NULL[0]) this.literal(LITERAL_NULL);
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
      // The plain run up to the next quote, backslash or control byte, four bytes a step.
      while (i + 3 < n && (STRING_STOP[s[i]] | STRING_STOP[s[i + 1]] | STRING_STOP[s[i + 2]] | STRING_STOP[s[i + 3]]) === 0) i += 4;
      while (i < n && STRING_STOP[s[i]] === 0) i++;
      if (i >= n) throw GENERAL_PATH;
      const c = s[i];
      if (c === QUOTE) break;
      if (c !== BACKSLASH) throw GENERAL_PATH; // a control byte
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
    if (plan.head !== undefined) scanner.head(plan.head);
    const { close, members } = scanner.top(plan.rename?.props);
    return scanner.finish(close, members, plan.tail);
  } catch (e) {
    if (e === GENERAL_PATH) return undefined;
    throw e;
  }
}
