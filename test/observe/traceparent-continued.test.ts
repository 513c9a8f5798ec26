import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { call } from '../helpers/http.ts';
import { startOtlpReceiver, waitFor, type OtlpReceiver, type ReceivedSpan } from '../helpers/otlp-receiver.ts';
import { OPERATOR_TOKEN, startStack, type Stack } from '../helpers/stack.ts';

/*
 * observe.traces against a real proxy, engine and an in-process OTLP/HTTP receiver: a request's
 * valid `traceparent` is continued (same trace, the caller's span as parent), every stage the
 * request went through is a child span, a malformed header starts a fresh trace without
 * bothering the client, and with no endpoint configured there is no tracer at all.
 */

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');
const OPS = { authorization: `Bearer ${OPERATOR_TOKEN}` };

/** The root span of the request with that x-request-id, once it has arrived. */
const rootOf = (receiver: OtlpReceiver, requestId: string): ReceivedSpan | undefined => receiver.spans.find((s) => s.attributes['osproxy.request_id'] === requestId);
const childrenOf = (receiver: OtlpReceiver, root: ReceivedSpan): ReceivedSpan[] =>
  receiver.spans.filter((s) => s.parentSpanId === root.spanId).sort((a, b) => Number(BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano)));

async function metricValue(stack: Stack, outcome: string): Promise<number | undefined> {
  const text = (await call<string>(stack.url, 'GET', '/_osproxy/metrics', undefined, { headers: OPS })).text;
  const m = new RegExp(`^osproxy_trace_spans_total\\{outcome="${outcome}"\\} (\\d+)`, 'm').exec(text);
  return m === null ? undefined : Number(m[1]);
}

describe('traces continue the caller’s traceparent, one span per stage', () => {
  let receiver: OtlpReceiver;
  let stack: Stack;

  before(async () => {
    receiver = await startOtlpReceiver();
    stack = await startStack({ tenants: ['acme'], extra: { observe: { traces: { otlp_endpoint: receiver.url, export_interval_ms: 20, service_name: 'osproxy-test' } } } });
    const put = await call(stack.url, 'PUT', '/orders/_doc/o1?refresh=true', { n: 1 }, { headers: stack.auth.acme });
    assert.equal(put.status, 201, put.text);
  });
  after(async () => {
    await stack.close();
    await receiver.close();
  });

  it('a valid traceparent: the root span is in the caller’s trace, its child, with a span per stage', async () => {
    const traceId = hex(16);
    const parentId = hex(8);
    const res = await call(stack.url, 'GET', '/orders/_doc/o1', undefined, { headers: { ...stack.auth.acme, traceparent: `00-${traceId}-${parentId}-01`, 'x-request-id': 'trace-valid-1' } });
    assert.equal(res.status, 200, res.text);
    const root = await waitFor('the root span', () => rootOf(receiver, 'trace-valid-1'));
    assert.equal(root.traceId, traceId);
    assert.equal(root.parentSpanId, parentId);
    assert.match(root.spanId, /^[0-9a-f]{16}$/);
    assert.notEqual(root.spanId, parentId);
    assert.match(root.name, /^osproxy \S+$/);
    assert.equal(root.kind, 2, 'SPAN_KIND_SERVER');
    assert.equal(root.resource['service.name'], 'osproxy-test');
    assert.equal(root.attributes['http.request.method'], 'GET');
    assert.equal(root.attributes['http.response.status_code'], 200);
    assert.equal(root.attributes['osproxy.tenant'], 'acme');
    assert.equal(root.name, `osproxy ${root.attributes['osproxy.endpoint']}`);
    // The whole trace arrives in one export (one request's spans are queued together).
    const children = childrenOf(receiver, root);
    assert.deepEqual(
      children.map((s) => s.name),
      ['auth', 'resolve', 'rewrite', 'upstream', 'transform', 'send'],
    );
    for (const c of children) {
      assert.equal(c.traceId, traceId);
      assert.equal(c.kind, 1, 'SPAN_KIND_INTERNAL');
      assert.deepEqual(Object.keys(c.attributes), ['osproxy.stage']);
      assert.ok(BigInt(c.startTimeUnixNano) >= BigInt(root.startTimeUnixNano) && BigInt(c.endTimeUnixNano) <= BigInt(root.endTimeUnixNano) + 1000n, `${c.name} lies within the request`);
    }
    assert.ok(receiver.contentTypes.every((t) => t.startsWith('application/json')), 'OTLP/HTTP JSON');
  });

  it('a malformed traceparent starts a fresh trace and the request still succeeds', async () => {
    const badTrace = hex(16);
    const malformed = [
      'garbage',
      `00-${badTrace.toUpperCase()}-${hex(8)}-01`,
      `00-${'0'.repeat(32)}-${hex(8)}-01`,
      `00-${badTrace}-${'0'.repeat(16)}-01`,
      `ff-${badTrace}-${hex(8)}-01`,
      `00-${badTrace}-${hex(8)}-01-extra`,
      `00-${badTrace.slice(1)}-${hex(8)}-01`,
      `00-${badTrace}-${hex(8)}-01, 00-${hex(16)}-${hex(8)}-01`,
    ];
    for (const [i, traceparent] of malformed.entries()) {
      const res = await call(stack.url, 'GET', '/orders/_doc/o1', undefined, { headers: { ...stack.auth.acme, traceparent, 'x-request-id': `trace-bad-${i}` } });
      assert.equal(res.status, 200, `${traceparent}: ${res.text}`);
    }
    for (const [i, traceparent] of malformed.entries()) {
      const root = await waitFor(`the root span of ${traceparent}`, () => rootOf(receiver, `trace-bad-${i}`));
      assert.match(root.traceId, /^[0-9a-f]{32}$/, traceparent);
      assert.notEqual(root.traceId, '0'.repeat(32));
      assert.notEqual(root.traceId, badTrace, traceparent);
      assert.equal(root.parentSpanId ?? '', '', `${traceparent}: a new trace has no parent`);
      assert.equal(childrenOf(receiver, root).length, 6);
    }
    const ids = new Set(malformed.map((_, i) => rootOf(receiver, `trace-bad-${i}`)?.traceId));
    assert.equal(ids.size, malformed.length, 'each request its own trace');
  });

  it('a caller that did not sample is not traced; one without traceparent is', async () => {
    await call(stack.url, 'GET', '/orders/_doc/o1', undefined, { headers: { ...stack.auth.acme, traceparent: `00-${hex(16)}-${hex(8)}-00`, 'x-request-id': 'trace-unsampled' } });
    await call(stack.url, 'GET', '/orders/_doc/o1', undefined, { headers: { ...stack.auth.acme, 'x-request-id': 'trace-none' } });
    // Spans leave in the order requests finished: once the later one is here, the earlier would be.
    const root = await waitFor('the untraced-parent request', () => rootOf(receiver, 'trace-none'));
    assert.equal(root.parentSpanId ?? '', '');
    assert.equal(rootOf(receiver, 'trace-unsampled'), undefined);
  });

  it('counts exported spans in osproxy_trace_spans_total', async () => {
    const exported = await waitFor('exported spans counted', async () => {
      const n = await metricValue(stack, 'exported');
      return n !== undefined && n >= receiver.spans.length && n > 0 ? n : undefined;
    });
    assert.ok(exported > 0);
    assert.equal(await metricValue(stack, 'failed'), 0);
    assert.equal(await metricValue(stack, 'dropped'), 0);
  });
});

