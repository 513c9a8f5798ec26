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
import { ChunkSpan } from './chunk-span.ts';
import { CutterFrames } from './cutter-frames.ts';
import {
  HEX, LITERAL_FALSE, LITERAL_NULL, LITERAL_TRUE, N_EXP_DIGITS, N_FRAC, N_INT, N_MINUS, N_ZERO, SIMPLE_ESCAPE,
  WHITESPACE, describeByte, digitRun, isTerminalNumberState, nextNumberState, plainStringRun,
} from '../core/json-bytes.ts';

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

// const enums: esbuild/tsc inline them as literals, which keeps the hot loop free of binding loads.
const enum Kind {
  Object = 1,
  Array = 2,
}

/** Scanner states. The first six sit between tokens; the rest are inside one. */
const enum S {
  Value, // a value: at the root, after ':' or after ',' in an array
  ArrayFirst, // a value or ']'
  ObjectFirst, // a key or '}'
  Key, // a key (after ',' in an object)
  Colon,
  AfterValue, // ',' or the enclosing closer; at the root, only whitespace
  String, // a string value
  KeyString, // an object key
  Number,
  Literal,
}

const enum B {
  Quote = 0x22,
  Backslash = 0x5c,
  Comma = 0x2c,
  Colon = 0x3a,
  LBrace = 0x7b,
  RBrace = 0x7d,
  LBracket = 0x5b,
  RBracket = 0x5d,
  Minus = 0x2d,
  Zero = 0x30,
  Nine = 0x39,
  LowerU = 0x75,
  Space = 0x20,
}

/** `captureDepth` when nothing is being captured (no real depth is negative). */
const NOT_CAPTURING = -1;

export class JsonCutter {
  private readonly rules: RuleSet;
  private readonly maxDepth: number;

  private state = S.Value;
  /** Token sub-state: string escape progress (0 plain, 1 after '\', 2..5 in \uXXXX), number sub-state, or literal position. */
  private sub = 0;
  private literal: Buffer = LITERAL_NULL;
  private failure: Error | null = null;
  private ended = false;
  /** Absolute offset of the current chunk's first byte, for error messages. */
  private offset = 0;
  private out: Buffer[] = [];
  /** Start (in the current chunk) of bytes not yet copied to `out`. */
  private emitFrom = 0;

  // Container stack: kind, alive-rule mask, current array index, current key (watched frames only).
  private depth = 0;
  private readonly frames: CutterFrames;

  // Key capture, only on frames some rule can still descend through.
  private keyRecording = false;
  private keyHasEscape = false;
  private readonly key: ChunkSpan;

  // Value capture.
  private captureDepth = NOT_CAPTURING;
  private captureRule = 0;
  private capturePath: JsonPath = [];
  private readonly captured: ChunkSpan;

  constructor(rules: readonly CutRule[], options: JsonCutterOptions = {}) {
    this.rules = new RuleSet(rules);
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.frames = new CutterFrames(this.maxDepth);
    this.key = new ChunkSpan(options.maxKeyBytes ?? DEFAULT_MAX_KEY_BYTES, (i) =>
      this.fail('key_too_large', 'object key too large', i),
    );
    const maxValueBytes = options.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES;
    this.captured = new ChunkSpan(maxValueBytes, (i) =>
      this.fail('value_too_large', `matched value larger than ${maxValueBytes} bytes`, i),
    );
  }

  /** Scans one chunk; returns the bytes to write downstream (possibly none). Throws StreamJsonError. */
  push(chunk: Buffer): Buffer[] {
    return this.guarded(() => {
      this.emitFrom = 0;
      this.scan(chunk);
      this.chunkEnd(chunk);
      this.offset += chunk.length;
    });
  }

  /** Signals the end of input; returns the remaining bytes. Throws if the document is incomplete. */
  end(): Buffer[] {
    return this.guarded(() => {
      this.ended = true;
      // A number at the very end has no delimiter to close it.
      if (this.state === S.Number && isTerminalNumberState(this.sub)) {
        this.state = S.AfterValue;
        if (this.depth === this.captureDepth) this.finishCapture(null, 0);
      }
      if (this.state !== S.AfterValue || this.depth !== 0) {
        throw new StreamJsonError('unexpected_end', 'JSON input ended inside a value', this.offset);
      }
    });
  }

  /** Runs one step with a fresh output list; any failure is sticky, since the stream position is lost. */
  private guarded(step: () => void): Buffer[] {
    if (this.failure) throw this.failure;
    if (this.ended) throw new Error('JsonCutter: input already ended');
    const out: Buffer[] = [];
    this.out = out;
    try {
      step();
    } catch (err) {
      this.failure = err instanceof Error ? err : new Error(String(err));
      throw err;
    } finally {
      this.out = [];
    }
    return out;
  }

