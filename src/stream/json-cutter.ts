/**
 * A streaming, validating, byte-level JSON scanner that cuts out the values at configured paths,
 * hands each one to its rule, and writes the rule's bytes in its place. Every other byte is copied
 * through verbatim (as subarrays of the input chunks). Memory held between chunks: the partial
 * matched value, the partial key on a watched path, and the container stack; nothing else.
 *
 * push() takes ownership of the chunk: output may be subarrays of it, so do not mutate it later.
 */
import { RuleSet, lowestBitIndex, type CutRule, type JsonPath } from './path-rules.ts';
import { StreamJsonError, type StreamJsonErrorReason } from './stream-json-error.ts';

export interface JsonCutterOptions {
  /** A matched value larger than this fails with `value_too_large` (default 100 MiB). */
  maxValueBytes?: number;
  /** Containers nested deeper than this fail with `max_depth` (default 512). */
  maxDepth?: number;
  /** A key on a watched path longer than this fails with `key_too_large` (default 64 KiB). */
  maxKeyBytes?: number;
}

const DEFAULT_MAX_VALUE_BYTES = 100 * 1024 * 1024;
const DEFAULT_MAX_DEPTH = 512;
const DEFAULT_MAX_KEY_BYTES = 64 * 1024;
const EMPTY = Buffer.alloc(0);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const LOWER_U = 0x75;

const OBJECT = 1;
const ARRAY = 2;

// Scanner states. S_VALUE..S_AFTER_VALUE sit between tokens; the rest are inside one.
const S_VALUE = 0; // a value: at the root, after ':' or after ',' in an array
const S_ARRAY_FIRST = 1; // a value or ']'
const S_OBJECT_FIRST = 2; // a key or '}'
const S_KEY = 3; // a key (after ',' in an object)
const S_COLON = 4;
const S_AFTER_VALUE = 5; // ',' or the enclosing closer; at the root, only whitespace
const S_STRING = 6;
const S_NUMBER = 7;
const S_LITERAL = 8;

// Number sub-states (RFC 8259 grammar); terminal ones may end at any non-number byte.
const N_MINUS = 0;
const N_ZERO = 1;
const N_INT = 2;
const N_DOT = 3;
const N_FRAC = 4;
const N_EXP = 5;
const N_EXP_SIGN = 6;
const N_EXP_DIGITS = 7;

const LITERAL_TRUE = Buffer.from('true');
const LITERAL_FALSE = Buffer.from('false');
const LITERAL_NULL = Buffer.from('null');

/** 1 for the four JSON whitespace bytes. */
const WHITESPACE = new Uint8Array(256);
for (const b of [0x20, 0x09, 0x0a, 0x0d]) WHITESPACE[b] = 1;
/** 1 for bytes allowed after a backslash, other than 'u'. */
const SIMPLE_ESCAPE = new Uint8Array(256);
for (const c of '"\\/bfnrt') SIMPLE_ESCAPE[c.charCodeAt(0)] = 1;
/** 1 for hex digits. */
const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;

export class JsonCutter {
  private readonly rules: RuleSet;
  private readonly maxValueBytes: number;
  private readonly maxDepth: number;
  private readonly maxKeyBytes: number;

  private state = S_VALUE;
  private failure: Error | null = null;
  private ended = false;
  /** Absolute offset of the current chunk's first byte, for error messages. */
  private offset = 0;
  private out: Buffer[] = [];
  /** Start (in the current chunk) of bytes not yet copied to `out`. */
  private emitFrom = 0;

  // Container stack: kind, alive-rule mask, current array index, current key (watched frames only).
  private depth = 0;
  private readonly frameKind: Uint8Array;
  private readonly frameMask: Int32Array;
  private readonly frameIndex: Int32Array;
  private readonly frameKey: string[];

  // Token sub-state.
  private strIsKey = false;
  private strEsc = 0; // 0 plain, 1 after '\', 2..5 expecting the n-1th hex digit of \uXXXX
  private numSub = N_MINUS;
  private literal: Buffer = LITERAL_NULL;
  private literalPos = 0;