describe('a full queue drops spans (counted), never delays the request', () => {
  let receiver: OtlpReceiver;
  let stack: Stack;

  before(async () => {
    receiver = await startOtlpReceiver();
    // Room for one doc GET's 7 spans; the interval is long enough that nothing leaves meanwhile.
    stack = await startStack({ tenants: ['acme'], extra: { observe: { traces: { otlp_endpoint: receiver.url, export_interval_ms: 600_000, max_queue: 7 } } } });
  });
  let proxyClosed: Promise<void> | undefined;
  const closeProxy = (): Promise<void> => (proxyClosed ??= stack.proxy.close(1_000));
  after(async () => {
    await closeProxy();
    await stack.engine.close();
    await receiver.close();
  });

  it('keeps what fits, drops the rest, and flushes what it kept on close', async () => {
    const first = await call(stack.url, 'GET', '/', undefined, { headers: { ...stack.auth.acme, 'x-request-id': 'queue-1' } });
    assert.equal(first.status, 200);
    for (let i = 0; i < 3; i++) assert.equal((await call(stack.url, 'GET', '/', undefined, { headers: stack.auth.acme })).status, 200);
    const dropped = await metricValue(stack, 'dropped');
    assert.ok(dropped !== undefined && dropped > 0, `dropped: ${dropped}`);
    assert.equal(receiver.spans.length, 0, 'nothing exported before the interval');
    await closeProxy();
    assert.ok(rootOf(receiver, 'queue-1') !== undefined, 'the queued request was flushed on close');
  });
});

describe('with no otlp_endpoint there is no tracer', () => {
  let receiver: OtlpReceiver;
  let stack: Stack;

  before(async () => {
    receiver = await startOtlpReceiver();
    stack = await startStack({ tenants: ['acme'] });
  });
  let proxyClosed: Promise<void> | undefined;
  const closeProxy = (): Promise<void> => (proxyClosed ??= stack.proxy.close(1_000));
  after(async () => {
    await closeProxy();
    await stack.engine.close();
    await receiver.close();
  });

  it('sends nothing and has no trace metric', async () => {
    assert.equal(stack.proxy.services.tracer, undefined);
    const res = await call(stack.url, 'GET', '/', undefined, { headers: { ...stack.auth.acme, traceparent: `00-${hex(16)}-${hex(8)}-01` } });
    assert.equal(res.status, 200);
    assert.equal(await metricValue(stack, 'exported'), undefined);
    await closeProxy();
    assert.equal(receiver.raw.length, 0);
  });
});
