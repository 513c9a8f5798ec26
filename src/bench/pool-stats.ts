/**
 * The proxy's upstream pool counters, scraped from `/_osproxy/metrics` (operator token) and
 * summed over clusters, so that a timed run's connection reuse is the difference around it.
 */
import type { Pool } from 'undici';
import type { PoolDelta } from './profile.ts';

export interface PoolCounters {
  opened: number;
  dispatched: number;
}

const METRICS: Record<keyof PoolCounters, string> = {
  opened: 'osproxy_upstream_connections_opened',
  dispatched: 'osproxy_upstream_requests_dispatched',
};

/** Sums every sample of `name` (any labels) in a Prometheus text exposition. */
export function sumMetric(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== '{' && line[name.length] !== ' ')) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}

export async function readPoolCounters(proxy: Pool, operatorToken: string): Promise<PoolCounters> {
  const res = await proxy.request({ method: 'GET', path: '/_osproxy/metrics', headers: { authorization: `Bearer ${operatorToken}` } });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`proxy metrics answered ${res.statusCode}: ${text.slice(0, 200)}`);
  return { opened: sumMetric(text, METRICS.opened), dispatched: sumMetric(text, METRICS.dispatched) };
}

/** Reuse over a run: requests dispatched on an already open connection ÷ requests dispatched. */
export function poolDelta(before: PoolCounters, after: PoolCounters): PoolDelta {
  const opened = Math.max(0, after.opened - before.opened);
  const dispatched = Math.max(0, after.dispatched - before.dispatched);
  const reused = Math.max(0, dispatched - opened);
  return { opened, dispatched, reused, reuseRate: dispatched === 0 ? null : reused / dispatched };
}
