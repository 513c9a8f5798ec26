/**
 * Splits an NDJSON request body (e.g. _bulk, _msearch) into lines as it arrives, holding at most
 * one partial line plus the current chunk. The source is never closed or destroyed here: after a
 * LineTooLongError the caller still owns it and can drain it (e.g. iterate it to the end) before
 * answering.
 */

export interface NdjsonLinesOptions {
  /** A line longer than this (excluding its '\n' / '\r\n') throws LineTooLongError. */
  maxLineBytes: number;
  /**
   * Instead of throwing LineTooLongError, yield `{ line: <empty>, lineNo, tooLong: true }` for an
   * over-long line (its bytes are discarded as they arrive) and go on with the next line.
   */
  skipLongLines?: boolean;
}

export interface NdjsonLine {
  /** The line without its terminator; may be a view into a source chunk. */
  line: Buffer;
  /** 1-based physical line number (blank lines count). */
  lineNo: number;
  /** Set (with an empty `line`) for a line over the cap when `skipLongLines` is on. */
  tooLong?: true;
}

export class LineTooLongError extends Error {
  override readonly name = 'LineTooLongError';
  readonly lineNo: number;
  readonly maxLineBytes: number;

  constructor(lineNo: number, maxLineBytes: number) {
    super(`line ${lineNo} is longer than ${maxLineBytes} bytes`);
    this.lineNo = lineNo;
    this.maxLineBytes = maxLineBytes;
  }
}

const LF = 0x0a;
const CR = 0x0d;

export async function* ndjsonLines(src: AsyncIterable<Buffer>, opts: NdjsonLinesOptions): AsyncGenerator<NdjsonLine> {
  for await (const lines of ndjsonLineBatches(src, opts)) yield* lines;
}

/**
 * ndjsonLines, a source chunk at a time: the lines each chunk completes, as one array (empty
 * chunks' none skipped), so that a consumer handles a chunk's lines without a promise per line.
 * With `skipLongLines` off, the lines before an over-long one are yielded before it throws.
 */
export async function* ndjsonLineBatches(
  src: AsyncIterable<Buffer>,
  { maxLineBytes, skipLongLines = false }: NdjsonLinesOptions,
): AsyncGenerator<NdjsonLine[]> {
  const partial = new PartialLine(maxLineBytes, skipLongLines);
  let lineNo = 1;
  // Iterated by hand so that a throw here does not call return() (which destroys a Readable).
  const iterator = src[Symbol.asyncIterator]();
  while (true) {
    const next = await iterator.next();
    if (next.done) break;
    const chunk = next.value;
    const lines: NdjsonLine[] = [];
    let start = 0;
    try {
      for (let nl = chunk.indexOf(LF); nl !== -1; nl = chunk.indexOf(LF, start)) {
        const line = partial.complete(chunk.subarray(start, nl), lineNo);
        if (line === TOO_LONG) lines.push({ line: Buffer.alloc(0), lineNo, tooLong: true });
        else if (line.length > 0) lines.push({ line, lineNo });
        lineNo++;
        start = nl + 1;
      }
      if (start < chunk.length) partial.append(chunk.subarray(start), lineNo);
    } catch (e) {
      if (lines.length > 0) yield lines;
      throw e;
    }
    if (lines.length > 0) yield lines;
  }
  const last = partial.complete(Buffer.alloc(0), lineNo);
  if (last === TOO_LONG) yield [{ line: Buffer.alloc(0), lineNo, tooLong: true }];
  else if (last.length > 0) yield [{ line: last, lineNo }];
}

/** The bytes of a line seen so far, kept as copies so source chunks are not retained. */
const TOO_LONG = Buffer.alloc(0);

class PartialLine {
  private pieces: Buffer[] = [];
  private bytes = 0;
  /** skipLongLines: the current line is over the cap; its bytes are dropped until its end. */
  private discarding = false;

  constructor(
    private readonly maxLineBytes: number,
    private readonly skipLongLines = false,
  ) {}

  append(piece: Buffer, lineNo: number): void {
    if (this.discarding) return;
    this.bytes += piece.length;
    // +1: the piece may end with the '\r' of a '\r\n' split across chunks.
    if (this.bytes > this.maxLineBytes + 1) {
      if (!this.skipLongLines) throw new LineTooLongError(lineNo, this.maxLineBytes);
      this.discarding = true;
      this.pieces = [];
      this.bytes = 0;
      return;
    }
    this.pieces.push(Buffer.from(piece));
  }

  /** Joins what was kept with `tail`, strips a trailing '\r', checks the cap, and resets. */
  complete(tail: Buffer, lineNo: number): Buffer {
    if (this.discarding) {
      this.discarding = false;
      return TOO_LONG;
    }
    let line = tail;
    if (this.pieces.length > 0) {
      line = Buffer.concat([...this.pieces, tail], this.bytes + tail.length);
      this.pieces = [];
      this.bytes = 0;
    }
    if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
    if (line.length > this.maxLineBytes) {
      if (this.skipLongLines) return TOO_LONG;
      throw new LineTooLongError(lineNo, this.maxLineBytes);
    }
    return isBlank(line) ? Buffer.alloc(0) : line;
  }
}

/** Whitespace-only lines are skipped like empty ones (OpenSearch does the same). */
function isBlank(line: Buffer): boolean {
  for (let i = 0; i < line.length; i++) {
    const b = line[i];
    if (b !== 0x20 && b !== 0x09 && b !== CR) return false;
  }
  return true;
}
