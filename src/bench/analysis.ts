/**
 * Derived figures: what a proxy adds over the direct baseline at one level, how osproxy compares
 * with another hop (the floor, the peer), and the scalability of each worker count over the
 * concurrency sweep.
 */
import { addedLatency } from './percentiles.ts';
import type { HopRatio, LevelResult, Overhead, SideResult, SweepSummary } from './profile.ts';

function ratio(a: number, b: number): number {
  return b > 0 ? a / b : Number.NaN;
}

export function overhead(proxy: SideResult, direct: SideResult): Overhead {
  return {
    addedP50: addedLatency(proxy.latency.p50, direct.latency.p50),
    addedP99: addedLatency(proxy.latency.p99, direct.latency.p99),
    throughputRatio: ratio(proxy.throughput, direct.throughput),
  };
}

/** osproxy ÷ `other` for hop CPU per request and throughput (both from the sides' median rounds). */
export function hopRatio(proxy: SideResult, other: SideResult): HopRatio {
  const mine = proxy.cpuUsPerRequest.hop;
  const theirs = other.cpuUsPerRequest.hop;
  return {
    cpuPerRequest: mine === null || theirs === null || !(theirs > 0) ? null : mine / theirs,
    throughput: ratio(proxy.throughput, other.throughput),
  };
}

/** The sides measured at one level, with every derived figure. */
export function levelResult(workers: number, concurrency: number, sides: { direct: SideResult; proxy: SideResult; peer?: SideResult; floor?: SideResult }): LevelResult {
  const { direct, proxy, peer, floor } = sides;
  return {
    workers,
    concurrency,
    direct,
    proxy,
    overhead: overhead(proxy, direct),
    ...(peer === undefined ? {} : { peer, peerOverhead: overhead(peer, direct), versusPeer: hopRatio(proxy, peer) }),
    ...(floor === undefined ? {} : { floor, floorOverhead: overhead(floor, direct), versusFloor: hopRatio(proxy, floor) }),
  };
}

/** One summary per worker count that was measured at two or more concurrencies. */
export function sweepSummaries(levels: readonly LevelResult[]): SweepSummary[] {
  const byWorkers = new Map<number, LevelResult[]>();
  for (const l of levels) byWorkers.set(l.workers, [...(byWorkers.get(l.workers) ?? []), l]);
  const out: SweepSummary[] = [];
  for (const [workers, list] of byWorkers) {
    if (list.length < 2) continue;
    const sorted = [...list].sort((a, b) => a.concurrency - b.concurrency);
    const low = sorted[0];
    const high = sorted[sorted.length - 1];
    out.push({
      workers,
      concurrencies: sorted.map((l) => l.concurrency),
      tailAmplification: { direct: ratio(high.direct.latency.p99, low.direct.latency.p99), proxy: ratio(high.proxy.latency.p99, low.proxy.latency.p99) },
      throughputScaling: { direct: ratio(high.direct.throughput, low.direct.throughput), proxy: ratio(high.proxy.throughput, low.proxy.throughput) },
    });
  }
  return out;
}
