import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../src/core/prom-parts.ts';
import { OTHER_TENANT, TenantMetrics } from '../../src/observe/tenant-metrics.ts';

/** Every sample of a Prometheus text exposition: `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

/** The distinct `tenant` label values of the osproxy_tenant_* samples. */
function tenantLabels(s: Map<string, number>): Set<string> {
  const out = new Set<string>();
  for (const key of s.keys()) {
    const m = /^osproxy_tenant_\w+\{.*tenant="([^"]*)"/.exec(key);
    if (m) out.add(m[1]);
  }
  return out;
}

const get = (s: Map<string, number>, key: string): number => s.get(key) ?? 0;
const requests = (tenant: string, cls = '2xx'): string => `osproxy_tenant_requests_total{tenant="${tenant}",status_class="${cls}"}`;

function fresh(limit: number): { r: Registry; t: TenantMetrics } {
  const r = new Registry();
  return { r, t: new TenantMetrics(r, limit) };
}

const hit = (t: TenantMetrics, tenant: string, n = 1): void => {
  for (let i = 0; i < n; i++) t.record(tenant, 200, 0.002, 10, 20, undefined);
};

describe('per-tenant metrics: top N tenants by traffic + other', () => {
  it('counts a tenant in `other` until a check gives it a label, and keeps those counts there', async () => {
    const { r, t } = fresh(50);
    hit(t, 'acme', 3);
    hit(t, 'globex', 1);
    assert.equal(t.labelOf('acme'), OTHER_TENANT, 'no label before a check');
    // The scrape is the check: its tenants appear at once, at 0 (their 4 requests stay in other).
    const first = samples(await r.metrics());
    assert.equal(get(first, requests('other')), 4);
    assert.equal(get(first, requests('acme')), 0);
    assert.ok(first.has(requests('acme')) && first.has(requests('globex')));
    assert.equal(get(first, 'osproxy_tenant_labels_used'), 2);
    hit(t, 'acme', 2);
    const second = samples(await r.metrics());
    assert.equal(get(second, requests('acme')), 2);
    assert.equal(get(second, requests('other')), 4, 'earlier counts are never moved out of other');
    assert.equal(t.labelOf('acme'), 'acme');
  });

  it('records status classes, latency, bytes in and out, and refusals by error code', async () => {
    const { r, t } = fresh(5);
    hit(t, 'acme');
    t.promote();
    t.record('acme', 201, 0.003, 100, 50, undefined);
    t.record('acme', 429, 0.0001, 0, 120, 'tenant_rate_limited');
    t.record('acme', 404, 0.001, 0, 90, 'index_not_found');
    t.record('acme', 503, 0.2, 7, 80, 'upstream_breaker_open');
    t.record('acme', 304, 0.001, 0, 0, undefined);
    t.record(undefined, 401, 0.001, 0, 60, 'missing_credentials');
    const s = samples(await r.metrics());
    assert.equal(get(s, requests('acme', '2xx')), 1);
    assert.equal(get(s, requests('acme', '4xx')), 2);
    assert.equal(get(s, requests('acme', '5xx')), 1);
    assert.equal(get(s, requests('acme', '3xx')), 1);
    assert.equal(get(s, 'osproxy_tenant_bytes_total{tenant="acme",direction="in"}'), 107);
    assert.equal(get(s, 'osproxy_tenant_bytes_total{tenant="acme",direction="out"}'), 340);
    assert.equal(get(s, 'osproxy_tenant_rejections_total{tenant="acme",reason="tenant_rate_limited"}'), 1);
    assert.equal(get(s, 'osproxy_tenant_rejections_total{tenant="acme",reason="index_not_found"}'), 1);
    assert.equal(get(s, 'osproxy_tenant_rejections_total{tenant="acme",reason="upstream_breaker_open"}'), 1);
    assert.equal(get(s, 'osproxy_tenant_request_seconds_count{tenant="acme"}'), 5);
    assert.equal(get(s, 'osproxy_tenant_request_seconds_bucket{le="0.005",tenant="acme"}'), 4);
    assert.equal(get(s, 'osproxy_tenant_request_seconds_bucket{le="+Inf",tenant="acme"}'), 5);
    assert.ok(![...s.keys()].some((k) => k.includes('missing_credentials')), 'a request with no tenant is not a tenant series');
  });

  it('labels the busiest tenants, not the first ones seen', () => {
    const { t } = fresh(1);
    hit(t, 'early', 1);
    hit(t, 'busy', 100);
    assert.deepEqual(t.promote(), ['busy']);
    assert.equal(t.labelOf('early'), OTHER_TENANT);
  });

  it('stays within N labels + other with 10,000 tenants, and a busy tenant that appears late still gets a label', async () => {
    const limit = 10;
    const { r, t } = fresh(limit);
    const steady = ['s1', 's2'];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 10_000; i++) hit(t, `t${i}`);
      for (const s of steady) hit(t, s, 50);
      await r.metrics();
    }
    for (const s of steady) assert.equal(t.labelOf(s), s, 'the steady busy tenants were labelled at the first check');
    assert.ok(t.labelledCount < limit, `slots are handed out a half at a time: ${t.labelledCount} of ${limit} after 3 checks`);
    // A tenant that shows up only now, busier than anyone else, finds a slot at the next check.
    for (let i = 0; i < 10_000; i++) hit(t, `t${i}`);
    hit(t, 'late', 500);
    await r.metrics();
    assert.equal(t.labelOf('late'), 'late');
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 10_000; i++) hit(t, `t${i}`);
      await r.metrics();
    }
    const s = samples(await r.metrics());
    const labels = tenantLabels(s);
    assert.equal(t.labelledCount, limit, 'every slot in use in the end');
    assert.equal(labels.size, limit + 1, `labels: ${[...labels].join(',')}`);
    assert.ok(labels.has('other'));
    const series = [...s.keys()].filter((k) => k.startsWith('osproxy_tenant_requests_total{')).length;
    assert.equal(series, (limit + 1) * 3, 'three status classes per label, nothing per unlabelled tenant');
  });

  it('keeps every series monotonic across checks (no series drops or moves)', async () => {
    const { r, t } = fresh(3);
    let previous = new Map<string, number>();
    for (let round = 0; round < 12; round++) {
      // Traffic shifts: a different tenant is the busiest each round.
      for (let i = 0; i < 8; i++) hit(t, `x${i}`, i === round % 8 ? 40 : 1 + i);
      t.record(`x${round % 8}`, 429, 0.001, 0, 10, 'tenant_rate_limited');
      const now = samples(await r.metrics());
      for (const [key, v] of previous) {
        if (key === 'osproxy_tenant_labels_used') continue;
        assert.ok(now.has(key), `${key} disappeared in round ${round}`);
        assert.ok((now.get(key) ?? 0) >= v, `${key} went down in round ${round}: ${v} → ${now.get(key)}`);
      }
      previous = now;
    }
    assert.equal(t.labelledCount, 3);
    assert.equal(tenantLabels(previous).size, 4);
  });

  it('never labels a tenant named `other`, and labels none with a limit of 0', () => {
    const { t } = fresh(5);
    hit(t, OTHER_TENANT, 10);
    assert.deepEqual(t.promote(), []);
    const none = fresh(0).t;
    hit(none, 'acme', 10);
    assert.deepEqual(none.promote(), []);
    assert.equal(none.labelOf('acme'), OTHER_TENANT);
  });
});
