export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  /** Consecutive transport failures that open the breaker. */
  failureThreshold: number;
  /** How long it stays open before one probe request is let through. */
  resetMs: number;
  /**
   * Called when the cluster becomes unreachable (closed → open) and when it is reachable again
   * (a successful request after the breaker opened); not on every failed probe in between.
   */
  onChange?: (change: BreakerChange) => void;
}

/** `tripped`: opened by `trip()` (the caller knows the cluster is gone), not by counted failures. */
export type BreakerChange = { to: 'open'; failures: number; reason?: string; tripped?: boolean } | { to: 'closed'; downMs: number };

/**
 * A per-cluster circuit breaker over transport failures (connect errors, resets, timeouts),
 * not HTTP statuses: an upstream 500 is an answer, a refused connection is not.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  /** When the breaker last opened from closed (half-open probes that fail do not move it). */
  private downSince = 0;
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
    const wasDown = this.current !== 'closed';
    this.failures = 0;
    this.probing = false;
    this.current = 'closed';
    if (wasDown) this.opts.onChange?.({ to: 'closed', downMs: this.now() - this.downSince });
  }

  /** A transport failure; `reason` (no addresses) goes to the state-change notice. */
  onFailure(reason?: string): void {
    this.probing = false;
    this.failures++;
    if (this.current === 'half_open' || this.failures >= this.opts.failureThreshold) {
      const wasClosed = this.current === 'closed';
      this.current = 'open';
      this.openedAt = this.now();
      if (wasClosed) {
        this.downSince = this.openedAt;
        this.opts.onChange?.({ to: 'open', failures: this.failures, reason });
      }
    }
  }

  /**
   * Opens the breaker now, without waiting for failures to add up: for a caller that knows the
   * cluster is gone (`osproxy dev` when its engine process exits). Probes go on as after any
   * opening, so a cluster that answers again closes it.
   */
  trip(reason: string): void {
    const wasClosed = this.state === 'closed';
    this.probing = false;
    this.current = 'open';
    this.openedAt = this.now();
    if (wasClosed) {
      this.downSince = this.openedAt;
      this.opts.onChange?.({ to: 'open', failures: this.failures, reason, tripped: true });
    }
  }

  /** Releases a probe slot when the request ended without a verdict (e.g. client aborted). */
  release(): void {
    this.probing = false;
  }
}
