/** Synthetic bench profiles and verdicts (src/bench/profile.ts) with plausible, deterministic figures. */
import { levelResult as assembleLevel, sweepSummaries } from '../../src/bench/analysis.ts';
import type { Finding, LevelResult, Profile, RoundResult, Side, SideResult, Verdict } from '../../src/bench/profile.ts';

export interface BenchProfileOptions {
  /** Proxy worker counts; default [1]. */
  workers?: number[];
  /** Concurrencies measured for every worker count; default [1, 4, 16, 64]. */
  concurrencies?: number[];
  /** Include the nginx peer; default false. */
  peer?: boolean;
  /** Include the floor; default true. */
  floor?: boolean;
  cpuProfile?: boolean;
  /** The level the judge reads; default the first worker count at the middle concurrency. */
  profileLevel?: { workers: number; concurrency: number };
}

const SECONDS = 10;
const ROUNDS = 3;
/** Hop CPU µs per request per side (direct has no hop). */
const HOP_CPU: Record<Side, number | null> = { direct: null, proxy: 80, peer: 30, floor: 75 };
const UPSTREAM_CPU = 150;

/** ROUNDS rounds around `throughput` and `hop` (the middle one exactly), so medians are the given figures. */
function rounds(throughput: number, hop: number | null, requests: number, errors: number): RoundResult[] {
  return [0.9, 1, 1.05].map((f, k) => ({
    round: k + 1,
    requests: Math.round(requests / ROUNDS),
    errors: k === 0 ? errors : 0,
    seconds: SECONDS / ROUNDS,
    throughput: throughput * f,
    cpuUsPerRequest: { hop: hop === null ? null : hop / f, upstream: UPSTREAM_CPU / f, client: 40 / f },
  }));
}

/** One side at one level: latency grows with concurrency, the proxy adds a little, more workers help. */
export function sideResult(side: Side, workers: number, concurrency: number): SideResult {
  const base = 1 + 0.04 * concurrency;
  const added = { direct: 0, proxy: 0.3 + (0.02 * concurrency) / workers, peer: 0.2 + 0.01 * concurrency, floor: 0.25 + 0.012 * concurrency }[side];
  const p50 = base + added;
  const mean = p50 * 1.1;
  const throughput = (1000 * concurrency) / mean;
  const requests = Math.round(throughput * SECONDS);
  const errors = side === 'proxy' && concurrency >= 64 ? 3 : 0;
  const hop = HOP_CPU[side] === null ? null : (HOP_CPU[side] as number) + concurrency / workers;
  return {
    side,
    requests,
    errors,
    seconds: SECONDS,
    throughput,
    latency: { count: requests, min: p50 * 0.4, mean, p50, p90: p50 * 1.6, p99: p50 * (2.5 + concurrency / 32), max: p50 * 6 },
    cpuUsPerRequest: { hop, upstream: UPSTREAM_CPU, client: 40 },
    rounds: rounds(throughput, hop, requests, errors),
    ...(side === 'proxy' ? { pool: { opened: concurrency, dispatched: requests, reused: requests - concurrency, reuseRate: (requests - concurrency) / requests } } : {}),
  };
}

export function levelResult(workers: number, concurrency: number, peer: boolean, floor = true): LevelResult {
  return assembleLevel(workers, concurrency, {
    direct: sideResult('direct', workers, concurrency),
    proxy: sideResult('proxy', workers, concurrency),
    peer: peer ? sideResult('peer', workers, concurrency) : undefined,
    floor: floor ? sideResult('floor', workers, concurrency) : undefined,
  });
}

export function benchProfile(opts: BenchProfileOptions = {}): Profile {
  const workers = opts.workers ?? [1];
  const concurrencies = opts.concurrencies ?? [1, 4, 16, 64];
  const peer = opts.peer ?? false;
  const levels = workers.flatMap((w) => concurrencies.map((c) => levelResult(w, c, peer, opts.floor ?? true)));
  const profile: Profile = {
    version: 2,
    startedAt: '2025-01-02T03:04:05.000Z',
    durationSeconds: 312,
    environment: {
      node: 'v20.18.1',
      platform: 'linux x64',
      cpus: 8,
      upstream: 'http://127.0.0.1:9200',
      upstreamKind: 'engine',
      proxy: 'http://127.0.0.1:8080',
      peer: peer ? 'nginx/1.24.0' : null,
      ...(peer ? {} : { peerNote: 'nginx not found on PATH' }),
    },
    workload: 'search',
    docSizeBytes: 1024,
    docsPerRequest: 1,
    corpusDocs: 10_000,
    mode: 'closed',
    budget: { seconds: SECONDS, rounds: ROUNDS },
    levels,
    profileLevel: opts.profileLevel ?? { workers: workers[0], concurrency: concurrencies[Math.floor((concurrencies.length - 1) / 2)] },
    sweeps: sweepSummaries(levels),
    footprint: workers.map((w) => ({ workers: w, settleSeconds: 15, idleRssMib: 48 + 30 * w, beforeSoakRssMib: 51 + 30 * w, soakRequests: 50_000, justAfterSoakRssMib: 60 + 30 * w, afterSoakRssMib: 52 + 30 * w, growthMib: 4 })),
  };
  if (opts.cpuProfile) {
    profile.cpuProfile = {
      file: 'proxy.cpuprofile',
      totalMs: 9876.5,
      top: [
        { name: 'parseSearchBody', location: 'src/proxy/search.ts:42', selfMs: 812.25, selfPercent: 8.22 },
        { name: '', location: 'node:internal/streams|readable:123', selfMs: 401, selfPercent: 4.06 },
      ],
    };
  }
  return profile;
}

export function finding(id: string, title: string, value: number | null, threshold: number, comparison: '<=' | '>=', unit: string): Finding {
  const pass = value === null ? null : comparison === '<=' ? value <= threshold : value >= threshold;
  return { id, title, value, threshold, comparison, unit, pass };
}

/** A verdict with passing, failing and unmeasured findings (so it fails). */
export function benchVerdict(findings?: Finding[]): Verdict {
  const list = findings ?? [
    finding('added_p50', 'added p50 latency', 0.4567, 1, '<=', 'ms'),
    finding('added_p99', 'added p99 latency', 7.5, 5, '<=', 'ms'),
    finding('throughput_ratio', 'throughput vs direct', 0.934, 0.8, '>=', 'ratio'),
    finding('pool_reuse', 'upstream connection reuse', null, 0.99, '>=', 'fraction'),
    finding('idle_rss', 'idle RSS', 62.25, 150, '<=', 'MiB'),
  ];
  return { pass: !list.some((f) => f.pass === false), findings: list };
}