  /**
   * The hot loop: one pass over the chunk with the scanner state in locals (written back at the
   * end). Watched paths, keys on watched frames and captures are rare and call out to methods.
   */
  private scan(buf: Buffer): void {
    const n = buf.length;
    const frames = this.frames;
    let kinds = frames.kind;
    let masks = frames.mask;
    let indexes = frames.index;
    let state = this.state;
    let sub = this.sub;
    let depth = this.depth;
    let captureDepth = this.captureDepth;
    let i = 0;
    while (i < n) {
      const b = buf[i];
      switch (state) {
        case S.String:
        case S.KeyString: {
          if (sub === 0) {
            i = plainStringRun(buf, i, n);
            if (i === n) break;
            const c = buf[i];
            if (c === B.Backslash) {
              this.keyHasEscape = true;
              sub = 1;
            } else if (c !== B.Quote) {
              throw this.unexpected(c, i, 'a string character (control bytes must be escaped)');
            } else if (state === S.KeyString) {
              if (this.keyRecording) frames.key[depth - 1] = this.takeKey(buf, i);
              state = S.Colon;
            } else {
              state = S.AfterValue;
              if (depth === captureDepth) captureDepth = this.finishCapture(buf, i + 1);
            }
          } else if (sub === 1) {
            if (b === B.LowerU) sub = 2;
            else if (SIMPLE_ESCAPE[b] === 1) sub = 0;
            else throw this.unexpected(b, i, 'a valid escape character');
          } else {
            if (HEX[b] !== 1) throw this.unexpected(b, i, 'a hex digit in a \\u escape');
            sub = sub === 5 ? 0 : sub + 1;
          }
          i++;
          break;
        }
        case S.Number: {
          if (sub === N_INT || sub === N_FRAC || sub === N_EXP_DIGITS) {
            i = digitRun(buf, i, n);
            if (i === n) break;
          }
          const next = nextNumberState(sub, buf[i]);
          if (next >= 0) {
            sub = next;
            i++;
            break;
          }
          if (!isTerminalNumberState(sub)) throw this.unexpected(buf[i], i, 'a digit');
          // The delimiter is not consumed: S.AfterValue examines it next.
          state = S.AfterValue;
          if (depth === captureDepth) captureDepth = this.finishCapture(buf, i);
          break;
        }
        case S.Literal: {
          const literal = this.literal;
          if (b !== literal[sub]) throw this.unexpected(b, i, `the literal ${literal.toString()}`);
          i++;
          if (++sub === literal.length) {
            state = S.AfterValue;
            if (depth === captureDepth) captureDepth = this.finishCapture(buf, i);
          }
          break;
        }
        case S.AfterValue: {
          if (b <= B.Space && WHITESPACE[b] === 1) {
            i++;
            break;
          }
          if (depth === 0) throw this.unexpected(b, i, 'end of input after the JSON value');
          const kind = kinds[depth - 1];
          if (b === B.Comma) {
            state = kind === Kind.Object ? S.Key : S.Value;
          } else if ((b === B.RBrace && kind === Kind.Object) || (b === B.RBracket && kind === Kind.Array)) {
            depth--;
            if (depth === captureDepth) captureDepth = this.finishCapture(buf, i + 1);
          } else {
            throw this.unexpected(b, i, kind === Kind.Object ? "',' or '}'" : "',' or ']'");
          }
          i++;
          break;
        }
        case S.Value: {
          if (b <= B.Space && WHITESPACE[b] === 1) {
            i++;
            break;
          }
          let childMask = 0;
          if (depth > 0 && kinds[depth - 1] === Kind.Array) indexes[depth - 1]++;
          if (depth === 0 || masks[depth - 1] !== 0) {
            childMask = this.matchValue(buf, i, depth);
            captureDepth = this.captureDepth;
          }
          if (b === B.LBrace || b === B.LBracket) {
            if (depth === this.maxDepth) throw this.fail('max_depth', `JSON nesting deeper than ${this.maxDepth}`, i);
            if (depth === kinds.length) {
              frames.grow();
              ({ kind: kinds, mask: masks, index: indexes } = frames);
            }
            kinds[depth] = b === B.LBrace ? Kind.Object : Kind.Array;
            masks[depth] = childMask;
            indexes[depth] = -1;
            depth++;
            state = b === B.LBrace ? S.ObjectFirst : S.ArrayFirst;
          } else if (b === B.Quote) {
            state = S.String;
            sub = 0;
          } else if (b === B.Minus || (b >= B.Zero && b <= B.Nine)) {
            state = S.Number;
            sub = b === B.Minus ? N_MINUS : b === B.Zero ? N_ZERO : N_INT;
          } else {
            this.literal = literalStartingWith(b) ?? this.throwUnexpected(b, i, 'a JSON value');
            state = S.Literal;
            sub = 1;
          }
          i++;
          break;
        }
        case S.ArrayFirst:
        case S.ObjectFirst:
          if (b <= B.Space && WHITESPACE[b] === 1) {
            i++;
            break;
          }
          // Re-dispatch the same byte: an immediate closer is handled like one after a value.
          if (b === B.RBracket || b === B.RBrace) state = S.AfterValue;
          else state = state === S.ArrayFirst ? S.Value : S.Key;
          break;
        case S.Key:
          if (b <= B.Space && WHITESPACE[b] === 1) {
            i++;
            break;
          }
          if (b !== B.Quote) throw this.unexpected(b, i, 'an object key');
          if (masks[depth - 1] !== 0) this.beginKey(i + 1);
          else this.keyRecording = false;
          state = S.KeyString;
          sub = 0;
          i++;
          break;
        default: // S.Colon
          if (b <= B.Space && WHITESPACE[b] === 1) {
            i++;
            break;
          }
          if (b !== B.Colon) throw this.unexpected(b, i, "':' after an object key");
          state = S.Value;
          i++;
      }
    }
    this.state = state;
    this.sub = sub;
    this.depth = depth;
  }

