/**
 * Latency recording for the benchmark: an HDR histogram in microseconds (3 significant digits, so
 * a percentile is exact to 0.1%), summarised with HdrHistogram's nearest-rank percentiles.
 */
import { build, type Histogram } from 'hdr-histogram-js';
import type { LatencyStats } from './profile.ts';

const HIGHEST_TRACKABLE_US = 3_600_000_000; // one hour

export class LatencyHistogram {
  private readonly histogram: Histogram = build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_US,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });

  /** Records one latency in milliseconds (sub-microsecond latencies count as 1 µs). */
  record(ms: number): void {
    const us = Math.min(HIGHEST_TRACKABLE_US, Math.max(1, Math.round(ms * 1000)));
    this.histogram.recordValue(us);
  }

  /** Adds every value recorded in `other` (a side's rounds into one distribution). */
  add(other: LatencyHistogram): void {
    this.histogram.add(other.histogram);
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  /** Nearest-rank percentile in milliseconds (NaN when empty). */
  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    return this.histogram.getValueAtPercentile(p) / 1000;
  }

  summary(): LatencyStats {
    if (this.count === 0) return { count: 0, min: NaN, mean: NaN, p50: NaN, p90: NaN, p99: NaN, max: NaN };
    return {
      count: this.count,
      min: this.histogram.minNonZeroValue / 1000,
      mean: this.histogram.mean / 1000,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p99: this.percentile(99),
      max: this.histogram.maxValue / 1000,
    };
  }
}
