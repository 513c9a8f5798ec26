/**
 * Traces (observe.traces): a {@link RequestSink} that samples finished requests into a bounded
 * queue and, every `export_interval_ms`, sends them as OTLP/HTTP JSON with the OpenTelemetry
 * exporter. The request path only pushes to an array: ids, spans and JSON are made by the timer,
 * one export at a time; a full queue drops (and counts) instead of growing or waiting, and a
 * failing collector costs failed exports, counted and warned about, never a slower request.
 *
 * Loaded only when tracing is on (proxy-server.ts imports it dynamically): the exporter and what
 * it pulls in cost ~15 MiB of RSS that a proxy without traces should not pay.
 */
import { Agent } from 'node:http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { Logger } from 'pino';
import type { TracesConfig } from '../config/observe-schema.ts';
import { Counter, type Registry } from '../core/prom-parts.ts';
import type { FinishedRequest, RequestSink } from './request-timeline.ts';
import { isSampled, parseTraceparent } from './trace-context.ts';
import { requestSpans, spanCount, type QueuedRequest, type SpanTarget } from './trace-spans.ts';

/** The part of the OTLP exporter this uses. */
interface SpanTransport {
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void;
  /** Waits for exports in flight, then releases the connections. */
  shutdown(): Promise<void>;
}

/** Spans per OTLP request: a queue longer than this is sent in several, one after the other. */
const BATCH_SPANS = 1024;
const WARN_EVERY_MS = 60_000;

export interface TraceStats {
  exported: number;
  dropped: number;
  failed: number;
}

export class TraceExporter implements RequestSink {
  readonly stats: TraceStats = { exported: 0, dropped: 0, failed: 0 };
  private queue: QueuedRequest[] = [];
  private queuedSpans = 0;
  /** The export in flight (one at a time, so that a slow collector cannot pile requests up). */
  private inflight: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly target: SpanTarget;
  private readonly transport: SpanTransport;
  private lastWarnMs = -Infinity;
  private failedSinceWarn = 0;
  private closed = false;

  constructor(
    private readonly config: TracesConfig & { otlp_endpoint: string },
    registry: Registry,
    private readonly log: Logger,
  ) {
    this.target = { resource: resourceFromAttributes({ 'service.name': config.service_name }), scope: { name: 'osproxy' } };
    this.transport = otlpTransport(config);
    const stats = this.stats;
    new Counter({
      name: 'osproxy_trace_spans_total',
      help: 'Trace spans by outcome (exported to the collector, dropped on a full queue, failed to export)',
      labelNames: ['outcome'],
      registers: [registry],
      collect() {
        this.reset();
        for (const outcome of ['exported', 'dropped', 'failed'] as const) this.inc({ outcome }, stats[outcome]);
      },
    });
    this.timer = setInterval(() => this.exportNow(), config.export_interval_ms);
    // The timer alone must not keep a process alive (shutdown flushes what is left).
    this.timer.unref();
  }

  /** On the request path: a header check, a sampling draw, the timeline read and an array push (no I/O, no promise, no encoding). */
  record(finished: FinishedRequest): void {
    if (this.closed) return;
    const parent = parseTraceparent(finished.traceparent);
    // A valid caller decides (W3C sampled flag); otherwise the configured ratio.
    const sampled = parent !== undefined ? isSampled(parent) : Math.random() * 1000 < this.config.sample_per_mille;
    if (!sampled) return;
    const q: QueuedRequest = { finished, stages: finished.timeline.spans(), parent };
    const n = spanCount(q);
    if (this.queuedSpans + n > this.config.max_queue) {
      this.stats.dropped += n;
      return;
    }
    this.queue.push(q);
    this.queuedSpans += n;
  }

  /** Starts an export of the queue unless one is in flight (then the next tick, or its end, takes it). */
  private exportNow(): void {
    if (this.inflight !== undefined || this.queue.length === 0) return;
    const batch = this.take();
    this.inflight = this.send(batch).finally(() => {
      this.inflight = undefined;
      // More than one batch waiting: go on at once rather than a tick later.
      if (this.queuedSpans >= BATCH_SPANS && !this.closed) setImmediate(() => this.exportNow());
    });
  }

