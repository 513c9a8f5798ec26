/**
 * The response formatter for the client's `filter_path` and `pretty`. OpenSearch applies both to
 * what it writes; through the proxy they must be applied to what the *proxy* writes — after hits
 * are mapped and cursor ids sealed — since the upstream was asked for more (the hit identity the
 * mapping needs). A streaming tokenizer feeds a writer that keeps what the filter selects and
 * writes it compact or as OpenSearch's pretty output (Jackson's DefaultPrettyPrinter: two-space
 * indents, `"key" : value`, `{ }`/`[ ]` when empty, a final newline). Memory: the container stack
 * (with the keys of containers not written yet) and one scalar token at a time.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { descend, ended, type FilterPath, type Patterns } from './filter-path.ts';
import { StreamJsonError } from './stream-json-error.ts';

export interface JsonFormatOptions {
  filter?: FilterPath;
  pretty?: boolean;
  /** A single scalar (a long string) larger than this fails with `value_too_large`. */
  maxValueBytes?: number;
}

/** A container on the stack: how its members are filtered and whether it has been written yet. */
interface Frame {
  array: boolean;
  /** Exclusions still alive below it. */
  ex: Patterns;
  /** Inclusions still alive below it; undefined = all below is included (then it is written at once). */
  inc: Patterns | undefined;
  /** Dropped whole: excluded, or no inclusion can reach inside. */
  skip: boolean;
  /** Its opening bracket (and key) has been written. */
  open: boolean;
  members: number;
  /** The raw bytes of its key in the parent object (undefined in an array or at the root). */
  rawKey: Buffer | undefined;
}

const enum T {
  Value,
  AfterValue,
  Key,
  Colon,
  InString,
  InKey,
  InScalar,
}

const DEFAULT_MAX = 100 * 1024 * 1024;

function isWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function isDelimiter(b: number): boolean {
  return b === 0x2c || b === 0x7d || b === 0x5d || b === 0x3a || isWhitespace(b);
}

export class JsonFormatter {
  private readonly filter: FilterPath | undefined;
  private readonly pretty: boolean;
  private readonly maxValueBytes: number;
  private readonly stack: Frame[] = [];
  private state = T.Value;
  private out: Buffer[] = [];
  // The current token: pieces carried over from earlier chunks, and where it starts in this one.
  private pieces: Buffer[] = [];
  private pieceBytes = 0;
  private tokenStart = 0;
  private escaped = false;
  private hasEscape = false;
  private pendingKey: { key: string; raw: Buffer } | undefined;
  private wroteRoot = false;
  private offset = 0;

  constructor(opts: JsonFormatOptions) {
    this.filter = opts.filter;
    this.pretty = opts.pretty === true;
    this.maxValueBytes = opts.maxValueBytes ?? DEFAULT_MAX;
  }

  /** Formats a whole buffered body. */
  static format(body: Buffer, opts: JsonFormatOptions): Buffer {
    const f = new JsonFormatter(opts);
    const out = [...f.push(body), ...f.end()];
    return Buffer.concat(out);
  }

  push(chunk: Buffer): Buffer[] {
    this.out = [];
    let i = 0;
    while (i < chunk.length) i = this.step(chunk, i);
    if (this.inToken()) this.carry(chunk.subarray(this.tokenStart));
    this.tokenStart = 0;
    this.offset += chunk.length;
    return this.out;
  }

  end(): Buffer[] {
    this.out = [];
    if (this.state === T.InScalar) this.finishScalar(this.take(undefined, 0));
    if (this.stack.length > 0 || this.state !== T.AfterValue) throw new StreamJsonError('unexpected_end', 'JSON input ended inside a value', this.offset);
    if (!this.wroteRoot) this.emit(this.pretty ? '{ }' : '{}');
    if (this.pretty) this.emit('\n');
    return this.out;
  }

  private inToken(): boolean {
    return this.state === T.InString || this.state === T.InKey || this.state === T.InScalar;
  }

  private step(buf: Buffer, i: number): number {
    switch (this.state) {
      case T.InString:
      case T.InKey:
        return this.scanString(buf, i);
      case T.InScalar: {
        let j = i;
        while (j < buf.length && !isDelimiter(buf[j])) j++;
        if (j < buf.length) this.finishScalar(this.take(buf, j));
        return j;
      }
      default:
        if (isWhitespace(buf[i])) return i + 1;
        return this.structural(buf, i);
    }
  }

  private scanString(buf: Buffer, i: number): number {
    for (let j = i; j < buf.length; j++) {
      const c = buf[j];
      if (this.escaped) this.escaped = false;
      else if (c === 0x5c) this.escaped = this.hasEscape = true;
      else if (c === 0x22) {
        const raw = this.take(buf, j + 1);
        if (this.state === T.InKey) {
          const key = this.hasEscape ? (JSON.parse(raw.toString('utf8')) as string) : raw.subarray(1, raw.length - 1).toString('utf8');
          this.pendingKey = { key, raw };
          this.state = T.Colon;
        } else this.finishScalar(raw);
        return j + 1;
      }
    }
    return buf.length;
  }

  private structural(buf: Buffer, i: number): number {
    const b = buf[i];
    const top = this.stack[this.stack.length - 1];
    switch (this.state) {
      case T.Value:
        if (b === 0x7b || b === 0x5b) this.openContainer(b === 0x5b);
        else if (b === 0x5d && top?.array === true) this.closeContainer();
        else {
          this.startToken(i, b === 0x22 ? T.InString : T.InScalar);
          return b === 0x22 ? i + 1 : i;
        }
        return i + 1;
      case T.Key:
        if (b === 0x7d) this.closeContainer();
        else if (b === 0x22) this.startToken(i, T.InKey);
        else throw this.bad(b, i);
        return i + 1;
      case T.Colon:
        if (b !== 0x3a) throw this.bad(b, i);
        this.state = T.Value;
        return i + 1;
      default:
        if (top === undefined) throw this.bad(b, i);
        if (b === 0x2c) this.state = top.array ? T.Value : T.Key;
        else if ((b === 0x7d && !top.array) || (b === 0x5d && top.array)) this.closeContainer();
        else throw this.bad(b, i);
        return i + 1;
    }
  }

