/**
 * The stage boundaries of one request (SPEC §6 `timing`): auth, resolve, rewrite, upstream,
 * transform, send. The pipeline marks a few instants (`performance.now()`); the stages are
 * derived only when someone reads them (a `timing` explain record, an exported span), so an
 * unread request pays a handful of number writes.
 */
export const STAGES = ['auth', 'resolve', 'rewrite', 'upstream', 'transform', 'send'] as const;
export type Stage = (typeof STAGES)[number];

export interface StageSpan {
  stage: Stage;
  /** Milliseconds since the epoch (fractional). */
  startMs: number;
  durationMs: number;
}

export class RequestTimeline {
  /** `performance.now()` when the request arrived. */
  readonly started = performance.now();
  /** Milliseconds since the epoch when it arrived. */
  readonly startedWallMs = Date.now();
  authenticated = 0;
  resolved = 0;
  /** When the first upstream call began (0: none). */
  firstUpstream = 0;
  upstreamMs = 0;
  handled = 0;
  sent = 0;

  /** An upstream wait of `ms` that ended now. */
  addUpstream(ms: number): void {
    const began = performance.now() - ms;
    if (this.firstUpstream === 0 || began < this.firstUpstream) this.firstUpstream = began;
    this.upstreamMs += ms;
  }

  /** The stages this request went through, in order (stages it never reached are left out). */
  spans(): StageSpan[] {
    const out: StageSpan[] = [];
    const wall = (t: number): number => this.startedWallMs + (t - this.started);
    const add = (stage: Stage, from: number, to: number): void => {
      if (from > 0 && to >= from) out.push({ stage, startMs: wall(from), durationMs: to - from });
    };
    const end = this.sent || performance.now();
    add('auth', this.started, this.authenticated || end);
    if (this.authenticated === 0) return out;
    add('resolve', this.authenticated, this.resolved || end);
    if (this.resolved === 0) return out;
    const handled = this.handled || end;
    if (this.firstUpstream === 0) {
      add('rewrite', this.resolved, handled);
    } else if (this.firstUpstream <= handled) {
      // Buffered: rewrite, then the upstream waits, then turning the answer into the reply.
      const upstreamEnd = Math.min(handled, this.firstUpstream + this.upstreamMs);
      add('rewrite', this.resolved, this.firstUpstream);
      add('upstream', this.firstUpstream, upstreamEnd);
      add('transform', upstreamEnd, handled);
    } else {
      // Streamed (`_bulk`, big hits): the upstream calls happen while the reply is being sent.
      add('rewrite', this.resolved, handled);
      add('upstream', this.firstUpstream, Math.min(end, this.firstUpstream + this.upstreamMs));
    }
    if (this.handled !== 0) add('send', this.handled, end);
    return out;
  }

  /** Per-stage milliseconds, rounded to µs (the `timing` part of an explain record and log line). */
  durations(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const s of this.spans()) out[s.stage] = Math.round(s.durationMs * 1000) / 1000;
    return out;
  }
}

/** What a finished request hands to the trace exporter (shape-level facts only, never values). */
export interface FinishedRequest {
  requestId: string;
  timeline: RequestTimeline;
  /** The incoming W3C `traceparent`, if any (continued when well formed). */
  traceparent?: string;
  status: number;
  /** Shape attributes: method, endpoint, path template, tenant, placement, … */
  attributes: Record<string, string | number>;
}

/** Receives every finished request; implementations must not block (export happens off the path). */
export interface RequestSink {
  record(finished: FinishedRequest): void;
}
