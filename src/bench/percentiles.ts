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

/** What the proxy adds over the direct baseline, never negative (noise can make the proxy look faster). */
export function addedLatency(proxy: number, direct: number): number {
  return Math.max(0, proxy - direct);
}
