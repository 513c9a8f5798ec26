import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregatorRegistry } from '../../src/core/prom-parts.ts';
import { ProxyMetrics } from '../../src/observe/metrics.ts';
import type { UpstreamCluster } from '../../src/upstream/cluster.ts';
import type { BreakerState } from '../../src/upstream/breaker.ts';

/*
 * `serve --workers N` sums every worker's registry (observe/cluster-metrics.ts): counters and
 * histograms must add up, while states that every worker holds alike (breaker state, snapshot
 * age, directives in force, labels used) must not be multiplied by N.
 */

/** What ProxyMetrics reads of a cluster. */
const cluster = (id: string, state: BreakerState, opened: number): UpstreamCluster =>
  ({ id, breaker: { state }, stats: { opened, dispatched: opened * 10, reused: opened * 9 } }) as unknown as UpstreamCluster;

function worker(opts: { breaker: BreakerState; ageSeconds: number; acme: number }): ProxyMetrics {
  const m = new ProxyMetrics(() => [cluster('default', 'closed', 2), cluster('big', opts.breaker, 1)], () => 0, { tenantLabelLimit: 5 });
  m.watchControlSnapshot(() => opts.ageSeconds, { full: 1, changes: 4, fullDocs: 10, changeDocs: 2 });
  m.directives.watchActive(() => 3);
  for (let i = 0; i < opts.acme; i++) m.tenants.record('acme', 200, 0.01, 5, 7, undefined);
  m.tenants.record('acme', 429, 0.001, 0, 3, 'tenant_rate_limited');
  m.tenants.promote();
  for (let i = 0; i < opts.acme; i++) m.tenants.record('acme', 200, 0.01, 5, 7, undefined);
  m.tenants.record('acme', 429, 0.001, 0, 3, 'tenant_rate_limited');
  m.directives.matched();
  m.directives.header('accepted');
  return m;
}

const value = (text: string, series: string): number => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  assert.ok(line, `${series} in the aggregate`);
  return Number(line.slice(series.length + 1));
};

test('the new series aggregate across workers: counters and histograms sum, states take the max', async () => {
  const a = worker({ breaker: 'open', ageSeconds: 3, acme: 4 });
  const b = worker({ breaker: 'closed', ageSeconds: 5, acme: 6 });
  const text = await aggregatorRegistry().aggregate([await a.registry.getMetricsAsJSON(), await b.registry.getMetricsAsJSON()]).metrics();
  // Counts made before the label (at the check) stay in other, in each worker.
  assert.equal(value(text, 'osproxy_tenant_requests_total{tenant="acme",status_class="2xx"}'), 10);
  assert.equal(value(text, 'osproxy_tenant_requests_total{tenant="other",status_class="2xx"}'), 10);
  assert.equal(value(text, 'osproxy_tenant_requests_total{tenant="acme",status_class="4xx"}'), 2);
  assert.equal(value(text, 'osproxy_tenant_rejections_total{tenant="acme",reason="tenant_rate_limited"}'), 2);
  assert.equal(value(text, 'osproxy_tenant_bytes_total{tenant="acme",direction="in"}'), 50);
  assert.equal(value(text, 'osproxy_tenant_request_seconds_count{tenant="acme"}'), 12);
  assert.equal(value(text, 'osproxy_tenant_request_seconds_bucket{le="0.025",tenant="acme"}'), 12);
  assert.equal(value(text, 'osproxy_directive_matches_total'), 2);
  assert.equal(value(text, 'osproxy_debug_headers_total{outcome="accepted"}'), 2);
  assert.equal(value(text, 'osproxy_control_reads_total{kind="changes"}'), 8);
  assert.equal(value(text, 'osproxy_upstream_connections_opened{cluster="default"}'), 4);
  // States: never a sum.
  assert.equal(value(text, 'osproxy_upstream_breaker_open{cluster="big"}'), 2, 'open in one worker: open');
  assert.equal(value(text, 'osproxy_upstream_breaker_open{cluster="default"}'), 0);
  assert.equal(value(text, 'osproxy_control_snapshot_age_seconds'), 5, 'the oldest snapshot of any worker');
  assert.equal(value(text, 'osproxy_directives_active'), 3);
  assert.equal(value(text, 'osproxy_tenant_labels_used'), 1);
  for (const name of ['osproxy_tenant_requests_total', 'osproxy_tenant_request_seconds', 'osproxy_directives_active', 'osproxy_killswitch_refusals_total']) {
    assert.equal(text.match(new RegExp(`^# TYPE ${name} `, 'gm'))?.length, 1, `${name} declared once`);
  }
});
