/**
 * The shape of a benchmark run's results (`profile.json`) and of the judge's answer
 * (`verdict.json`). Latencies are milliseconds, throughput requests per second, memory MiB.
 */

/** Who the load generator talked to: the upstream itself, osproxy, or a plain reverse proxy (nginx). */
export type Side = 'direct' | 'proxy' | 'peer';

export interface LatencyStats {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** The proxy's upstream pool counters, diffed around one timed run. */
export interface PoolDelta {
  opened: number;
  dispatched: number;
  reused: number;
  /** reused ÷ dispatched; null when nothing was dispatched. */
  reuseRate: number | null;
}

/** One side measured at one concurrency (closed loop) or one arrival rate (open loop). */
export interface SideResult {
  side: Side;
  requests: number;
  /** Responses with status ≥ 300, and requests that failed without a response. */
  errors: number;
  seconds: number;
  throughput: number;
  latency: LatencyStats;
  /** Proxy side only: upstream connection reuse during this run. */
  pool?: PoolDelta;
}

/** What a proxy (osproxy or the peer) costs over the direct baseline at one level. */
export interface Overhead {
  /** max(0, proxy p50 − direct p50) — noise can make the proxy look faster; that counts as 0. */
  addedP50: number;
  addedP99: number;
  /** proxy req/s ÷ direct req/s. */
  throughputRatio: number;
}

/** Every side measured at one (proxy workers, concurrency) point. */
export interface LevelResult {
  workers: number;
  concurrency: number;
  direct: SideResult;
  proxy: SideResult;
  peer?: SideResult;
  overhead: Overhead;
  peerOverhead?: Overhead;
}

/** The scalability curve of one worker count over the concurrency sweep. */
export interface SweepSummary {
  workers: number;
  concurrencies: number[];
  /** p99 at the highest concurrency ÷ p99 at the lowest, per side. */
  tailAmplification: { direct: number; proxy: number };
  /** Throughput at the highest concurrency ÷ throughput at the lowest, per side. */
  throughputScaling: { direct: number; proxy: number };
}

export interface Footprint {
  workers: number;
  idleRssMib: number | null;
  /** After the timed runs, just before the soak: the working set under load. */
  beforeSoakRssMib: number | null;
  soakRequests: number;
  afterSoakRssMib: number | null;
  /** After the soak minus idle: what the judge reads. */
  growthMib: number | null;
}

/** One hot function from the proxy's CPU profile. */
export interface HotFunction {
  name: string;
  location: string;
  selfMs: number;
  selfPercent: number;
}

export interface Profile {
  version: 1;
  startedAt: string;
  durationSeconds: number;
  environment: { node: string; platform: string; cpus: number; upstream: string; upstreamKind: 'engine' | 'external'; proxy: string; peer: string | null; peerNote?: string };
  workload: string;
  docSizeBytes: number;
  corpusDocs: number;
  mode: 'closed' | 'open';
  /** Open loop: the fixed arrival rate per side (req/s). */
  rate?: number;
  /** Per side and level: a duration in seconds or a request count. */
  budget: { seconds?: number; requests?: number };
  levels: LevelResult[];
  /** The level the judge reads (single worker, the profile concurrency). */
  profileLevel: { workers: number; concurrency: number };
  sweeps: SweepSummary[];
  footprint: Footprint[];
  cpuProfile?: { file: string; totalMs: number; top: HotFunction[] };
}

export interface Finding {
  id: string;
  title: string;
  /** The measured figure; null when it could not be measured (then `pass` is null too). */
  value: number | null;
  threshold: number;
  comparison: '<=' | '>=';
  unit: string;
  pass: boolean | null;
}

export interface Verdict {
  /** True when no finding failed (unmeasured findings do not fail the run). */
  pass: boolean;
  findings: Finding[];
}
