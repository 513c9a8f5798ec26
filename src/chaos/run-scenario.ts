/** One scenario on a running fleet: the workload under the scenario's faults, the final read, the verifiers, the figures. */
import { Instances } from './client.ts';
import type { ChaosFleet } from './fleet.ts';
import { OP_KINDS, VERIFIERS, type Anomaly, type OpKind, type VerifierName } from './history.ts';
import { Recorder } from './recorder.ts';
import type { Scenario } from './scenarios.ts';
import { verifyHistory } from './verify/verify.ts';
import { describeWorkload, type WorkloadConfig } from './workload-config.ts';
import { Workload } from './workload.ts';

export interface LatencyPoint {
  p50: number;
  p95: number;
  p99: number;
}

export interface ScenarioResult {
  scenario: string;
  config: string;
  durationS: number;
  operations: number;
  ok: number;
  failed: number;
  unknown: number;
  /** Attempts answered per HTTP status class or kind (429, 503, 409, 5xx, none). */
  errorsByKind: Record<string, number>;
  retries: number;
  retrySuccessRate: number;
  tps: number;
  latency: Record<OpKind, LatencyPoint>;
  anomalies: Record<VerifierName, Anomaly[]>;
  faults: Record<string, number>;
  /** The counter that proves the faults fired, and whether it did. */
  proof: string | null;
  faultsFired: boolean;
  pass: boolean;
  /** The commonest reasons operations did not end acknowledged (status and error type), with counts. */
  topErrors: [string, number][];
}

function topErrors(ops: readonly { outcome: string; kind: string; error?: string }[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const o of ops) {
    if (o.outcome === 'ok') continue;
    const type = /"type":"([^"]+)"/.exec(o.error ?? '')?.[1] ?? (o.error ?? '').split(' ')[0];
    const reason = `${o.kind} ${(o.error ?? '').split(' ')[0]} ${type}`;
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, 5);
}

const nonZero = (o: Record<string, number>, prefix: string): Record<string, number> => Object.fromEntries(Object.entries(o).filter(([, v]) => v > 0).map(([k, v]) => [`${prefix}${k}`, Math.round(v)]));

function errorKinds(statuses: Map<number, number>): Record<string, number> {
  const out: Record<string, number> = { '409': 0, '429': 0, '503': 0, '5xx': 0, '4xx': 0, no_answer: 0 };
  for (const [status, n] of statuses) {
    if (status === 0) out.no_answer += n;
    else if (status === 409 || status === 429 || status === 503) out[String(status)] += n;
    else if (status >= 500) out['5xx'] += n;
    else if (status >= 400 && status !== 404) out['4xx'] += n;
  }
  return out;
}

export async function runScenario(fleet: ChaosFleet, scenario: Scenario, cfg: WorkloadConfig, durationMs: number, onOp: () => void = () => undefined): Promise<ScenarioResult> {
  const index = `chaos-${scenario.name}-${Date.now().toString(36)}`;
  const rec = new Recorder();
  rec.onOp = onOp;
  const instances = new Instances(() => fleet.urls());
  const workload = new Workload(cfg, index, instances, rec);
  fleet.resetCounters();
  const started = Date.now();
  workload.start();
  let run;
  try {
    run = await scenario.run({ fleet, durationMs, index });
  } finally {
    fleet.faults = { kind: 'pass' };
    await workload.stop();
  }
  const elapsed = (Date.now() - started) / 1000;
  const counters = fleet.counters();
  const ops = [...rec.ops];
  const final = await workload.finalRead();
  await instances.close();
  const anomalies = verifyHistory({ ops, final, migrations: run.migrations });
  const faults = { ...nonZero(counters.data as unknown as Record<string, number>, 'data.'), ...nonZero(counters.control as unknown as Record<string, number>, 'control.'), ...nonZero(run.counters, '') };
  const proof = scenario.proof ?? null;
  const fired = proof === null || Object.entries(faults).some(([k, v]) => (k === proof || k.endsWith(`.${proof}`)) && v > 0);
  const latency = Object.fromEntries(OP_KINDS.map((k) => {
    const h = (rec.kinds.get(k) as { latency: { percentile(p: number): number } }).latency;
    return [k, { p50: h.percentile(50), p95: h.percentile(95), p99: h.percentile(99) }];
  })) as Record<OpKind, LatencyPoint>;
  const okOps = ops.filter((o) => o.outcome === 'ok').length;
  return {
    scenario: scenario.name,
    config: describeWorkload(cfg),
    durationS: elapsed,
    operations: ops.length,
    ok: okOps,
    failed: ops.filter((o) => o.outcome === 'failed').length,
    unknown: ops.filter((o) => o.outcome === 'unknown').length,
    errorsByKind: errorKinds(rec.statuses),
    retries: rec.retries,
    retrySuccessRate: rec.retriedOps === 0 ? 1 : rec.retriedOk / rec.retriedOps,
    tps: okOps / elapsed,
    latency,
    anomalies,
    faults,
    proof,
    faultsFired: fired,
    pass: fired && VERIFIERS.every((v) => anomalies[v].length === 0),
    topErrors: topErrors(ops),
  };
}
