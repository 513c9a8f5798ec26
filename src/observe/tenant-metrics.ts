/**
 * Per-tenant request series (SPEC §6, issue 14): requests by status class, latency, bytes and
 * refusals, with bounded cardinality — the busiest tenants get a label of their own, every other
 * tenant is reported as `other`.
 *
 * Labelling. Counters must stay monotonic, so a label once given is kept (until the process
 * restarts) and what a tenant did before it earned its label stays counted in `other` (counts are
 * never moved between series). Requests are tallied per window (between two checks); a check runs
 * at every scrape (in every worker) and promotes tenants that are among the N busiest of the
 * window (labelled ones included) while slots are free. A check hands out at most half of the
 * free slots (at least one): the first window after a start may be a few seconds long, and a busy
 * tenant that only shows up later should still find a slot. Unlike first-N-seen labelling, a
 * tenant that merely came first — an idle one, or one of 10,000 polled once — does not keep a
 * busy one out.
 *
 * Hot path: one Map lookup and a few number adds (children bound at promotion); an unlabelled
 * tenant costs one more lookup in the window's tally, which holds at most `candidateCap` tenants
 * (see shrinkTally for how a busy one is kept among many one-off ones).
 */
import { Gauge, type Registry } from '../core/prom-parts.ts';
import { PlainCounter, PlainHistogram, type CounterChild, type HistogramChild } from '../core/plain-metrics.ts';

/** The label of every tenant without one of its own (a tenant really named `other` shares it). */
export const OTHER_TENANT = 'other';

/** Seconds; few buckets, as the series is per tenant (the per-endpoint histograms are finer). */
const SECONDS_BUCKETS = [0.005, 0.025, 0.1, 0.25, 1, 2.5, 10];
/** Distinct refusal reasons kept per tenant (codes are a fixed set; this guards a dynamic one). */
const MAX_REASONS = 64;
const OTHER_REASON = 'other';

interface Families {
  requests: PlainCounter;
  seconds: PlainHistogram;
  bytes: PlainCounter;
  rejections: PlainCounter;
}

/** One label's bound series. */
class TenantSeries {
  /** Requests in the current window (for the next check's ranking). */
  window = 0;
  /** By status class, index 1..5; 2xx, 4xx and 5xx bound at once (a 0 series rates from its start). */
  private readonly byClass: (CounterChild | undefined)[] = [];
  private readonly seconds: HistogramChild;
  private readonly bytesIn: CounterChild;
  private readonly bytesOut: CounterChild;
  private readonly reasons = new Map<string, CounterChild>();

  constructor(
    private readonly f: Families,
    readonly label: string,
  ) {
    for (const c of [2, 4, 5]) this.byClass[c] = f.requests.child(label, `${c}xx`);
    this.seconds = f.seconds.child(label);
    this.bytesIn = f.bytes.child(label, 'in');
    this.bytesOut = f.bytes.child(label, 'out');
  }

  record(status: number, seconds: number, bytesIn: number, bytesOut: number, errorCode: string | undefined): void {
    this.window++;
    let cls = (status / 100) | 0;
    if (cls < 1 || cls > 5) cls = 5;
    (this.byClass[cls] ??= this.f.requests.child(this.label, `${cls}xx`)).inc();
    this.seconds.observe(seconds);
    if (bytesIn > 0) this.bytesIn.inc(bytesIn);
    if (bytesOut > 0) this.bytesOut.inc(bytesOut);
    if (errorCode !== undefined) this.refused(errorCode);
  }

  private refused(code: string): void {
    let c = this.reasons.get(code);
    if (c === undefined) {
      const reason = this.reasons.size < MAX_REASONS ? code : OTHER_REASON;
      c = this.reasons.get(reason) ?? this.f.rejections.child(this.label, reason);
      this.reasons.set(reason, c);
    }
    c.inc();
  }
}

export interface TenantMetricsOptions {
  /** Tenants tallied per window beyond the labelled ones (default: max(1024, 8 × limit)). */
  candidateCap?: number;
}

export class TenantMetrics {
  private readonly families: Families;
  private readonly labelled = new Map<string, TenantSeries>();
  private readonly other: TenantSeries;
  /** Unlabelled tenants' requests in the current window. */
  private readonly candidates = new Map<string, number>();
  private readonly candidateCap: number;

