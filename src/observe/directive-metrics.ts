/**
 * Directive metrics (issue 14): how many directives are published, how often they match and
 * sample, kill-switch refusals, and debug headers by outcome. Declared here so that the series
 * (and the dashboard built on them) exist before the directive engine calls them; every method is
 * a number add on a child bound up front (or once per status).
 */
import { Gauge, type Registry } from '../core/prom-parts.ts';
import { PlainCounter, type CounterChild } from '../core/plain-metrics.ts';

/** What became of a request's debug header. */
export const DEBUG_HEADER_OUTCOMES = ['accepted', 'malformed', 'tampered', 'wrong_key', 'expired', 'ttl_too_long', 'no_key', 'bad_level'] as const;
export type DebugHeaderOutcome = (typeof DEBUG_HEADER_OUTCOMES)[number];

/** Distinct refusal statuses kept (a directive names its status; this bounds a misconfigured one). */
const MAX_STATUSES = 16;

export class DirectiveMetrics {
  private readonly matches: CounterChild;
  private readonly samples: CounterChild;
  private readonly refusals: PlainCounter;
  private readonly byStatus = new Map<number, CounterChild>();
  private readonly headers = new Map<DebugHeaderOutcome, CounterChild>();
  private active: () => number = () => 0;

  constructor(registry: Registry) {
    const active = (): number => this.active();
    new Gauge({
      name: 'osproxy_directives_active',
      help: 'Directives published and in force (every worker holds the same set: max over workers)',
      registers: [registry],
      aggregator: 'max',
      collect() {
        this.set(active());
      },
    });
    this.matches = new PlainCounter('osproxy_directive_matches_total', 'Requests a directive matched', [], registry).child();
    this.samples = new PlainCounter('osproxy_directive_sampled_total', 'Matched requests a directive sampled (traced or logged in full)', [], registry).child();
    this.refusals = new PlainCounter('osproxy_killswitch_refusals_total', 'Requests refused by a kill-switch directive, by the status answered', ['status'], registry);
    const headers = new PlainCounter('osproxy_debug_headers_total', 'Requests carrying a debug header, by outcome (accepted, or why it was ignored)', ['outcome'], registry);
    for (const o of DEBUG_HEADER_OUTCOMES) this.headers.set(o, headers.child(o));
  }

  /** `osproxy_directives_active` reads `count` at every scrape. */
  watchActive(count: () => number): void {
    this.active = count;
  }

  matched(): void {
    this.matches.inc();
  }

  sampled(): void {
    this.samples.inc();
  }

  refused(status: number): void {
    let c = this.byStatus.get(status);
    if (c === undefined) {
      const label = this.byStatus.size < MAX_STATUSES ? String(status) : 'other';
      c = this.refusals.child(label);
      this.byStatus.set(status, c);
    }
    c.inc();
  }

  header(outcome: DebugHeaderOutcome): void {
    this.headers.get(outcome)?.inc();
  }
}
