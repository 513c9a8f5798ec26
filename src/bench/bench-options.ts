/**
 * `osproxy bench` options: parsed from the command line (commander hands over strings) and checked
 * into one `BenchOptions`, with errors that name the option.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { WORKLOADS, type WorkloadName } from './workloads.ts';

export interface BenchOptions {
  /** Upstream URL; undefined = start the embedded engine. */
  upstream?: string;
  /** An already running proxy (configured with tenant `bench` in shared placement) instead of starting one. */
  proxy?: { url: string; token: string; operatorToken?: string };
  workload: WorkloadName;
  docSize: number;
  /** Concurrency levels, ascending; one entry without a sweep. */
  concurrencies: number[];
  /** The level the judge reads. */
  profileConcurrency: number;
  /** Open loop: arrivals per second per side; undefined = closed loop. */
  rate?: number;
  /** The budget per side and level (one of the two), split evenly into `rounds`. */
  durationSeconds?: number;
  requests?: number;
  /** Timed rounds per level: the sides interleave, one run each per round. */
  rounds: number;
  warmupSeconds: number;
  peer?: 'nginx';
  out: string;
  /** Proxy worker counts, ascending; the first is the one profiled. */
  workers: number[];
  soakRequests: number;
  /** Quiet seconds before an idle or after-soak RSS reading (what stays resident, not what a burst left in flight). */
  settleSeconds: number;
  bulkBatch: number;
  thresholdsFile?: string;
  cpuProfile: boolean;
  progress: boolean;
}

/** What commander gives us (every value a string, flags booleans). */
export interface RawBenchOptions {
  upstream?: string;
  engine?: boolean;
  proxy?: string;
  token?: string;
  operatorToken?: string;
  workload: string;
  docSize: string;
  concurrency?: string;
  sweep?: string;
  rate?: string;
  duration?: string;
  requests?: string;
  rounds?: string;
  roundSeconds?: string;
  warmup: string;
  peer?: string;
  out?: string;
  workers?: string;
  soak: string;
  settle: string;
  bulkSize: string;
  thresholds?: string;
  cpuProfile?: boolean;
  progress: boolean;
}

export class BenchOptionError extends Error {}

function positiveInt(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new BenchOptionError(`--${name} must be a positive integer, got "${raw}"`);
  return n;
}

function positiveNumber(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new BenchOptionError(`--${name} must be a positive number, got "${raw}"`);
  return n;
}

function nonNegative(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new BenchOptionError(`--${name} must be zero or a positive number, got "${raw}"`);
  return n;
}

/** "1,8,32,64" → [1, 8, 32, 64] (sorted, unique). */
export function intList(name: string, raw: string): number[] {
  const values = raw.split(',').map((s) => positiveInt(name, s.trim()));
  return [...new Set(values)].sort((a, b) => a - b);
}

/** The sweep level closest to 16 (the issue's reference concurrency); ties go to the lower one. */
export function defaultProfileConcurrency(levels: readonly number[]): number {
  return levels.reduce((best, c) => (Math.abs(c - 16) < Math.abs(best - 16) ? c : best), levels[0]);
}

function workloadName(raw: string): WorkloadName {
  if (!(WORKLOADS as readonly string[]).includes(raw)) throw new BenchOptionError(`--workload must be one of ${WORKLOADS.join(', ')}, got "${raw}"`);
  return raw as WorkloadName;
}

function concurrencyLevels(raw: RawBenchOptions): { concurrencies: number[]; profileConcurrency: number } {
  const single = raw.concurrency === undefined ? undefined : positiveInt('concurrency', raw.concurrency);
  if (raw.sweep === undefined) return { concurrencies: [single ?? 16], profileConcurrency: single ?? 16 };
  const sweep = intList('sweep', raw.sweep);
  if (single === undefined) return { concurrencies: sweep, profileConcurrency: defaultProfileConcurrency(sweep) };
  return { concurrencies: [...new Set([...sweep, single])].sort((a, b) => a - b), profileConcurrency: single };
}

function proxyTarget(raw: RawBenchOptions): BenchOptions['proxy'] {
  if (raw.proxy === undefined) return undefined;
  const token = raw.token ?? process.env.OSPROXY_BENCH_TOKEN;
  if (token === undefined) throw new BenchOptionError('--proxy needs the bench tenant\'s token (--token or OSPROXY_BENCH_TOKEN)');
  return { url: raw.proxy, token, operatorToken: raw.operatorToken ?? process.env.OSPROXY_BENCH_OPERATOR_TOKEN };
}

function defaultWorkers(): string {
  const cores = availableParallelism();
  return cores > 1 ? `1,${cores}` : '1';
}

const DEFAULT_ROUNDS = 5;
const DEFAULT_ROUND_SECONDS = 1;

/** The budget per side and level: `--duration`, `--requests` (both split into the rounds) or `--round-seconds` × rounds. */
function budget(raw: RawBenchOptions): { durationSeconds?: number; requests?: number; rounds: number } {
  const given = (['duration', 'requests', 'roundSeconds'] as const).filter((k) => raw[k] !== undefined);
  if (given.length > 1) throw new BenchOptionError(`give only one of --duration, --requests, --round-seconds (got ${given.map(flag).join(' and ')})`);
  const rounds = raw.rounds === undefined ? DEFAULT_ROUNDS : positiveInt('rounds', raw.rounds);
  if (raw.requests !== undefined) {
    const requests = positiveInt('requests', raw.requests);
    if (requests < rounds) throw new BenchOptionError(`--requests ${requests} cannot fill ${rounds} rounds (--rounds)`);
    return { requests, rounds };
  }
  if (raw.duration !== undefined) return { durationSeconds: positiveNumber('duration', raw.duration), rounds };
  const perRound = raw.roundSeconds === undefined ? DEFAULT_ROUND_SECONDS : positiveNumber('round-seconds', raw.roundSeconds);
  return { durationSeconds: perRound * rounds, rounds };
}

const flag = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

export function checkBenchOptions(raw: RawBenchOptions, now = new Date()): BenchOptions {
  if (raw.upstream !== undefined && raw.engine === true) throw new BenchOptionError('give --upstream URL or --engine, not both');
  if (raw.peer !== undefined && raw.peer !== 'nginx') throw new BenchOptionError(`--peer supports only nginx, got "${raw.peer}"`);
  const workload = workloadName(raw.workload);
  const proxy = proxyTarget(raw);
  const workers = proxy === undefined ? intList('workers', raw.workers ?? defaultWorkers()) : [1];
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return {
    upstream: raw.upstream,
    proxy,
    workload,
    docSize: positiveInt('doc-size', raw.docSize),
    ...concurrencyLevels(raw),
    rate: raw.rate === undefined ? undefined : positiveNumber('rate', raw.rate),
    ...budget(raw),
    warmupSeconds: nonNegative('warmup', raw.warmup),
    peer: raw.peer === 'nginx' ? 'nginx' : undefined,
    out: raw.out ?? join('bench-results', `${workload}-${stamp}`),
    workers,
    soakRequests: Math.round(nonNegative('soak', raw.soak)),
    settleSeconds: nonNegative('settle', raw.settle),
    bulkBatch: positiveInt('bulk-size', raw.bulkSize),
    thresholdsFile: raw.thresholds,
    cpuProfile: raw.cpuProfile === true,
    progress: raw.progress,
  };
}
