/**
 * Directive series (SPEC §6): directives active, requests matched and sampled, killswitch
 * refusals by status, debug headers by outcome. Bound once, so the request path adds numbers.
 */
import { Gauge, type Registry } from '../core/prom-parts.ts';
import { PlainCounter, type CounterChild } from '../core/plain-metrics.ts';
import { HEADER_OUTCOMES, type HeaderOutcome } from './debug-header.ts';

export class DirectiveMetrics {
  private readonly matches: CounterChild;
  private readonly samples: CounterChild;
  private readonly refusals = new Map<number, CounterChild>();
  private readonly headers = new Map<HeaderOutcome, CounterChild>();

  constructor(private readonly registry: Registry) {
    this.matches = new PlainCounter('osproxy_directive_matches_total', 'Requests matched by at least one diagnostics directive', [], registry).child();
    this.samples = new PlainCounter('osproxy_directive_sampled_total', 'Requests whose level a matching directive raised (after sampling)', [], registry).child();
    const refused = new PlainCounter('osproxy_killswitch_refusals_total', 'Requests refused by a killswitch directive, by status', ['status'], registry);
    for (const status of [403, 503]) this.refusals.set(status, refused.child(String(status)));
    const headers = new PlainCounter('osproxy_debug_headers_total', 'X-Debug-Directive headers seen, by outcome (only accepted ones raise the level)', ['outcome'], registry);
    for (const o of HEADER_OUTCOMES) this.headers.set(o, headers.child(o));
  }

  matched(): void {
    this.matches.inc();
  }

  sampled(): void {
    this.samples.inc();
  }

  refused(status: number): void {
    this.refusals.get(status)?.inc();
  }

  header(outcome: HeaderOutcome): void {
    this.headers.get(outcome)?.inc();
  }

  /** `osproxy_directives_active`: unexpired directives in the control snapshot. */
  watchActive(count: () => number): void {
    new Gauge({
      name: 'osproxy_directives_active',
      help: 'Diagnostics directives published and not expired',
      registers: [this.registry],
      aggregator: 'max',
      collect() {
        this.set(count());
      },
    });
  }
}