  private startToken(i: number, state: T): void {
    this.state = state;
    this.tokenStart = i;
    this.escaped = false;
    this.hasEscape = false;
  }

  private carry(piece: Buffer): void {
    this.pieceBytes += piece.length;
    if (this.pieceBytes > this.maxValueBytes) throw new StreamJsonError('value_too_large', `a value larger than ${this.maxValueBytes} bytes`, this.offset);
    this.pieces.push(Buffer.from(piece)); // the chunk may be reused by its producer
  }

  /** The whole current token, ending at `end` in `buf` (none: it ended with the input). */
  private take(buf: Buffer | undefined, end: number): Buffer {
    const last = buf === undefined ? Buffer.alloc(0) : buf.subarray(this.tokenStart, end);
    const token = this.pieces.length === 0 ? last : Buffer.concat([...this.pieces, last]);
    this.pieces = [];
    this.pieceBytes = 0;
    if (token.length > this.maxValueBytes) throw new StreamJsonError('value_too_large', `a value larger than ${this.maxValueBytes} bytes`, this.offset);
    return token;
  }

  /** How the value about to start is filtered, from its container and key. */
  private childState(): { ex: Patterns; inc: Patterns | undefined; skip: boolean } {
    const top = this.stack[this.stack.length - 1];
    if (this.filter === undefined) return { ex: [], inc: undefined, skip: false };
    if (top === undefined) {
      const inc = this.filter.includes.length === 0 ? undefined : this.filter.includes;
      return { ex: this.filter.excludes, inc, skip: ended(this.filter.excludes) };
    }
    if (top.skip) return { ex: [], inc: undefined, skip: true };
    if (top.array) return { ex: top.ex, inc: top.inc, skip: false };
    const key = this.pendingKey?.key ?? '';
    const ex = top.ex.length === 0 ? top.ex : descend(top.ex, key);
    let inc = top.inc === undefined ? undefined : descend(top.inc, key);
    if (inc !== undefined && ended(inc)) inc = undefined;
    return { ex, inc, skip: ended(ex) || (inc !== undefined && inc.length === 0) };
  }

  private finishScalar(raw: Buffer): void {
    const { skip, inc } = this.childState();
    // A scalar an inclusion has not fully matched is not selected.
    if (!skip && inc === undefined) {
      this.openAncestors();
      this.memberPrefix(this.stack.length - 1, this.pendingKey?.raw);
      this.out.push(raw);
      if (this.stack.length === 0) this.wroteRoot = true;
    }
    this.pendingKey = undefined;
    this.state = T.AfterValue;
  }

  private openContainer(array: boolean): void {
    const { ex, inc, skip } = this.childState();
    this.stack.push({ array, ex, inc, skip, open: false, members: 0, rawKey: this.pendingKey?.raw });
    this.pendingKey = undefined;
    // Written at once unless an inclusion still has to find something inside it.
    if (!skip && inc === undefined) this.openAncestors();
    this.state = array ? T.Value : T.Key;
  }

  private closeContainer(): void {
    const frame = this.stack.pop() as Frame;
    if (frame.open) {
      const closer = frame.array ? ']' : '}';
      if (!this.pretty) this.emit(closer);
      else this.emit(frame.members === 0 ? ` ${closer}` : `\n${'  '.repeat(this.stack.length)}${closer}`);
      if (this.stack.length === 0) this.wroteRoot = true;
    }
    this.state = T.AfterValue;
  }

  /** Writes the opening of every container on the stack not written yet: a member inside is about to be. */
  private openAncestors(): void {
    for (let d = 0; d < this.stack.length; d++) {
      const f = this.stack[d];
      if (f.open) continue;
      this.memberPrefix(d - 1, f.rawKey);
      this.emit(f.array ? '[' : '{');
      f.open = true;
    }
  }

  /** Separator, indentation and key before a member of the container at `parent` (-1: the root value). */
  private memberPrefix(parent: number, rawKey: Buffer | undefined): void {
    const p = parent < 0 ? undefined : this.stack[parent];
    if (p === undefined) return;
    let text = p.members > 0 ? ',' : '';
    if (this.pretty) text += '\n' + '  '.repeat(parent + 1);
    p.members++;
    if (text !== '') this.emit(text);
    if (!p.array && rawKey !== undefined) {
      this.out.push(rawKey);
      this.emit(this.pretty ? ' : ' : ':');
    }
  }

  private emit(text: string): void {
    this.out.push(Buffer.from(text, 'utf8'));
  }

  private bad(b: number, i: number): StreamJsonError {
    return new StreamJsonError('invalid_json', `invalid JSON: unexpected byte 0x${b.toString(16)}`, this.offset + i);
  }
}

/** A Node Transform around JsonFormatter (backpressure is the stream's). */
export class JsonFormatTransform extends Transform {
  private readonly formatter: JsonFormatter;

  constructor(opts: JsonFormatOptions) {
    super();
    this.formatter = new JsonFormatter(opts);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      const out = this.formatter.push(chunk);
      if (out.length > 0) this.push(out.length === 1 ? out[0] : Buffer.concat(out));
      callback();
    } catch (e) {
      callback(e as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.push(Buffer.concat(this.formatter.end()));
      callback();
    } catch (e) {
      callback(e as Error);
    }
  }
}
