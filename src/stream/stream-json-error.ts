/** Why the streaming scanner gave up. Callers map these to 502/413-style answers. */
export type StreamJsonErrorReason =
  | 'invalid_json' // a byte that JSON does not allow at that position
  | 'unexpected_end' // the input ended inside a value
  | 'value_too_large' // a matched value exceeded maxValueBytes
  | 'key_too_large' // an object key on a watched path exceeded maxKeyBytes
  | 'max_depth' // nesting deeper than maxDepth
  | 'unexpected_shape'; // valid JSON, but not the shape a rule expects (e.g. a hit that is not an object)

/** A typed failure of the streaming JSON layer; `offset` is the absolute byte offset, or -1 if unknown. */
export class StreamJsonError extends Error {
  override readonly name = 'StreamJsonError';
  readonly reason: StreamJsonErrorReason;
  readonly offset: number;

  constructor(reason: StreamJsonErrorReason, message: string, offset = -1) {
    super(offset >= 0 ? `${message} (at byte ${offset})` : message);
    this.reason = reason;
    this.offset = offset;
  }
}
