/** `osproxy chaos`: the scenarios (× sweep points) on one fleet per lane, then results.csv, report.md and the charts. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderChart } from '../bench/charts.ts';
import { createProgress } from '../bench/progress.ts';
import { chaosChartSpecs } from './chart-specs.ts';
import { ChaosFleet } from './fleet.ts';
import { renderReport } from './report-md.ts';
import { errorRate, renderCsv } from './results-csv.ts';
import { runScenario, type ScenarioResult } from './run-scenario.ts';
import { SCENARIO_TABLE, type ScenarioName } from './scenarios.ts';
import { boundaries, sweepPoints, type SweepAxis } from './sweep.ts';
import type { WorkloadConfig } from './workload-config.ts';

export interface ChaosOptions {
  scenarios: ScenarioName[];
  workload: WorkloadConfig;
  durationMs: number;
  /** `serve` instances per fleet. */
  instances: number;
  /** Fleets running scenarios side by side. */
  parallel: number;
  out: string;
  sweep: SweepAxis[];
  threshold: number;
  progress: boolean;
  /** Extra environment for the `serve` processes (the broken-proxy test's switch). */
  proxyEnv: Record<string, string>;
}

export interface ChaosRun {
  results: ScenarioResult[];
  files: string[];
  boundaries: string[] | undefined;
  totalS: number;
}

export async function runChaos(o: ChaosOptions): Promise<ChaosRun> {
  const started = Date.now();
  mkdirSync(o.out, { recursive: true });
  const points = o.sweep.length === 0 ? [o.workload] : sweepPoints(o.workload, o.sweep);
  const jobs = points.flatMap((cfg) => o.scenarios.map((name) => ({ cfg, name })));
  const progress = createProgress(o.progress, jobs.length, 'chaos');
  const results: (ScenarioResult | undefined)[] = new Array<ScenarioResult | undefined>(jobs.length);
  const maxTenants = Math.max(...points.map((p) => p.tenants));
  let next = 0;
  const lane = async (): Promise<void> => {
    if (next >= jobs.length) return;
    progress.note('starting a fleet');
    const fleet = await ChaosFleet.start(maxTenants, o.instances, o.proxyEnv);
    try {
      while (next < jobs.length) {
        const i = next++;
        const { cfg, name } = jobs[i];
        progress.run(points.length > 1 ? `${name} ${cfg.writers}w×${cfg.writeRate}/s overlap ${cfg.overlap}` : name);
        results[i] = await runScenario(fleet, SCENARIO_TABLE[name], cfg, o.durationMs, () => progress.tick());
      }
    } finally {
      await fleet.stop();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, o.parallel) }, lane));
  } finally {
    progress.stop();
  }
  const done = results.filter((r): r is ScenarioResult => r !== undefined);
  const lines = o.sweep.length === 0 ? undefined : boundaries(done.map((r, i) => ({ scenario: r.scenario, config: jobs[i].cfg, errorRate: errorRate(r) })), o.sweep, o.threshold);
  const files = ['results.csv', 'report.md'];
  writeFileSync(join(o.out, 'results.csv'), renderCsv(done));
  const charts: string[] = [];
  for (const { name, spec } of chaosChartSpecs(done, points.length > 1)) {
    const { svg, png } = await renderChart(spec);
    writeFileSync(join(o.out, `${name}.svg`), svg);
    writeFileSync(join(o.out, `${name}.png`), png);
    charts.push(`${name}.svg`, `${name}.png`);
  }
  const totalS = (Date.now() - started) / 1000;
  writeFileSync(join(o.out, 'report.md'), renderReport(done, charts, lines, totalS));
  return { results: done, files: [...files, ...charts], boundaries: lines, totalS };
}
