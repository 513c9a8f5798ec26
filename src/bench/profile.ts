/**
 * The shape of a benchmark run's results (`profile.json`) and of the judge's answer
 * (`verdict.json`). Latencies are milliseconds, throughput requests per second, memory MiB.
 */

/**
 * Who the load generator talked to: the upstream itself, osproxy, a plain reverse proxy (nginx),
 * or the floor (a minimal node:http + undici forwarder: what Node itself costs for the hop).
 */
export type Side = 'direct' | 'proxy' | 'peer' | 'floor';

/** The sides in the order they run in every round. */
export const SIDE_ORDER: readonly Side[] = ['direct', 'proxy', 'peer', 'floor'];

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

/**
 * CPU time per request in microseconds (user + system, from /proc/<pid>/stat), null where it
 * could not be read (a process the bench did not start, or a round without requests).
 */
export interface CpuPerRequest {
  /** The side's own hop: osproxy (primary + workers), nginx (master + worker), the floor; null for direct. */
  hop: number | null;
  /** The upstream (the engine the bench started) while this side ran. */
  upstream: number | null;
  /** The load generator itself. */
  client: number | null;
}

/** One timed round of one side. */
export interface RoundResult {
  /** 1-based. */
  round: number;
  requests: number;
  errors: number;
  seconds: number;
  throughput: number;
  cpuUsPerRequest: CpuPerRequest;
}

/** One side measured at one concurrency (closed loop) or one arrival rate (open loop), over its rounds. */
export interface SideResult {
  side: Side;
  /** Over all rounds. */
  requests: number;
  /** Responses with status ≥ 300, and requests that failed without a response (all rounds). */
  errors: number;
  /** Timed seconds over all rounds. */
  seconds: number;
  /** The median round's requests per second. */
  throughput: number;
  /** Over every sample of every round. */
  latency: LatencyStats;
  /** Each figure the median over the rounds. */
  cpuUsPerRequest: CpuPerRequest;
  rounds: RoundResult[];
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

/** osproxy against another hop (the floor or the peer) at one level, as osproxy ÷ the other. */
export interface HopRatio {
  /** Hop CPU per request; null when either side's CPU was not read. */
  cpuPerRequest: number | null;
  throughput: number;
}

/** Every side measured at one (proxy workers, concurrency) point. */
export interface LevelResult {
  workers: number;
  concurrency: number;
  direct: SideResult;
  proxy: SideResult;
  peer?: SideResult;
  floor?: SideResult;
  overhead: Overhead;
  peerOverhead?: Overhead;
  floorOverhead?: Overhead;
  versusFloor?: HopRatio;
  versusPeer?: HopRatio;
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
  /** Quiet seconds before the idle and after-soak readings. */
  settleSeconds: number;
  idleRssMib: number | null;
  /** After the timed runs, just before the soak: the working set under load. */
  beforeSoakRssMib: number | null;
  soakRequests: number;
  /** One second after the soak: what the burst still holds (young generation, garbage). */
  justAfterSoakRssMib: number | null;
  /** After the settle: what the soak left resident. */
  afterSoakRssMib: number | null;
  /** After the soak (settled) minus idle: what the judge reads. */
  growthMib: number | null;
}

/**
 * The floor forwarder's resident memory, measured like the proxy's: what Node plus undici need for
 * the same hop, idle and after its rounds (the proxy's RSS figures read against it).
 */
export interface FloorFootprint {
  idleRssMib: number | null;
  afterRoundsRssMib: number | null;
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
  /** 2: sides run in interleaved rounds, CPU per request per side, the floor side. */
  version: 2;
  startedAt: string;
  durationSeconds: number;
  environment: { node: string; platform: string; cpus: number; upstream: string; upstreamKind: 'engine' | 'external'; proxy: string; peer: string | null; peerNote?: string };
  workload: string;
  docSizeBytes: number;
  /** Documents each request carries: the bulk size for bulk, 1 otherwise (docs/s = req/s × this). */
  docsPerRequest: number;
  corpusDocs: number;
  mode: 'closed' | 'open';
  /** Open loop: the fixed arrival rate per side (req/s). */
  rate?: number;
  /** Per side and level: a duration in seconds or a request count, split evenly into `rounds`. */
  budget: { seconds?: number; requests?: number; rounds: number };
  levels: LevelResult[];
  /** The level the judge reads (single worker, the profile concurrency). */
  profileLevel: { workers: number; concurrency: number };
  sweeps: SweepSummary[];
  footprint: Footprint[];
  /** Absent in profiles written before it was measured. */
  floorFootprint?: FloorFootprint;
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
