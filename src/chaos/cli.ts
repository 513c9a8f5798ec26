/** `osproxy chaos`: fault scenarios under a many-tenant workload, checked by the history verifiers (SPEC §8). */
import { Command } from 'commander';
import { DEFAULT_WORKLOAD, type WorkloadConfig } from './workload-config.ts';
import { isScenario, SCENARIOS, type ScenarioName } from './scenario-names.ts';

export interface RawChaosOptions {
  quick?: boolean;
  scenario: string;
  tenants?: string;
  writers?: string;
  writeRate?: string;
  readers?: string;
  readRate?: string;
  overlap?: string;
  keys?: string;
  duration?: string;
  sweep?: string[];
  threshold: string;
  parallel: string;
  instances: string;
  out?: string;
  progress: boolean;
}

/** `--quick`: every scenario at small scale (≤ 120 s in all). */
const QUICK: WorkloadConfig = { tenants: 4, writers: 2, readers: 1, writeRate: 5, readRate: 5, overlap: 0.2, keys: 20 };
const QUICK_DURATION_S = 4;
const DEFAULT_DURATION_S = 20;

class ChaosOptionError extends Error {}

function num(v: string | undefined, name: string, fallback: number, integer: boolean): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) throw new ChaosOptionError(`--${name} must be a non-negative ${integer ? 'integer' : 'number'}`);
  return n;
}

function scenarios(spec: string): ScenarioName[] {
  if (spec === 'all') return [...SCENARIOS];
  const names = spec.split(',');
  for (const n of names) if (!isScenario(n)) throw new ChaosOptionError(`unknown scenario "${n}" (one of ${SCENARIOS.join(', ')}, or all)`);
  return names as ScenarioName[];
}

async function chaos(raw: RawChaosOptions): Promise<void> {
  const base = raw.quick === true ? QUICK : DEFAULT_WORKLOAD;
  let opts;
  try {
    const { parseSweep } = await import('./sweep.ts');
    const workload: WorkloadConfig = {
      tenants: Math.max(1, num(raw.tenants, 'tenants', base.tenants, true)),
      writers: Math.max(1, num(raw.writers, 'writers', base.writers, true)),
      readers: num(raw.readers, 'readers', base.readers, true),
      writeRate: num(raw.writeRate, 'write-rate', base.writeRate, false),
      readRate: num(raw.readRate, 'read-rate', base.readRate, false),
      overlap: Math.min(1, num(raw.overlap, 'overlap', base.overlap, false)),
      keys: Math.max(1, num(raw.keys, 'keys', base.keys, true)),
    };
    opts = {
      scenarios: scenarios(raw.scenario),
      workload,
      durationMs: num(raw.duration, 'duration', raw.quick === true ? QUICK_DURATION_S : DEFAULT_DURATION_S, false) * 1000,
      instances: Math.max(2, num(raw.instances, 'instances', 2, true)),
      parallel: Math.max(1, num(raw.parallel, 'parallel', 1, true)),
      out: raw.out ?? `chaos-results/${new Date().toISOString().replaceAll(':', '-').slice(0, 19)}`,
      sweep: parseSweep(raw.sweep ?? []),
      threshold: num(raw.threshold, 'threshold', 0.01, false),
      progress: raw.progress,
      proxyEnv: {},
    };
  } catch (e) {
    if (!(e instanceof ChaosOptionError) && !(e instanceof Error && e.message.startsWith('--sweep'))) throw e;
    console.error(`osproxy chaos: ${e.message}`);
    process.exit(2);
  }
  // Loaded on demand: the workload and the charting libraries must not weigh on `serve` processes.
  const { runChaos } = await import('./run-chaos.ts');
  const { errorRate } = await import('./results-csv.ts');
  try {
    const run = await runChaos(opts);
    for (const r of run.results) {
      const anomalies = Object.values(r.anomalies).reduce((n, a) => n + a.length, 0);
      console.log(`${r.pass ? 'pass' : 'FAIL'} ${r.scenario.padEnd(16)} ${String(r.operations).padStart(6)} ops  ${(errorRate(r) * 100).toFixed(1).padStart(5)}% errors  ${r.tps.toFixed(1).padStart(7)} TPS  ${anomalies} anomalies  faults: ${Object.entries(r.faults).map(([k, v]) => `${k}=${v}`).join(' ') || 'none'}`);
    }
    for (const line of run.boundaries ?? []) console.log(`boundary: ${line}`);
    console.log(`${run.results.filter((r) => r.pass).length}/${run.results.length} passed in ${run.totalS.toFixed(1)} s; wrote ${run.files.map((f) => `${opts.out}/${f}`).join(', ')}`);
    if (run.results.some((r) => !r.pass)) process.exitCode = 1;
  } catch (e) {
    console.error(`osproxy chaos failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    process.exitCode = 1;
  }
}

export function chaosCommand(): Command {
  return new Command('chaos')
    .description('run fault scenarios (latency, resets, outages, CPU, restarts, migration) under a many-tenant workload and verify the history')
    .option('--quick', `every scenario at small scale (${QUICK.tenants} tenants, ${QUICK_DURATION_S} s each)`)
    .option('--scenario <name>', `${SCENARIOS.join(', ')}, a comma list, or all`, 'all')
    .option('--tenants <n>', `tenants (default ${DEFAULT_WORKLOAD.tenants})`)
    .option('--writers <n>', `writers per tenant (default ${DEFAULT_WORKLOAD.writers})`)
    .option('--write-rate <r>', `operations per second per writer (default ${DEFAULT_WORKLOAD.writeRate})`)
    .option('--readers <n>', `readers per tenant (default ${DEFAULT_WORKLOAD.readers})`)
    .option('--read-rate <r>', `operations per second per reader (default ${DEFAULT_WORKLOAD.readRate})`)
    .option('--overlap <f>', `fraction of a tenant's keys all its writers write (default ${DEFAULT_WORKLOAD.overlap})`)
    .option('--keys <n>', `keys per tenant (default ${DEFAULT_WORKLOAD.keys})`)
    .option('--duration <s>', `seconds per scenario (default ${DEFAULT_DURATION_S}; ${QUICK_DURATION_S} with --quick)`)
    .option('--sweep <dim=values...>', 'configuration sweep, e.g. writers=2,3,4 rate=5,10 overlap=0.1,0.5')
    .option('--threshold <f>', 'the sweep\'s error-rate threshold', '0.01')
    .option('--parallel <n>', 'fleets running scenarios side by side', '1')
    .option('--instances <n>', 'serve instances per fleet (≥ 2)', '2')
    .option('--out <dir>', 'output directory (default chaos-results/<time>)')
    .option('--no-progress', 'plain lines instead of a progress bar')
    .action(chaos);
}