  // Key capture (only on frames some rule can still descend through).
  private keyRecording = false;
  private keyHasEscape = false;
  private keyFrom = 0;
  private keyPieces: Buffer[] = [];
  private keyLength = 0;

  // Value capture.
  private capturing = false;
  private captureDepth = 0;
  private captureFrom = 0;
  private captureRule = 0;
  private capturePath: JsonPath = [];
  private capturePieces: Buffer[] = [];
  private captureLength = 0;

  constructor(rules: readonly CutRule[], options: JsonCutterOptions = {}) {
    this.rules = new RuleSet(rules);
    this.maxValueBytes = options.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES;
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.maxKeyBytes = options.maxKeyBytes ?? DEFAULT_MAX_KEY_BYTES;
    this.frameKind = new Uint8Array(this.maxDepth);
    this.frameMask = new Int32Array(this.maxDepth);
    this.frameIndex = new Int32Array(this.maxDepth);
    this.frameKey = new Array<string>(this.maxDepth).fill('');
  }

  /** Scans one chunk; returns the bytes to write downstream (possibly none). Throws StreamJsonError. */
  push(chunk: Buffer): Buffer[] {
    this.assertUsable();
    const out: Buffer[] = [];
    this.out = out;
    this.emitFrom = 0;
    try {
      this.scan(chunk);
      this.chunkEnd(chunk);
    } catch (err) {
      this.failure = err instanceof Error ? err : new Error(String(err));
      throw err;
    } finally {
      this.out = [];
    }
    this.offset += chunk.length;
    return out;
  }

  /** Signals the end of input; returns the remaining bytes. Throws if the document is incomplete. */
  end(): Buffer[] {
    this.assertUsable();
    this.ended = true;
    const out: Buffer[] = [];
    this.out = out;
    try {
      // A number at the very end has no delimiter to close it.
      if (this.state === S_NUMBER && isTerminalNumberState(this.numSub)) this.endValue(null, 0);
      if (this.state !== S_AFTER_VALUE || this.depth !== 0) {
        throw new StreamJsonError('unexpected_end', 'JSON input ended inside a value', this.offset);
      }
    } catch (err) {
      this.failure = err instanceof Error ? err : new Error(String(err));
      throw err;
    } finally {
      this.out = [];
    }
    return out;
  }

  private assertUsable(): void {
    if (this.failure) throw this.failure;
    if (this.ended) throw new Error('JsonCutter: input already ended');
  }

  private scan(buf: Buffer): void {
    const n = buf.length;
    let i = 0;
    while (i < n) {
      switch (this.state) {
        case S_STRING:
          i = this.scanString(buf, i, n);
          break;
        case S_NUMBER:
          i = this.scanNumber(buf, i, n);
          break;
        case S_LITERAL:
          i = this.scanLiteral(buf, i, n);
          break;
        default:
          i = this.scanStructure(buf, i, n);
      }
    }
  }

  /** Between tokens: skips whitespace and handles one structural byte or token start. */
  private scanStructure(buf: Buffer, i: number, n: number): number {
    let b = buf[i];
    while (WHITESPACE[b] === 1) {
      if (++i === n) return n;
      b = buf[i];
    }
    switch (this.state) {
      case S_VALUE:
        return this.beginValue(buf, i, b);
      case S_ARRAY_FIRST:
        return b === RBRACKET ? this.closeContainer(buf, i) : this.beginValue(buf, i, b);
      case S_OBJECT_FIRST:
        if (b === RBRACE) return this.closeContainer(buf, i);
        return this.beginKey(i, b);
      case S_KEY:
        return this.beginKey(i, b);
      case S_COLON:
        if (b !== COLON) throw this.unexpected(b, i, "':' after an object key");
        this.state = S_VALUE;
        return i + 1;
      default:
        return this.afterValue(buf, i, b);
    }
  }

