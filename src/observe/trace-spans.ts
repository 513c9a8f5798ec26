/**
 * One finished request as OTLP-ready spans: a SERVER root span `osproxy <endpoint>` (the child of
 * the caller's span when its `traceparent` was valid) and one INTERNAL child per stage it went
 * through. They are built directly as the SDK's `ReadableSpan`s, with the timeline's own start
 * and end times: a tracer provider would add context propagation and span processors that a
 * request already finished has no use for.
 */
import { SpanKind, SpanStatusCode, TraceFlags, type Attributes, type SpanContext } from '@opentelemetry/api';
import { millisToHrTime, type InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { FinishedRequest, StageSpan } from './request-timeline.ts';
import { newSpanId, newTraceId, type TraceParent } from './trace-context.ts';

/** A sampled request waiting in the export queue: what `record()` kept, nothing derived yet. */
export interface QueuedRequest {
  finished: FinishedRequest;
  /** The stages it went through (the timeline read once, when the request was recorded). */
  stages: StageSpan[];
  /** The caller's context, when its `traceparent` was valid. */
  parent?: TraceParent;
}

/** The spans a queued request becomes: 1 root + one per stage. */
export const spanCount = (q: QueuedRequest): number => 1 + q.stages.length;

/** Where the spans say they come from: the service's resource and the instrumentation scope. */
export interface SpanTarget {
  resource: Resource;
  scope: InstrumentationScope;
}

function span(
  target: SpanTarget,
  name: string,
  kind: SpanKind,
  context: SpanContext,
  parent: SpanContext | undefined,
  startMs: number,
  durationMs: number,
  attributes: Attributes,
  error: boolean,
): ReadableSpan {
  return {
    name,
    kind,
    spanContext: () => context,
    parentSpanContext: parent,
    startTime: millisToHrTime(startMs),
    endTime: millisToHrTime(startMs + durationMs),
    duration: millisToHrTime(durationMs),
    status: { code: error ? SpanStatusCode.ERROR : SpanStatusCode.UNSET },
    attributes,
    links: [],
    events: [],
    ended: true,
    resource: target.resource,
    instrumentationScope: target.scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

/** The spans of one request; ids are drawn here, off the request path. */
export function requestSpans(q: QueuedRequest, target: SpanTarget): ReadableSpan[] {
  const { finished, stages, parent } = q;
  const { timeline } = finished;
  const traceId = parent?.traceId ?? newTraceId();
  const root: SpanContext = { traceId, spanId: newSpanId(), traceFlags: TraceFlags.SAMPLED };
  const remote: SpanContext | undefined = parent === undefined ? undefined : { traceId, spanId: parent.spanId, traceFlags: parent.flags, isRemote: true };
  const endpoint = finished.attributes['osproxy.endpoint'] ?? 'other';
  // Shape only: the handler's attributes (method, endpoint, tenant, placement, epoch), the status
  // and the request id that finds the explain record; never a path, query, document or id.
  const attributes: Attributes = { ...finished.attributes, 'http.response.status_code': finished.status, 'osproxy.request_id': finished.requestId };
  const totalMs = Math.max(0, (timeline.sent || performance.now()) - timeline.started);
  // Server spans are errors on 5xx only: a 4xx is the client's mistake, answered correctly.
  const out = [span(target, `osproxy ${endpoint}`, SpanKind.SERVER, root, remote, timeline.startedWallMs, totalMs, attributes, finished.status >= 500)];
  for (const s of stages) {
    const context: SpanContext = { traceId, spanId: newSpanId(), traceFlags: TraceFlags.SAMPLED };
    out.push(span(target, s.stage, SpanKind.INTERNAL, context, root, s.startMs, s.durationMs, { 'osproxy.stage': s.stage }, false));
  }
  return out;
}
