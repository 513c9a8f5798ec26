/** Vega-Lite specs of the chaos charts (rendered by the bench's renderChart): error rate, TPS, latency, degradation against baseline. */
import type { TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from '../bench/chart-specs.ts';
import { errorRate } from './results-csv.ts';
import type { ScenarioResult } from './run-scenario.ts';

const WIDTH = 640;
const HEIGHT = 300;
const FONT = 'DejaVu Sans';

const label = (r: ScenarioResult, sweep: boolean): string => (sweep ? `${r.scenario} (${r.config})` : r.scenario);

function bars(title: string, field: string, rows: Record<string, string | number>[], yTitle: string): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title, width: WIDTH, height: HEIGHT,
    config: { font: FONT },
    data: { values: rows },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'scenario', type: 'nominal', sort: null, axis: { labelAngle: -40 } },
      y: { field, type: 'quantitative', title: yTitle },
      color: { field: 'pass', type: 'nominal', scale: { domain: ['pass', 'fail'], range: ['#54a24b', '#e45756'] } },
    },
  };
}

export function chaosChartSpecs(results: readonly ScenarioResult[], sweep: boolean): ChartSpec[] {
  const rows = results.map((r) => ({ scenario: label(r, sweep), pass: r.pass ? 'pass' : 'fail', errorRate: errorRate(r) * 100, tps: r.tps }));
  const latency = results.flatMap((r) => (['p50', 'p95', 'p99'] as const).map((p) => ({ scenario: label(r, sweep), percentile: p, ms: Math.max(...Object.values(r.latency).map((l) => (Number.isFinite(l[p]) ? l[p] : 0))) })));
  const base = results.find((r) => r.scenario === 'baseline');
  const specs: ChartSpec[] = [
    { name: 'error-rate', spec: bars('Failed or unanswered operations per scenario', 'errorRate', rows, 'error rate (%)') },
    { name: 'tps', spec: bars('Acknowledged operations per second', 'tps', rows, 'ops/s') },
    {
      name: 'latency',
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: 'Latency per scenario (slowest operation kind, retries included)', width: WIDTH, height: HEIGHT,
        config: { font: FONT },
        data: { values: latency },
        mark: { type: 'bar' },
        encoding: {
          x: { field: 'scenario', type: 'nominal', sort: null, axis: { labelAngle: -40 } },
          xOffset: { field: 'percentile', type: 'nominal' },
          y: { field: 'ms', type: 'quantitative', title: 'ms', scale: { type: 'symlog' } },
          color: { field: 'percentile', type: 'nominal' },
        },
      },
    },
  ];
  if (base !== undefined && base.tps > 0) {
    const degradation = results.filter((r) => r !== base).map((r) => ({ scenario: label(r, sweep), pass: r.pass ? 'pass' : 'fail', tpsRatio: r.tps / base.tps }));
    specs.push({ name: 'degradation', spec: bars('Throughput against baseline', 'tpsRatio', degradation, 'TPS ÷ baseline TPS') });
  }
  return specs;
}