  private beginValue(buf: Buffer, i: number, b: number): number {
    const d = this.depth;
    if (d > 0 && this.frameKind[d - 1] === ARRAY) this.frameIndex[d - 1]++;
    const childMask = this.capturing ? 0 : this.matchValue(buf, i);
    switch (b) {
      case LBRACE:
        this.openContainer(OBJECT, childMask, i);
        this.state = S_OBJECT_FIRST;
        return i + 1;
      case LBRACKET:
        this.openContainer(ARRAY, childMask, i);
        this.state = S_ARRAY_FIRST;
        return i + 1;
      case QUOTE:
        this.strIsKey = false;
        this.strEsc = 0;
        this.state = S_STRING;
        return i + 1;
      case MINUS:
        return this.beginNumber(i, N_MINUS);
      case ZERO:
        return this.beginNumber(i, N_ZERO);
      case 0x74: // t
        return this.beginLiteral(i, LITERAL_TRUE);
      case 0x66: // f
        return this.beginLiteral(i, LITERAL_FALSE);
      case 0x6e: // n
        return this.beginLiteral(i, LITERAL_NULL);
      default:
        if (b > ZERO && b <= NINE) return this.beginNumber(i, N_INT);
        throw this.unexpected(b, i, 'a JSON value');
    }
  }

  /** Decides whether the value starting at `i` is cut out; returns the rule mask for its children. */
  private matchValue(buf: Buffer, i: number): number {
    const d = this.depth;
    let alive = this.rules.allMask;
    if (d > 0) {
      const parent = this.frameMask[d - 1];
      if (parent === 0) return 0;
      const segment = this.frameKind[d - 1] === ARRAY ? this.frameIndex[d - 1] : this.frameKey[d - 1];
      alive = this.rules.advance(parent, d - 1, segment);
    }
    const ending = alive & this.rules.endingAt(d);
    if (ending === 0) return alive;
    this.startCapture(buf, i, lowestBitIndex(ending));
    return 0; // rules never nest: nothing inside a cut value is matched
  }

  private beginNumber(i: number, sub: number): number {
    this.numSub = sub;
    this.state = S_NUMBER;
    return i + 1;
  }

  private beginLiteral(i: number, literal: Buffer): number {
    this.literal = literal;
    this.literalPos = 1;
    this.state = S_LITERAL;
    return i + 1;
  }

  private beginKey(i: number, b: number): number {
    if (b !== QUOTE) throw this.unexpected(b, i, 'an object key');
    this.strIsKey = true;
    this.strEsc = 0;
    this.keyRecording = this.frameMask[this.depth - 1] !== 0;
    this.keyHasEscape = false;
    this.keyFrom = i + 1;
    this.keyLength = 0;
    this.state = S_STRING;
    return i + 1;
  }

  private openContainer(kind: number, mask: number, i: number): void {
    const d = this.depth;
    if (d >= this.maxDepth) throw this.fail('max_depth', `JSON nesting deeper than ${this.maxDepth}`, i);
    this.frameKind[d] = kind;
    this.frameMask[d] = mask;
    this.frameIndex[d] = -1;
    this.depth = d + 1;
  }

  /** The caller has checked that the closer at `i` matches the innermost open container. */
  private closeContainer(buf: Buffer, i: number): number {
    this.depth--;
    this.frameKey[this.depth] = '';
    return this.endValue(buf, i + 1);
  }

  private afterValue(buf: Buffer, i: number, b: number): number {
    const d = this.depth;
    if (d === 0) throw this.unexpected(b, i, 'end of input after the JSON value');
    const kind = this.frameKind[d - 1];
    if (b === COMMA) {
      this.state = kind === OBJECT ? S_KEY : S_VALUE;
      return i + 1;
    }
    if (b === RBRACE && kind === OBJECT) return this.closeContainer(buf, i);
    if (b === RBRACKET && kind === ARRAY) return this.closeContainer(buf, i);
    throw this.unexpected(b, i, kind === OBJECT ? "',' or '}'" : "',' or ']'");
  }

