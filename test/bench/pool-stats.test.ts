import { test } from 'node:test';
import assert from 'node:assert/strict';
import { poolDelta, sumMetric } from '../../src/bench/pool-stats.ts';

const EXPOSITION = `# HELP osproxy_upstream_connections_opened Upstream connections opened
# TYPE osproxy_upstream_connections_opened gauge
osproxy_upstream_connections_opened{cluster="default"} 4
osproxy_upstream_connections_opened{cluster="eu"} 2
osproxy_upstream_connections_opened_total_not_this 99
osproxy_upstream_requests_dispatched{cluster="default"} 1000
`;

test('sumMetric adds every labelled sample of exactly that metric', () => {
  assert.equal(sumMetric(EXPOSITION, 'osproxy_upstream_connections_opened'), 6);
  assert.equal(sumMetric(EXPOSITION, 'osproxy_upstream_requests_dispatched'), 1000);
  assert.equal(sumMetric(EXPOSITION, 'missing_metric'), 0);
});

test('pool reuse over a run is the share of dispatches that did not open a connection', () => {
  const d = poolDelta({ opened: 10, dispatched: 500 }, { opened: 12, dispatched: 1500 });
  assert.deepEqual(d, { opened: 2, dispatched: 1000, reused: 998, reuseRate: 0.998 });
  assert.equal(poolDelta({ opened: 1, dispatched: 5 }, { opened: 1, dispatched: 5 }).reuseRate, null);
});
