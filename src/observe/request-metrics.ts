/**
 * The per-request metrics (SPEC §6): requests by endpoint and status, time inside the proxy and
 * upstream, bytes in and out — as bound series (core/plain-metrics.ts), bound per endpoint once.
 */
import type { Registry } from '../core/prom-parts.ts';
import { PlainCounter, PlainHistogram, type CounterChild, type HistogramChild } from '../core/plain-metrics.ts';

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