  /** `limit`: tenants with a label of their own (config `metrics.tenant_label_limit`). */
  constructor(
    registry: Registry,
    private readonly limit: number,
    opts: TenantMetricsOptions = {},
  ) {
    this.candidateCap = opts.candidateCap ?? Math.max(1024, 8 * limit);
    // Registered ahead of the series: a scrape's check runs first, so a tenant promoted by it
    // shows its series (at 0) in that very scrape.
    const check = (): number => {
      this.promote();
      return this.labelled.size;
    };
    new Gauge({
      name: 'osproxy_tenant_labels_used',
      help: 'Tenants with a label of their own in the osproxy_tenant_* series (at most metrics.tenant_label_limit per process; the rest are `other`)',
      registers: [registry],
      aggregator: 'max',
      collect() {
        this.set(check());
      },
    });
    this.families = {
      requests: new PlainCounter('osproxy_tenant_requests_total', 'Tenant requests by tenant (top N by traffic + other) and status class', ['tenant', 'status_class'], registry),
      seconds: new PlainHistogram('osproxy_tenant_request_seconds', 'Tenant request time from arrival to the reply sent, by tenant (top N + other)', ['tenant'], SECONDS_BUCKETS, registry),
      bytes: new PlainCounter('osproxy_tenant_bytes_total', 'Tenant request (in) and response (out) body bytes, by tenant (top N + other)', ['tenant', 'direction'], registry),
      rejections: new PlainCounter('osproxy_tenant_rejections_total', 'Tenant requests the proxy refused (its own 4xx/5xx errors, 429s included), by tenant (top N + other) and error code', ['tenant', 'reason'], registry),
    };
    this.other = new TenantSeries(this.families, OTHER_TENANT);
  }

  /** One finished tenant request (`tenant` undefined: not authenticated as one; not counted here). */
  record(tenant: string | undefined, status: number, seconds: number, bytesIn: number, bytesOut: number, errorCode: string | undefined): void {
    if (tenant === undefined) return;
    const s = this.labelled.get(tenant);
    if (s !== undefined) {
      s.record(status, seconds, bytesIn, bytesOut, errorCode);
      return;
    }
    const n = this.candidates.get(tenant);
    if (n !== undefined) this.candidates.set(tenant, n + 1);
    else if (tenant !== OTHER_TENANT) this.tally(tenant);
    this.other.record(status, seconds, bytesIn, bytesOut, errorCode);
  }

  /** A tenant's first request in the window (`other` is never tallied: it would merge with everyone). */
  private tally(tenant: string): void {
    if (this.candidates.size < this.candidateCap) this.candidates.set(tenant, 1);
    else this.shrinkTally();
  }

  /**
   * The tally is full: every tenant in it loses one request and those at 0 leave (Misra–Gries).
   * Any tenant with more than 1/(cap+1) of the window's requests is thus still in it, however many
   * one-off tenants came before it; a pass takes away `cap` counts that `cap` requests added, so
   * its cost is a constant per request, amortized.
   */
  private shrinkTally(): void {
    for (const [tenant, n] of this.candidates) {
      if (n === 1) this.candidates.delete(tenant);
      else this.candidates.set(tenant, n - 1);
    }
  }

  /** The tenant's label now (its own, or `other`): for other per-tenant series (admission). */
  labelOf(tenant: string): string {
    return this.labelled.has(tenant) ? tenant : OTHER_TENANT;
  }

  /** How many tenants have their own label. */
  get labelledCount(): number {
    return this.labelled.size;
  }

  /** The check (see the file comment); starts a new window. Returns the tenants promoted. */
  promote(): string[] {
    const free = this.limit - this.labelled.size;
    const promoted: string[] = [];
    if (free > 0 && this.candidates.size > 0) {
      const ranked: { tenant: string; n: number; candidate: boolean }[] = [];
      for (const [tenant, s] of this.labelled) ranked.push({ tenant, n: s.window, candidate: false });
      for (const [tenant, n] of this.candidates) ranked.push({ tenant, n, candidate: true });
      ranked.sort((a, b) => b.n - a.n);
      const grant = Math.max(1, Math.ceil(free / 2));
      for (const r of ranked.slice(0, this.limit)) {
        if (promoted.length === grant) break;
        if (!r.candidate) continue;
        this.labelled.set(r.tenant, new TenantSeries(this.families, r.tenant));
        promoted.push(r.tenant);
      }
    }
    this.candidates.clear();
    for (const s of this.labelled.values()) s.window = 0;
    return promoted;
  }
}
