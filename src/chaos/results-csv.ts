/** `results.csv`: a fixed header, one row per scenario (per scenario × sweep point in a sweep); first columns `scenario,config`. */
import { OP_KINDS, VERIFIERS } from './history.ts';
import type { ScenarioResult } from './run-scenario.ts';

const ERROR_KINDS = ['409', '429', '503', '5xx', '4xx', 'no_answer'] as const;

export const CSV_HEADER: readonly string[] = [
  'scenario', 'config', 'duration_s', 'operations', 'ok', 'failed', 'unknown', 'error_rate',
  ...ERROR_KINDS.map((k) => `errors_${k}`),
  'retries', 'retry_success_rate', 'tps',
  ...OP_KINDS.flatMap((k) => [`${k}_p50_ms`, `${k}_p95_ms`, `${k}_p99_ms`]),
  ...VERIFIERS.map((v) => `anomalies_${v.replaceAll('-', '_')}`),
  'faults_fired', 'pass',
];

const cell = (v: string | number): string => {
  if (typeof v === 'number') return Number.isFinite(v) ? String(Math.round(v * 1000) / 1000) : '';
  return /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
};

/** Failed and unknown operations over all operations. */
export const errorRate = (r: ScenarioResult): number => (r.operations === 0 ? 0 : (r.failed + r.unknown) / r.operations);

export function csvRow(r: ScenarioResult): string {
  const values: (string | number)[] = [
    r.scenario, r.config, r.durationS, r.operations, r.ok, r.failed, r.unknown, errorRate(r),
    ...ERROR_KINDS.map((k) => r.errorsByKind[k] ?? 0),
    r.retries, r.retrySuccessRate, r.tps,
    ...OP_KINDS.flatMap((k) => [r.latency[k].p50, r.latency[k].p95, r.latency[k].p99]),
    ...VERIFIERS.map((v) => r.anomalies[v].length),
    Object.entries(r.faults).map(([k, v]) => `${k}=${v}`).join(' '),
    r.pass ? 'pass' : 'fail',
  ];
  return values.map(cell).join(',');
}

export function renderCsv(results: readonly ScenarioResult[]): string {
  return [CSV_HEADER.join(','), ...results.map(csvRow)].join('\n') + '\n';
}
