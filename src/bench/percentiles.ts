/**
 * Latency summaries for the benchmarks: nearest-rank percentiles (SPEC §8) over an ascending array
 * of milliseconds, and the saturating "added latency" of the proxy over the direct baseline.
 */

/** Nearest-rank percentile of an ascending array: the smallest value with ≥ p% of samples at or below it. */
export function nearestRank(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (p <= 0) return sorted[0];
  const rank = Math.ceil((Math.min(p, 100) / 100) * sorted.length);
  return sorted[rank - 1];
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** p50/p90/p99/max of an ascending array of latencies. */
export function summarize(sorted: readonly number[]): LatencySummary {
  return {
    p50: nearestRank(sorted, 50),
    p90: nearestRank(sorted, 90),
    p99: nearestRank(sorted, 99),
    max: nearestRank(sorted, 100),
  };
}

/** What the proxy adds over the direct baseline, never negative (noise can make the proxy look faster). */
export function addedLatency(proxy: number, direct: number): number {
  return Math.max(0, proxy - direct);
}
