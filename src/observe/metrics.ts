import { Counter, Gauge, Registry } from '../core/prom-parts.ts';
import { PlainGauge } from '../core/plain-metrics.ts';
import type { UpstreamCluster } from '../upstream/cluster.ts';
import { DirectiveMetrics } from './directive-metrics.ts';
import { RequestMetrics } from './request-metrics.ts';
import { TenantMetrics } from './tenant-metrics.ts';

export interface ProxyMetricsOptions {
  /** Tenants with a label of their own in per-tenant series (config `metrics.tenant_label_limit`). */
  tenantLabelLimit?: number;
}

/** The proxy's Prometheus metrics (SPEC §6), on a registry of its own (no global state). */
export class ProxyMetrics {
  readonly registry = new Registry();
  /** Per-request series, bound per endpoint (request-metrics.ts): the hot path adds to numbers. */
  readonly requests: RequestMetrics;
  readonly inflight: PlainGauge;
  readonly rejections: Counter<'reason'>;
  /** Per-tenant series, top N tenants by traffic + `other` (tenant-metrics.ts). */
  readonly tenants: TenantMetrics;
  /** Directive series (directive-metrics.ts). */
  readonly directives: DirectiveMetrics;
  /** Where `/_osproxy/metrics` gets its text: this registry, unless a cluster worker installs the aggregate. */
  private source: () => Promise<string> = () => this.registry.metrics();

  constructor(clusters: () => Iterable<UpstreamCluster>, inflightBytes: () => number, opts: ProxyMetricsOptions = {}) {
    const registers = [this.registry];
    this.requests = new RequestMetrics(this.registry);
    this.tenants = new TenantMetrics(this.registry, opts.tenantLabelLimit ?? 50);
    this.directives = new DirectiveMetrics(this.registry);
    this.inflight = new PlainGauge('osproxy_inflight_requests', 'Requests in flight', this.registry);
    this.rejections = new Counter({ name: 'osproxy_rejections_total', help: 'Requests refused before reaching the upstream, by reason', labelNames: ['reason'], registers });
    new Gauge({
      name: 'osproxy_inflight_body_bytes',
      help: 'Request body bytes buffered in flight',
      registers,
      collect() {
        this.set(inflightBytes());
      },
    });
    // Across cluster workers the pool gauges (cumulative per worker) are summed; a state is not.
    const pool = (name: string, help: string, pick: (c: UpstreamCluster) => number, aggregator: 'sum' | 'max' = 'sum'): void => {
      new Gauge({
        name,
        help,
        labelNames: ['cluster'],
        registers,
        aggregator,
        collect() {
          for (const c of clusters()) this.set({ cluster: c.id }, pick(c));
        },
      });
    };
    pool('osproxy_upstream_connections_opened', 'Upstream connections opened', (c) => c.stats.opened);
    pool('osproxy_upstream_requests_dispatched', 'Upstream requests dispatched', (c) => c.stats.dispatched);
    pool('osproxy_upstream_requests_reused', 'Upstream requests sent on a reused connection', (c) => c.stats.reused);
    pool('osproxy_upstream_breaker_open', 'Circuit breaker state (0 closed, 1 half-open, 2 open)', (c) => ({ closed: 0, half_open: 1, open: 2 })[c.breaker.state], 'max');
  }

  /** `osproxy_migrations{state}`: the fleet's migrations by state (every state, 0 when none), from the control snapshot. */
  watchMigrations(states: readonly string[], migrations: () => Iterable<{ doc: { state: string } }>): void {
    new Gauge({
      name: 'osproxy_migrations',
      help: 'Migrations of logical indexes in the fleet store, by state',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        this.reset();
        const counts = new Map<string, number>(states.map((state) => [state, 0]));
        for (const m of migrations()) counts.set(m.doc.state, (counts.get(m.doc.state) ?? 0) + 1);
        for (const [state, n] of counts) this.set({ state }, n);
      },
    });
  }

  /** Snapshot age, and how much each kind of fleet store read returned (change reads must stay small). */
  watchControlSnapshot(ageSeconds: () => number, reads: { full: number; changes: number; fullDocs: number; changeDocs: number }): void {
    const registers = [this.registry];
    new Counter({
      name: 'osproxy_control_reads_total',
      help: 'Fleet store reads, by kind (full: the whole store; changes: since the last checkpoint)',
      labelNames: ['kind'],
      registers,
      collect() {
        this.reset();
        this.inc({ kind: 'full' }, reads.full);
        this.inc({ kind: 'changes' }, reads.changes);
      },
    });
    new Counter({
      name: 'osproxy_control_docs_read_total',
      help: 'Documents returned by fleet store reads, by kind of read',
      labelNames: ['kind'],
      registers,
      collect() {
        this.reset();
        this.inc({ kind: 'full' }, reads.fullDocs);
        this.inc({ kind: 'changes' }, reads.changeDocs);
      },
    });
    new Gauge({
      name: 'osproxy_control_snapshot_age_seconds',
      help: 'Seconds since the fleet store was last read successfully (since start, before the first read)',
      registers: [this.registry],
      aggregator: 'max',
      collect() {
        this.set(ageSeconds());
      },
    });
  }

  /** The Prometheus text served at `/_osproxy/metrics`. */
  text(): Promise<string> {
    return this.source();
  }

  /** Replaces where {@link text} comes from (a cluster worker asks the primary for every worker's sum). */
  useSource(source: () => Promise<string>): void {
    this.source = source;
  }
}
