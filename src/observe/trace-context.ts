import { randomBytes } from 'node:crypto';

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): the incoming `traceparent` a request
 * continues. A header that is not well formed is ignored, never answered with an error: the
 * request simply starts a trace of its own (the spec's "restart the trace").
 */
export interface TraceParent {
  /** 32 lowercase hex digits, not all zero. */
  traceId: string;
  /** The caller's span: 16 lowercase hex digits, not all zero. */
  spanId: string;
  /** The caller's trace flags (bit 0: sampled). */
  flags: number;
}

// Lowercase only (the spec forbids uppercase); a later version may append fields after a '-'.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** The caller's trace context, or undefined when the header is absent or malformed. */
export function parseTraceparent(header: string | undefined): TraceParent | undefined {
  if (header === undefined || header.length < 55 || header.length > 512) return undefined;
  const m = TRACEPARENT.exec(header.trim());
  if (m === null) return undefined;
  const [, version, traceId, spanId, flags, rest] = m;
  // Version ff is invalid; version 00 has exactly four fields (a future one may have more).
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return { traceId, spanId, flags: parseInt(flags, 16) };
}

/** Whether the caller sampled its span (it then expects ours to be recorded too). */
export const isSampled = (parent: TraceParent): boolean => (parent.flags & 1) === 1;

function randomHex(bytes: number): string {
  for (;;) {
    const id = randomBytes(bytes).toString('hex');
    // All zeros is the spec's "invalid id"; 2^-64 at worst, but cheap to rule out.
    if (!/^0+$/.test(id)) return id;
  }
}

/** A new trace id (16 random bytes, hex). */
export const newTraceId = (): string => randomHex(16);

/** A new span id (8 random bytes, hex). */
export const newSpanId = (): string => randomHex(8);
