/**
 * The bytes of one key or value that may run across input chunks: a start index in the current
 * chunk plus the pieces carried over from earlier chunks, capped in size.
 */
export class ChunkSpan {
  private from = 0;
  private pieces: Buffer[] = [];
  private length = 0;

  /** `tooLarge(i)` builds the error thrown when the span passes `maxBytes` at index `i` of the current chunk. */
  constructor(
    private readonly maxBytes: number,
    private readonly tooLarge: (i: number) => Error,
  ) {}

  /** The span starts at index `from` of the current chunk. */
  start(from: number): void {
    this.from = from;
    this.pieces = [];
    this.length = 0;
  }

  /** At the end of a chunk: keep the span's part of it. A partial piece is copied so the rest of its chunk is not retained. */
  carry(buf: Buffer): void {
    const piece = this.from === 0 ? buf : Buffer.from(buf.subarray(this.from));
    this.length += piece.length;
    if (this.length > this.maxBytes) throw this.tooLarge(buf.length);
    this.pieces.push(piece);
    this.from = 0;
  }

  /** The whole span, ending at `end` (exclusive) of `buf`, or at the last carried byte when `buf` is null. */
  take(buf: Buffer | null, end: number): Buffer {
    const tail = buf === null ? EMPTY : buf.subarray(this.from, end);
    const length = this.length + tail.length;
    if (length > this.maxBytes) throw this.tooLarge(end);
    const pieces = this.pieces;
    this.pieces = [];
    this.length = 0;
    return pieces.length === 0 ? tail : Buffer.concat([...pieces, tail], length);
  }
}

const EMPTY = Buffer.alloc(0);