  /** A value just ended at `end` (exclusive); finishes a capture that started at this depth. */
  private endValue(buf: Buffer | null, end: number): number {
    if (this.capturing && this.depth === this.captureDepth) this.finishCapture(buf, end);
    this.state = S_AFTER_VALUE;
    return end;
  }

  private scanString(buf: Buffer, i: number, n: number): number {
    let esc = this.strEsc;
    while (i < n) {
      let b = buf[i];
      if (esc === 0) {
        // Hot loop: plain string bytes (including UTF-8 continuation bytes) need no decoding.
        while (b !== QUOTE && b !== BACKSLASH && b >= 0x20) {
          if (++i === n) {
            this.strEsc = 0;
            return n;
          }
          b = buf[i];
        }
        if (b === QUOTE) {
          this.strEsc = 0;
          return this.endString(buf, i);
        }
        if (b !== BACKSLASH) throw this.unexpected(b, i, 'a string character (control bytes must be escaped)');
        this.keyHasEscape = true;
        esc = 1;
      } else if (esc === 1) {
        if (b === LOWER_U) esc = 2;
        else if (SIMPLE_ESCAPE[b] === 1) esc = 0;
        else throw this.unexpected(b, i, 'a valid escape character');
      } else {
        if (HEX[b] !== 1) throw this.unexpected(b, i, 'a hex digit in a \\u escape');
        esc = esc === 5 ? 0 : esc + 1;
      }
      i++;
    }
    this.strEsc = esc;
    return n;
  }

  private endString(buf: Buffer, i: number): number {
    if (!this.strIsKey) return this.endValue(buf, i + 1);
    if (this.keyRecording) this.frameKey[this.depth - 1] = this.takeKey(buf, i);
    this.state = S_COLON;
    return i + 1;
  }

  private takeKey(buf: Buffer, end: number): string {
    const tail = buf.subarray(this.keyFrom, end);
    const length = this.keyLength + tail.length;
    if (length > this.maxKeyBytes) throw this.fail('key_too_large', 'object key too large', end);
    const raw = this.keyPieces.length === 0 ? tail : Buffer.concat([...this.keyPieces, tail], length);
    this.keyPieces = [];
    const text = raw.toString('utf8');
    // The scanner already validated the escapes, so JSON.parse only decodes them.
    return this.keyHasEscape ? (JSON.parse(`"${text}"`) as string) : text;
  }

  private scanNumber(buf: Buffer, i: number, n: number): number {
    let sub = this.numSub;
    for (; i < n; i++) {
      const b = buf[i];
      const digit = b >= ZERO && b <= NINE;
      if (digit && (sub === N_INT || sub === N_FRAC || sub === N_EXP_DIGITS)) continue;
      const next = nextNumberState(sub, b, digit);
      if (next >= 0) {
        sub = next;
        continue;
      }
      if (!isTerminalNumberState(sub)) throw this.unexpected(b, i, 'a digit');
      return this.endValue(buf, i); // the delimiter is examined by the next state
    }
    this.numSub = sub;
    return n;
  }

  private scanLiteral(buf: Buffer, i: number, n: number): number {
    const literal = this.literal;
    let pos = this.literalPos;
    while (i < n) {
      if (buf[i] !== literal[pos]) throw this.unexpected(buf[i], i, `the literal ${literal.toString()}`);
      i++;
      if (++pos === literal.length) return this.endValue(buf, i);
    }
    this.literalPos = pos;
    return n;
  }

  private startCapture(buf: Buffer, i: number, rule: number): void {
    if (i > this.emitFrom) this.out.push(buf.subarray(this.emitFrom, i));
    this.capturing = true;
    this.captureDepth = this.depth;
    this.captureFrom = i;
    this.captureRule = rule;
    this.capturePath = this.currentPath();
    this.captureLength = 0;
  }

