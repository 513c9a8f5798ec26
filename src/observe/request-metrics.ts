/**
 * The per-request metrics (SPEC §6) without per-request label resolution: prom-client hashes and
 * validates the label object on every `inc`/`observe` (its `labels()` children too), a cost paid
 * several times per request. Here each (endpoint, status) series is a plain object bound once and
 * kept: the hot path adds to numbers. The series are published through the same prom-client
 * `Registry` as every other metric, as objects that answer what the registry reads
 * (`get()` for JSON and the cluster aggregation, `getForPromString()` for the text format), in
 * prom-client's own shapes, so the exposition and the `--workers` aggregation are unchanged.
 */
import type { Registry } from 'prom-client';

type LabelValues = Record<string, string | number>;

interface MetricValue {
  labels: LabelValues;
  value: number;
  metricName?: string;
  /** prom-client's histograms carry this (null: no exemplars); kept so the JSON is theirs exactly. */
  exemplar?: null;
  /** Text format only: a histogram's own labels, printed after `le` (as prom-client does). */
  sharedLabels?: LabelValues;
}

interface MetricData {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  values: MetricValue[];
  aggregator: 'sum';
}

/** What a prom-client Registry reads from a registered metric. */
abstract class PlainMetric {
  readonly aggregator = 'sum' as const;

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: MetricData['type'],
    registry: Registry,
  ) {
    // registerMetric reads only these members; the cast names prom-client's nominal type.
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  protected abstract values(text: boolean): MetricValue[];

  /** JSON (getMetricsAsJSON, the cluster aggregation): every label on the value itself. */
  get(): Promise<MetricData> {
    return Promise.resolve(this.data(false));
  }

  /** The text exposition: as prom-client renders its own metrics of this type. */
  getForPromString(): Promise<MetricData> {
    return Promise.resolve(this.data(true));
  }

  private data(text: boolean): MetricData {
    return { name: this.name, help: this.help, type: this.type, values: this.values(text), aggregator: this.aggregator };
  }
}

/** One labelled counter series, bound once: `inc` adds to a number. */
export class CounterChild {
  value = 0;

  constructor(readonly labels: LabelValues) {}

  inc(by = 1): void {
    this.value += by;
  }
}

/** A counter whose series are bound children (label values in `labelNames` order). */
export class PlainCounter extends PlainMetric {
  private readonly children = new Map<string, CounterChild>();

  constructor(name: string, help: string, private readonly labelNames: readonly string[], registry: Registry) {
    super(name, help, 'counter', registry);
  }

  child(...values: string[]): CounterChild {
    const key = values.join('\u0000');
    let c = this.children.get(key);
    if (c === undefined) {
      const labels: LabelValues = {};
      this.labelNames.forEach((n, i) => (labels[n] = values[i]));
      this.children.set(key, (c = new CounterChild(labels)));
    }
    return c;
  }

  protected values(): MetricValue[] {
    return [...this.children.values()].map((c) => ({ labels: { ...c.labels }, value: c.value }));
  }
}

/** An unlabelled gauge kept in a number. */
export class PlainGauge extends PlainMetric {
  value = 0;

  constructor(name: string, help: string, registry: Registry) {
    super(name, help, 'gauge', registry);
  }

  inc(): void {
    this.value++;
  }

  dec(): void {
    this.value--;
  }

  protected values(): MetricValue[] {
    return [{ labels: {}, value: this.value }];
  }
}

/** One labelled histogram series, bound once: `observe` finds the bucket and adds. */
export class HistogramChild {
  /** Per bucket, not cumulative; the last slot counts values above every bound (only in +Inf). */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    private readonly bounds: readonly number[],
    readonly labels: LabelValues,
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) return; // never on the hot path's own figures; prom-client would throw
    const b = this.bounds;
    let i = 0;
    while (i < b.length && value > b[i]) i++;
    this.counts[i]++;
    this.sum += value;
    this.count++;
  }
}

/** A histogram whose series are bound children. */
export class PlainHistogram extends PlainMetric {
  private readonly children = new Map<string, HistogramChild>();

  constructor(name: string, help: string, private readonly labelNames: readonly string[], private readonly bounds: readonly number[], registry: Registry) {
    super(name, help, 'histogram', registry);
  }

