/**
 * Memory back once a burst is over. Under load V8 grows the young generation up to two 16 MiB
 * semi-spaces and shrinks it only at a collection that finds the allocation rate low — which an
 * idle process never runs, so a worker that served one burst kept ~30 MiB resident for good, and
 * the old generation's garbage and emptied pages with it.
 *
 * Once requests stop: at the first quiet check one scavenge empties the young generation (so that
 * the idle time runs none of its own); IDLE_MS later (past V8's 5 s allocation-rate window) a
 * trim (core/gc.ts) scavenges again, which now shrinks the young generation, and runs a full
 * collection; at the check after it, a second full collection gives back the pages the first one
 * emptied once their sweeping is done. Tens of ms in all, once per burst, never while requests
 * arrive. A trim that leaves the young generation large is tried again after another idle period.
 *
 * Start-up can be a burst too: loading the config and the fleet store grew the young generation
 * to 16 MiB in 4 of 9 measured starts (an idle worker at 70–80 MiB instead of 62–64). At the
 * first quiet check after start the trim runs only if it did: a trim of a small young generation
 * promotes its survivors into fragmented old-generation pages and keeps ~2 MiB more.
 */
const IDLE_MS = 6_000;
const CHECK_MS = 2_000;
const ATTEMPTS = 3;

export interface IdleTrimOptions {
  /** Requests started so far (a counter the caller keeps). */
  started: () => number;
  /** Requests in flight: a long one keeps the process busy. */
  inflight: () => number;
  /** A scavenge, as the idle time begins. */
  scavenge: () => void;
  /** Scavenge and full collection; true when the young generation is small again. */
  trim: () => boolean;
  /** The full collection that follows a trim. */
  compact: () => void;
  /** Whether the young generation is large (start-up is trimmed only then). */
  youngGrown: () => boolean;
  now?: () => number;
  idleMs?: number;
  checkMs?: number;
}

type Phase = 'startup' | 'done' | 'busy' | 'settling' | 'compacting';

export class IdleTrim {
  private seen: number;
  private phase: Phase = 'startup';
  private since = 0;
  private attemptsLeft = ATTEMPTS;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly opts: IdleTrimOptions) {
    this.now = opts.now ?? (() => performance.now());
    this.seen = opts.started();
  }

  start(): void {
    this.timer ??= setInterval(() => this.check(), this.opts.checkMs ?? CHECK_MS).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One look at the counters, every CHECK_MS: a burst (re)arms the trim, quiet time advances it. */
  check(): void {
    const started = this.opts.started();
    if (started !== this.seen || this.opts.inflight() > 0) {
      this.seen = started;
      this.phase = 'busy';
      this.attemptsLeft = ATTEMPTS;
      return;
    }
    if (this.phase === 'startup') this.phase = this.opts.youngGrown() ? 'busy' : 'done';
    if (this.phase === 'busy') {
      this.opts.scavenge();
      this.phase = 'settling';
      this.since = this.now();
    } else if (this.phase === 'settling' && this.now() - this.since >= (this.opts.idleMs ?? IDLE_MS)) {
      this.attemptsLeft--;
      this.since = this.now();
      if (this.opts.trim()) this.phase = 'compacting';
      else if (this.attemptsLeft === 0) this.phase = 'done';
    } else if (this.phase === 'compacting') {
      this.opts.compact();
      this.phase = 'done';
    }
  }
}
