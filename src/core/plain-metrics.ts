/**
 * Metrics for the hot path without per-call label resolution: prom-client hashes and validates
 * the label object on every `inc`/`observe` (its `labels()` children too). Here each labelled
 * series is a plain object bound once and kept, so recording adds to numbers. The metrics are
 * registered on a prom-client `Registry` like any other, as objects that answer what the registry
 * reads (`get()` for JSON and the cluster aggregation, `getForPromString()` for the text format)
 * in prom-client's own shapes: the exposition and the `--workers` aggregation are unchanged
 * (test/observe/request-metrics.test.ts compares them with prom-client's own metrics).
 */
import type { Registry } from './prom-parts.ts';

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