  /** Decides whether the value starting at `i` is cut out; returns the rule mask for its children. */
  private matchValue(buf: Buffer, i: number, depth: number): number {
    let alive = this.rules.allMask;
    if (depth > 0) {
      const d = depth - 1;
      const f = this.frames;
      const segment = f.kind[d] === Kind.Array ? f.index[d] : f.key[d];
      alive = this.rules.advance(f.mask[d], d, segment);
    }
    const ending = alive & this.rules.endingAt(depth);
    if (ending === 0) return alive;
    this.startCapture(buf, i, lowestBitIndex(ending), depth);
    return 0; // rules never nest: nothing inside a cut value is matched
  }

  /** Starts recording a key on a watched frame (its bytes begin at `from`). */
  private beginKey(from: number): void {
    this.keyRecording = true;
    this.keyHasEscape = false;
    this.key.start(from);
  }

  private takeKey(buf: Buffer, end: number): string {
    const text = this.key.take(buf, end).toString('utf8');
    // The scanner already validated the escapes, so JSON.parse only decodes them.
    return this.keyHasEscape ? (JSON.parse(`"${text}"`) as string) : text;
  }

  private startCapture(buf: Buffer, i: number, rule: number, depth: number): void {
    if (i > this.emitFrom) this.out.push(buf.subarray(this.emitFrom, i));
    this.captureDepth = depth;
    this.captureRule = rule;
    this.capturePath = this.currentPath(depth);
    this.captured.start(i);
  }

  /** Ends the capture at `end` (exclusive) and writes the rule's replacement; returns NOT_CAPTURING. */
  private finishCapture(buf: Buffer | null, end: number): number {
    const raw = this.captured.take(buf, end);
    const path = this.capturePath;
    this.captureDepth = NOT_CAPTURING;
    this.capturePath = [];
    const replacement = this.rules.rules[this.captureRule].onValue(raw, path);
    this.out.push(typeof replacement === 'string' ? Buffer.from(replacement, 'utf8') : replacement);
    this.emitFrom = end;
    return NOT_CAPTURING;
  }

  /** Carries an unfinished capture/key over to the next chunk, or copies the rest of the chunk through. */
  private chunkEnd(buf: Buffer): void {
    if (this.captureDepth !== NOT_CAPTURING) this.captured.carry(buf);
    else if (this.emitFrom < buf.length) this.out.push(this.emitFrom === 0 ? buf : buf.subarray(this.emitFrom));
    if (this.state === S.KeyString && this.keyRecording) this.key.carry(buf);
  }

  private currentPath(depth: number): JsonPath {
    const path: (string | number)[] = [];
    const f = this.frames;
    for (let d = 0; d < depth; d++) path.push(f.kind[d] === Kind.Array ? f.index[d] : f.key[d]);
    return path;
  }

  private throwUnexpected(b: number, i: number, expected: string): never {
    throw this.unexpected(b, i, expected);
  }

  private unexpected(b: number, i: number, expected: string): StreamJsonError {
    return this.fail('invalid_json', `invalid JSON: unexpected byte ${describeByte(b)}, expected ${expected}`, i);
  }

  private fail(reason: StreamJsonErrorReason, message: string, i: number): StreamJsonError {
    return new StreamJsonError(reason, message, this.offset + i);
  }
}

function literalStartingWith(b: number): Buffer | null {
  if (b === 0x74) return LITERAL_TRUE;
  if (b === 0x66) return LITERAL_FALSE;
  return b === 0x6e ? LITERAL_NULL : null;
}