  child(...values: string[]): HistogramChild {
    const key = values.join('\u0000');
    let c = this.children.get(key);
    if (c === undefined) {
      const labels: LabelValues = {};
      this.labelNames.forEach((n, i) => (labels[n] = values[i]));
      this.children.set(key, (c = new HistogramChild(this.bounds, labels)));
    }
    return c;
  }

  protected values(text: boolean): MetricValue[] {
    const out: MetricValue[] = [];
    const bucket = `${this.name}_bucket`;
    // prom-client: in text the series' labels follow `le`; in JSON they are merged after it.
    const labelled = (own: LabelValues, c: HistogramChild): Pick<MetricValue, 'labels' | 'sharedLabels'> =>
      text ? { labels: own, sharedLabels: { ...c.labels } } : { labels: { ...own, ...c.labels } };
    for (const c of this.children.values()) {
      let acc = 0;
      this.bounds.forEach((le, i) => {
        acc += c.counts[i];
        out.push({ ...labelled({ le }, c), value: acc, metricName: bucket, exemplar: null });
      });
      out.push({ ...labelled({ le: '+Inf' }, c), value: c.count, metricName: bucket, exemplar: null });
      out.push({ ...labelled({}, c), value: c.sum, metricName: `${this.name}_sum`, exemplar: undefined });
      out.push({ ...labelled({}, c), value: c.count, metricName: `${this.name}_count`, exemplar: undefined });
    }
    return out;
  }
}

/**
 * The series one endpoint's requests update, each bound on first use (so a series appears once
 * something was recorded in it, as with prom-client) and kept.
 */
export class EndpointMetrics {
  private proxy?: HistogramChild;
  private upstream?: HistogramChild;
  private in?: CounterChild;
  private out?: CounterChild;
  private readonly byStatus = new Map<number, CounterChild>();

  constructor(
    private readonly m: RequestMetrics,
    private readonly endpoint: string,
  ) {}

  /** `osproxy_requests_total{endpoint, status}`. */
  requests(status: number): CounterChild {
    let c = this.byStatus.get(status);
    if (c === undefined) this.byStatus.set(status, (c = this.m.requests.child(this.endpoint, String(status))));
    return c;
  }

  proxySeconds(): HistogramChild {
    return (this.proxy ??= this.m.proxySeconds.child(this.endpoint));
  }

  upstreamSeconds(): HistogramChild {
    return (this.upstream ??= this.m.upstreamSeconds.child(this.endpoint));
  }

  bytesIn(): CounterChild {
    return (this.in ??= this.m.bytesIn.child(this.endpoint));
  }

  bytesOut(): CounterChild {
    return (this.out ??= this.m.bytesOut.child(this.endpoint));
  }
}

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Requests by endpoint and status, time inside the proxy and upstream, bytes in and out. */
export class RequestMetrics {
  readonly requests: PlainCounter;
  readonly proxySeconds: PlainHistogram;
  readonly upstreamSeconds: PlainHistogram;
  readonly bytesIn: PlainCounter;
  readonly bytesOut: PlainCounter;
  private readonly endpoints = new Map<string, EndpointMetrics>();

  constructor(registry: Registry) {
    this.requests = new PlainCounter('osproxy_requests_total', 'Requests by endpoint and status', ['endpoint', 'status'], registry);
    this.proxySeconds = new PlainHistogram('osproxy_proxy_seconds', 'Time spent inside the proxy (total minus upstream)', ['endpoint'], LATENCY_BUCKETS, registry);
    this.upstreamSeconds = new PlainHistogram('osproxy_upstream_seconds', 'Time waiting for the upstream (until its response ended)', ['endpoint'], LATENCY_BUCKETS, registry);
    this.bytesIn = new PlainCounter('osproxy_bytes_in_total', 'Request body bytes read from clients', ['endpoint'], registry);
    this.bytesOut = new PlainCounter('osproxy_bytes_out_total', 'Response body bytes written to clients', ['endpoint'], registry);
  }

  /** The bound series of one endpoint (endpoint names are a fixed set: the table's, plus a few of the server's). */
  endpoint(name: string): EndpointMetrics {
    let e = this.endpoints.get(name);
    if (e === undefined) this.endpoints.set(name, (e = new EndpointMetrics(this, name)));
    return e;
  }
}
