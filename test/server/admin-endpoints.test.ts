import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call } from '../helpers/http.ts';
import { OPERATOR_TOKEN, startStack, type Stack } from '../helpers/stack.ts';

describe('admin endpoints under /_osproxy/', () => {
  let stack: Stack;
  const operator = { authorization: `Bearer ${OPERATOR_TOKEN}` };
  before(async () => {
    stack = await startStack();
  });
  after(() => stack.close());

  it('serves health and ready without credentials', async () => {
    assert.equal((await call(stack.url, 'GET', '/_osproxy/health')).status, 200);
    const ready = await call<{ status: string }>(stack.url, 'GET', '/_osproxy/ready');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body, { status: 'ready' });
  });

  it('refuses metrics and explain to tenants and anonymous callers', async () => {
    assert.equal((await call(stack.url, 'GET', '/_osproxy/metrics')).status, 401);
    assert.equal((await call(stack.url, 'GET', '/_osproxy/metrics', undefined, { headers: stack.auth.acme })).status, 401);
  });

  it('exports request, latency split and pool metrics in Prometheus text', async () => {
    await call(stack.url, 'PUT', '/m/_doc/1?refresh=true', { a: 1 }, { headers: stack.auth.acme });
    await call(stack.url, 'GET', '/m/_doc/1', undefined, { headers: stack.auth.acme });
    const res = await call<string>(stack.url, 'GET', '/_osproxy/metrics', undefined, { headers: operator });
    assert.equal(res.status, 200);
    assert.match(res.text, /osproxy_requests_total\{endpoint="doc_get",status="200"\} 1/);
    assert.match(res.text, /osproxy_proxy_seconds_bucket\{le="[^"]+",endpoint="doc_get"\}/);
    assert.match(res.text, /osproxy_upstream_seconds_count\{endpoint="doc_index"\} 1/);
    assert.match(res.text, /osproxy_upstream_requests_dispatched\{cluster="default"\} [1-9]/);
    assert.match(res.text, /osproxy_upstream_breaker_open\{cluster="default"\} 0/);
  });

  it('explains a recent request by its x-request-id, without document values', async () => {
    const res = await call(stack.url, 'POST', '/m/_search', { query: { match: { a: 'secret-value' } } }, { headers: stack.auth.acme });
    const id = res.headers['x-request-id'] as string;
    assert.ok(id);
    const explain = await call<Record<string, unknown>>(stack.url, 'GET', `/_osproxy/explain/${id}`, undefined, { headers: operator });
    assert.equal(explain.status, 200);
    assert.equal(explain.body.tenant, 'acme');
    assert.equal(explain.body.endpoint, 'search');
    assert.deepEqual(explain.body.physical, ['osproxy-shared-m']);
    assert.ok((explain.body.timings_ms as Record<string, number>).upstream >= 0);
    assert.doesNotMatch(explain.text, /secret-value/);
  });

  it('keeps a sane client x-request-id and invents one otherwise', async () => {
    const given = await call(stack.url, 'GET', '/', undefined, { headers: { ...stack.auth.acme, 'x-request-id': 'client-id-123' } });
    assert.equal(given.headers['x-request-id'], 'client-id-123');
    const junk = await call(stack.url, 'GET', '/', undefined, { headers: { ...stack.auth.acme, 'x-request-id': 'bad id with spaces' } });
    assert.notEqual(junk.headers['x-request-id'], 'bad id with spaces');
  });
});
