export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  /** Consecutive transport failures that open the breaker. */
  failureThreshold: number;
  /** How long it stays open before one probe request is let through. */
  resetMs: number;
}

/**
 * A per-cluster circuit breaker over transport failures (connect errors, resets, timeouts),
 * not HTTP statuses: an upstream 500 is an answer, a refused connection is not.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  private current: BreakerState = 'closed';
  private readonly opts: BreakerOptions;
  private readonly now: () => number;

  constructor(opts: BreakerOptions, now: () => number = Date.now) {
    this.opts = opts;
    this.now = now;
  }

  get state(): BreakerState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.opts.resetMs) this.current = 'half_open';
    return this.current;
  }

  /** Whether a request may go upstream now (in half-open, only one probe at a time). */
  tryAcquire(): boolean {
    const s = this.state;
    if (s === 'closed') return true;
    if (s === 'open' || this.probing) return false;
    this.probing = true;
    return true;
  }

  /** Milliseconds until a probe may be sent (for Retry-After). */
  get retryAfterMs(): number {
    return Math.max(0, this.opts.resetMs - (this.now() - this.openedAt));
  }

  onSuccess(): void {
    this.failures = 0;
    this.probing = false;
    this.current = 'closed';
  }

  onFailure(): void {
    this.probing = false;
    this.failures++;
    if (this.current === 'half_open' || this.failures >= this.opts.failureThreshold) {
      this.current = 'open';
      this.openedAt = this.now();
    }
  }

  /** Releases a probe slot when the request ended without a verdict (e.g. client aborted). */
  release(): void {
    this.probing = false;
  }
}