  /** Up to {@link BATCH_SPANS} spans' worth of queued requests (at least one). */
  private take(): QueuedRequest[] {
    let spans = 0;
    let k = 0;
    while (k < this.queue.length && (k === 0 || spans + spanCount(this.queue[k]) <= BATCH_SPANS)) spans += spanCount(this.queue[k++]);
    const batch = this.queue.slice(0, k);
    this.queue = this.queue.slice(k);
    this.queuedSpans -= spans;
    return batch;
  }

  private send(batch: QueuedRequest[]): Promise<void> {
    let spans: ReadableSpan[];
    try {
      spans = batch.flatMap((q) => requestSpans(q, this.target));
    } catch (e) {
      this.failed(batch.reduce((n, q) => n + spanCount(q), 0), e);
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const done = (result: ExportResult): void => {
        if (result.code === ExportResultCode.SUCCESS) this.stats.exported += spans.length;
        else this.failed(spans.length, result.error);
        resolve();
      };
      try {
        this.transport.export(spans, done);
      } catch (e) {
        done({ code: ExportResultCode.FAILED, error: e instanceof Error ? e : new Error(String(e)) });
      }
    });
  }

  /** Counts failed spans; warns at most once a minute, with how many failed meanwhile. */
  private failed(n: number, error: unknown): void {
    this.stats.failed += n;
    this.failedSinceWarn += n;
    const now = Date.now();
    if (now - this.lastWarnMs < WARN_EVERY_MS) return;
    this.lastWarnMs = now;
    const reason = error instanceof Error ? error.message : String(error ?? 'unknown');
    this.log.warn({ endpoint: this.config.otlp_endpoint, failed_spans: this.failedSinceWarn, reason }, `trace export to ${this.config.otlp_endpoint} failed: ${reason} (${this.failedSinceWarn} spans lost; at most one warning a minute)`);
    this.failedSinceWarn = 0;
  }

  /**
   * Stops recording and exports what is queued, for at most `export_timeout_ms` overall (a
   * collector that is down must not hold a shutdown up); what is still unsent then is dropped.
   */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    let deadline: NodeJS.Timeout | undefined;
    const flush = async (): Promise<void> => {
      while (this.inflight !== undefined || this.queue.length > 0) {
        if (this.inflight !== undefined) await this.inflight;
        else this.exportNow();
      }
    };
    const expired = new Promise<boolean>((resolve) => {
      deadline = setTimeout(() => resolve(true), this.config.export_timeout_ms);
    });
    const finished = flush()
      .then(() => this.transport.shutdown())
      .then(
        () => false,
        () => false,
      );
    const timedOut = await Promise.race([finished, expired]);
    clearTimeout(deadline);
    if (timedOut) {
      // What never left is dropped. The export in flight ends by its own deadline (the exporter
      // has no cancel), counted then; the connections are released after it.
      this.stats.dropped += this.queuedSpans;
      this.queue = [];
      this.queuedSpans = 0;
    }
  }
}

/** The OpenTelemetry OTLP/HTTP exporter (JSON), on an agent of its own that shutdown destroys. */
function otlpTransport(config: TracesConfig & { otlp_endpoint: string }): SpanTransport {
  let agent: Agent | undefined;
  // node:https only for an https endpoint (as the listeners do: a plain one has no use for TLS).
  const agentFor = async (protocol: string): Promise<Agent> => (agent ??= protocol === 'https:' ? new (await import('node:https')).Agent({ keepAlive: true }) : new Agent({ keepAlive: true }));
  const exporter = new OTLPTraceExporter({
    url: config.otlp_endpoint,
    timeoutMillis: config.export_timeout_ms,
    // Our queue already bounds what waits; the exporter sees one request at a time.
    concurrencyLimit: 2,
    httpAgentOptions: agentFor,
  });
  return {
    export: (spans, done) => exporter.export(spans, done),
    async shutdown() {
      // The exporter's own shutdown waits for its sends but leaves the agent's sockets open.
      await exporter.shutdown();
      agent?.destroy();
    },
  };
}
