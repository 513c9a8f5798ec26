/**
 * The judge: reads a profile against thresholds (defaults below, or a YAML/JSON file overriding
 * any of them) and answers pass/fail per finding with the measured figure.
 *
 * Against the floor (a minimal Node forwarder) osproxy's CPU per request and throughput are judged
 * for single-document and search workloads: there the hop is what costs, and the floor shows what
 * Node itself costs for it. A bulk request's cost is the documents it carries, so bulk is judged
 * on documents per second against direct instead. Ratios to nginx are reported, not judged.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Finding, LevelResult, Profile, Verdict } from './profile.ts';

export const ThresholdsSchema = z
  .strictObject({
    added_p50_ms: z.number().min(0).default(0.5),
    added_p99_ms: z.number().min(0).default(2),
    throughput_ratio: z.number().min(0).default(0.85),
    /** osproxy's CPU per request ÷ the floor's (not for bulk). */
    cpu_vs_floor: z.number().min(0).default(1.2),
    /** osproxy's throughput ÷ the floor's (not for bulk). */
    throughput_vs_floor: z.number().min(0).default(0.85),
    /** Bulk: osproxy's documents per second ÷ direct's (replaces throughput_ratio). */
    bulk_docs_ratio: z.number().min(0).default(0.8),
    pool_reuse: z.number().min(0).max(1).default(0.99),
    tail_amplification: z.number().min(0).default(3),
    /** One worker, idle (issue 13: load only what serve needs). */
    idle_rss_mib: z.number().min(0).default(60),
    soak_growth_mib: z.number().min(0).default(16),
  })
  .prefault({});
export type Thresholds = z.infer<typeof ThresholdsSchema>;

export const DEFAULT_THRESHOLDS: Thresholds = ThresholdsSchema.parse(undefined);

/** Thresholds from a YAML or JSON file; unknown keys and bad values are named in the error. */
export function loadThresholds(file: string | undefined): Thresholds {
  if (file === undefined) return DEFAULT_THRESHOLDS;
  const parsed = ThresholdsSchema.safeParse(parseYaml(readFileSync(file, 'utf8')) ?? {});
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function finding(id: string, title: string, value: number | null | undefined, threshold: number, comparison: '<=' | '>=', unit: string): Finding {
  const v = value === undefined || value === null || Number.isNaN(value) ? null : value;
  const pass = v === null ? null : comparison === '<=' ? v <= threshold : v >= threshold;
  return { id, title, value: v, threshold, comparison, unit, pass };
}

function profiledLevel(profile: Profile): LevelResult | undefined {
  const { workers, concurrency } = profile.profileLevel;
  return profile.levels.find((l) => l.workers === workers && l.concurrency === concurrency);
}

/** Throughput findings: against direct and the floor, or for bulk documents per second against direct. */
function throughputFindings(profile: Profile, level: LevelResult | undefined, t: Thresholds, at: string): Finding[] {
  if (profile.workload === 'bulk') {
    const title = `documents/s proxy ÷ direct (${profile.docsPerRequest} per request) ${at}`;
    return [finding('bulk_docs_ratio', title, level?.overhead.throughputRatio, t.bulk_docs_ratio, '>=', 'ratio')];
  }
  return [
    finding('throughput_ratio', `throughput proxy ÷ direct ${at}`, level?.overhead.throughputRatio, t.throughput_ratio, '>=', 'ratio'),
    finding('cpu_vs_floor', `CPU per request proxy ÷ floor ${at}`, level?.versusFloor?.cpuPerRequest, t.cpu_vs_floor, '<=', 'ratio'),
    finding('throughput_vs_floor', `throughput proxy ÷ floor ${at}`, level?.versusFloor?.throughput, t.throughput_vs_floor, '>=', 'ratio'),
  ];
}

export function judge(profile: Profile, t: Thresholds): Verdict {
  const level = profiledLevel(profile);
  const workers = profile.profileLevel.workers;
  const sweep = profile.sweeps.find((s) => s.workers === workers);
  const footprint = profile.footprint.find((f) => f.workers === workers);
  const at = `at concurrency ${profile.profileLevel.concurrency}`;
  const findings = [
    finding('added_p50', `added p50 latency ${at}`, level?.overhead.addedP50, t.added_p50_ms, '<=', 'ms'),
    finding('added_p99', `added p99 latency ${at}`, level?.overhead.addedP99, t.added_p99_ms, '<=', 'ms'),
    ...throughputFindings(profile, level, t, at),
    finding('pool_reuse', `upstream connection reuse ${at}`, level?.proxy.pool?.reuseRate, t.pool_reuse, '>=', 'fraction'),
    finding('tail_amplification', 'proxy p99 at the highest ÷ lowest sweep concurrency', sweep?.tailAmplification.proxy, t.tail_amplification, '<=', 'ratio'),
    finding('idle_rss', 'proxy RSS when idle', footprint?.idleRssMib, t.idle_rss_mib, '<=', 'MiB'),
    finding('soak_growth', `proxy RSS growth after ${footprint?.soakRequests ?? 0} soak requests`, footprint?.growthMib, t.soak_growth_mib, '<=', 'MiB'),
  ];
  return { pass: findings.every((f) => f.pass !== false), findings };
}
