/**
 * The configuration sweep: `--sweep writers=2,3,4 rate=5,10 overlap=0.1,0.5` is every combination
 * of those values; the boundaries are the neighbouring points (differing in one dimension) between
 * which a scenario's error rate crosses the threshold.
 */
import type { WorkloadConfig } from './workload-config.ts';

const DIMENSIONS: Record<string, keyof WorkloadConfig> = {
  tenants: 'tenants', writers: 'writers', readers: 'readers', rate: 'writeRate', 'write-rate': 'writeRate', 'read-rate': 'readRate', overlap: 'overlap', keys: 'keys',
};

export type SweepAxis = { name: string; field: keyof WorkloadConfig; values: number[] };

export function parseSweep(spec: readonly string[]): SweepAxis[] {
  return spec.map((part) => {
    const [name, list] = part.split('=');
    const field = DIMENSIONS[name];
    if (field === undefined || list === undefined) throw new Error(`--sweep: "${part}" is not <dimension>=<v1,v2,…> with a dimension of ${Object.keys(DIMENSIONS).join(', ')}`);
    const values = list.split(',').map(Number);
    if (values.some((v) => !Number.isFinite(v) || v < 0)) throw new Error(`--sweep: ${name} takes non-negative numbers`);
    return { name, field, values };
  });
}

export function sweepPoints(base: WorkloadConfig, axes: readonly SweepAxis[]): WorkloadConfig[] {
  let points: WorkloadConfig[] = [base];
  for (const axis of axes) points = points.flatMap((p) => axis.values.map((v) => ({ ...p, [axis.field]: v })));
  return points;
}

export interface SweepSample {
  scenario: string;
  config: WorkloadConfig;
  errorRate: number;
}

/** Lines such as `baseline: writers 3 → 4 (error rate 0.2% → 4.1%) crosses 1%`. */
export function boundaries(samples: readonly SweepSample[], axes: readonly SweepAxis[], threshold: number): string[] {
  const out: string[] = [];
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  for (const axis of axes) {
    const others = (c: WorkloadConfig): string => JSON.stringify({ ...c, [axis.field]: null });
    const groups = new Map<string, SweepSample[]>();
    for (const s of samples) {
      const k = `${s.scenario}|${others(s.config)}`;
      groups.set(k, [...(groups.get(k) ?? []), s]);
    }
    for (const group of groups.values()) {
      const sorted = [...group].sort((a, b) => a.config[axis.field] - b.config[axis.field]);
      for (let i = 1; i < sorted.length; i++) {
        const [a, b] = [sorted[i - 1], sorted[i]];
        if (a.errorRate <= threshold !== b.errorRate <= threshold) {
          out.push(`${a.scenario}: ${axis.name} ${a.config[axis.field]} → ${b.config[axis.field]} (error rate ${pct(a.errorRate)} → ${pct(b.errorRate)}) crosses ${pct(threshold)}`);
        }
      }
    }
  }
  return out;
}