  private finishCapture(buf: Buffer | null, end: number): void {
    const tail = buf === null ? EMPTY : buf.subarray(this.captureFrom, end);
    const length = this.captureLength + tail.length;
    if (length > this.maxValueBytes) throw this.valueTooLarge(end);
    const pieces = this.capturePieces;
    const raw = pieces.length === 0 ? tail : Buffer.concat([...pieces, tail], length);
    const path = this.capturePath;
    this.capturing = false;
    this.capturePieces = [];
    this.capturePath = [];
    const replacement = this.rules.rules[this.captureRule].onValue(raw, path);
    this.out.push(typeof replacement === 'string' ? Buffer.from(replacement, 'utf8') : replacement);
    this.emitFrom = end;
  }

  /** Carries the unfinished capture/key over to the next chunk, or copies the rest through. */
  private chunkEnd(buf: Buffer): void {
    const n = buf.length;
    if (this.capturing) {
      // Copy a partial first piece so the passthrough prefix of its chunk is not retained.
      const piece = this.captureFrom === 0 ? buf : Buffer.from(buf.subarray(this.captureFrom));
      this.captureLength += piece.length;
      if (this.captureLength > this.maxValueBytes) throw this.valueTooLarge(n);
      this.capturePieces.push(piece);
      this.captureFrom = 0;
    } else if (this.emitFrom < n) {
      this.out.push(this.emitFrom === 0 ? buf : buf.subarray(this.emitFrom));
    }
    if (this.state === S_STRING && this.strIsKey && this.keyRecording) {
      const piece = Buffer.from(buf.subarray(this.keyFrom));
      this.keyLength += piece.length;
      if (this.keyLength > this.maxKeyBytes) throw this.fail('key_too_large', 'object key too large', n);
      this.keyPieces.push(piece);
      this.keyFrom = 0;
    }
  }

  private currentPath(): JsonPath {
    const path: (string | number)[] = [];
    for (let d = 0; d < this.depth; d++) {
      path.push(this.frameKind[d] === ARRAY ? this.frameIndex[d] : this.frameKey[d]);
    }
    return path;
  }

  private valueTooLarge(i: number): StreamJsonError {
    return this.fail('value_too_large', `matched value larger than ${this.maxValueBytes} bytes`, i);
  }

  private unexpected(b: number, i: number, expected: string): StreamJsonError {
    const shown = b >= 0x20 && b < 0x7f ? `'${String.fromCharCode(b)}'` : `0x${b.toString(16).padStart(2, '0')}`;
    return this.fail('invalid_json', `invalid JSON: unexpected byte ${shown}, expected ${expected}`, i);
  }

  private fail(reason: StreamJsonErrorReason, message: string, i: number): StreamJsonError {
    return new StreamJsonError(reason, message, this.offset + i);
  }
}

function isTerminalNumberState(sub: number): boolean {
  return sub === N_ZERO || sub === N_INT || sub === N_FRAC || sub === N_EXP_DIGITS;
}

/** The number sub-state after byte `b`, or -1 if `b` cannot continue the number. */
function nextNumberState(sub: number, b: number, digit: boolean): number {
  switch (sub) {
    case N_MINUS:
      return b === ZERO ? N_ZERO : digit ? N_INT : -1;
    case N_ZERO:
    case N_INT:
      return b === DOT ? N_DOT : b === LOWER_E || b === UPPER_E ? N_EXP : -1;
    case N_DOT:
      return digit ? N_FRAC : -1;
    case N_FRAC:
      return b === LOWER_E || b === UPPER_E ? N_EXP : -1;
    case N_EXP:
      return b === PLUS || b === MINUS ? N_EXP_SIGN : digit ? N_EXP_DIGITS : -1;
    case N_EXP_SIGN:
      return digit ? N_EXP_DIGITS : -1;
    default:
      return -1; // N_EXP_DIGITS: only digits, handled by the caller
  }
}
