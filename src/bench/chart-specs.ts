/**
 * Vega-Lite specs for the bench charts, built from a profile as plain data (pure functions; the
 * rendering to SVG/PNG lives in charts.ts): latency percentiles at the profile level, the latency
 * sweep over concurrency, throughput per side, and CPU per request per side.
 */
import type { TopLevelSpec } from 'vega-lite';
import { SIDE_ORDER, type LevelResult, type Profile, type Side, type SideResult } from './profile.ts';
import { formatBytes } from './report-md.ts';

export interface ChartSpec {
  /** File stem: the chart is written as `<name>.svg` and `<name>.png`. */
  name: string;
  spec: TopLevelSpec;
}

const WIDTH = 640;
const HEIGHT = 360;
const FONT = 'DejaVu Sans';
const SIDES: readonly Side[] = SIDE_ORDER;
/** Shades per side, darkest first, so a side keeps its hue whatever the worker count. */
const PALETTE: Record<Side, readonly string[]> = {
  direct: ['#4c78a8'],
  proxy: ['#f58518', '#b34d00', '#ffbf79', '#7a3300'],
  peer: ['#54a24b', '#2b6b25', '#9ed68f', '#174d13'],
  floor: ['#b279a2', '#7d4b70', '#d6a5c9', '#4f2c46'],
};
/** CPU chart: the side's own hop and the upstream behind it. */
const CPU_PARTS = { domain: ['hop', 'upstream'], range: ['#e45756', '#9d9d9d'] };
const STATS = ['min', 'mean', 'p50', 'p90', 'p99', 'max'] as const;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Sides that do not depend on osproxy's worker count: drawn once, from one worker count. */
const WORKER_FREE: readonly Side[] = ['direct', 'floor'];

/** Legend label of a series: the side, plus the proxy worker count when several were measured (direct and the floor do not depend on it). */
export function seriesLabel(side: Side, workers: number, multiWorkers: boolean): string {
  return WORKER_FREE.includes(side) || !multiWorkers ? side : `${side} ×${plural(workers, 'worker')}`;
}

/** The level the judge reads, or the first level of its worker count, or the first level. */
export function profileLevelResult(profile: Profile): LevelResult | undefined {
  const { workers, concurrency } = profile.profileLevel;
  return (
    profile.levels.find((l) => l.workers === workers && l.concurrency === concurrency) ??
    profile.levels.find((l) => l.workers === workers) ??
    profile.levels[0]
  );
}

/** True when at least one worker count was measured at more than one concurrency. */
export function hasSweep(profile: Profile): boolean {
  const seen = new Map<number, Set<number>>();
  for (const l of profile.levels) seen.set(l.workers, (seen.get(l.workers) ?? new Set()).add(l.concurrency));
  return [...seen.values()].some((s) => s.size > 1);
}

interface SeriesRow {
  series: string;
  side: Side;
  workers: number;
  concurrency: number;
  result: SideResult;
}

/** Every (side, level) measurement labelled with its series; direct and the floor are taken from one worker count only. */
export function seriesRows(profile: Profile, levels: readonly LevelResult[] = profile.levels): SeriesRow[] {
  const workerCounts = [...new Set(levels.map((l) => l.workers))].sort((a, b) => a - b);
  const multi = workerCounts.length > 1;
  const directWorkers = workerCounts.includes(profile.profileLevel.workers) ? profile.profileLevel.workers : workerCounts[0];
  const rows: SeriesRow[] = [];
  for (const side of SIDES) {
    for (const workers of workerCounts) {
      if (WORKER_FREE.includes(side) && workers !== directWorkers) continue;
      const ofWorkers = levels.filter((l) => l.workers === workers).sort((a, b) => a.concurrency - b.concurrency);
      for (const l of ofWorkers) {
        const result = l[side];
        if (result !== undefined) rows.push({ series: seriesLabel(side, workers, multi), side, workers, concurrency: l.concurrency, result });
      }
    }
  }
  return rows;
}

/** Series names in display order with their colours (one hue per side, one shade per worker count). */
export function colorScale(rows: readonly SeriesRow[]): { domain: string[]; range: string[] } {
  const domain: string[] = [];
  const range: string[] = [];
  const used: Record<Side, number> = { direct: 0, proxy: 0, peer: 0, floor: 0 };
  for (const r of rows) {
    if (domain.includes(r.series)) continue;
    const shades = PALETTE[r.side];
    domain.push(r.series);
    range.push(shades[used[r.side]++ % shades.length]);
  }
  return { domain, range };
}

function subtitle(profile: Profile, extra: string): string[] {
  const loop = profile.mode === 'open' && profile.rate !== undefined ? `open loop at ${profile.rate} req/s per side` : `${profile.mode} loop`;
  const peer = profile.environment.peer === null ? '' : `; peer = ${profile.environment.peer}`;
  return [`${extra}${loop}; upstream ${profile.environment.upstreamKind}${peer}`];
}

const config = { font: FONT, background: 'white', title: { fontSize: 15, subtitleFontSize: 11, anchor: 'start' as const }, axis: { titleFontSize: 12, labelFontSize: 11 }, legend: { titleFontSize: 12, labelFontSize: 11 } };

const concurrencyAxis = (concurrencies: number[]) => ({
  field: 'concurrency',
  type: 'quantitative' as const,
  title: 'concurrency (in-flight requests)',
  scale: { type: 'log' as const, base: 2, nice: false, padding: 16 },
  axis: { values: concurrencies, format: 'd', grid: false },
});

/** Grouped bars of the latency percentiles of every side at the profile level; null when nothing was measured. */
export function latencySpec(profile: Profile): TopLevelSpec | null {
  const level = profileLevelResult(profile);
  if (level === undefined) return null;
  const rows = seriesRows(profile, [level]);
  const values = rows.flatMap((r) => STATS.map((stat) => ({ series: r.series, stat, ms: r.result.latency[stat] })));
  const x = { field: 'stat', type: 'nominal' as const, sort: [...STATS], title: 'statistic', axis: { labelAngle: 0 } };
  const xOffset = { field: 'series', type: 'nominal' as const, sort: colorScale(rows).domain };
  const y = { field: 'ms', type: 'quantitative' as const, title: 'latency (ms)' };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${profile.workload} latency, ${formatBytes(profile.docSizeBytes)} docs, concurrency ${level.concurrency}`,
      subtitle: subtitle(profile, `${plural(level.workers, 'proxy worker')}; `),
    },
    width: WIDTH,
    height: HEIGHT,
    autosize: { type: 'fit', contains: 'padding' },
    data: { values },
    encoding: { x, xOffset, y },
    layer: [
      { mark: { type: 'bar' }, encoding: { color: { field: 'series', type: 'nominal', title: 'side', scale: colorScale(rows) } } },
      { mark: { type: 'text', dy: -5, fontSize: 9, color: '#333' }, encoding: { text: { field: 'ms', type: 'quantitative', format: '.2f' } } },
    ],
    config,
  };
}

/** p50 and p99 latency vs concurrency, one line per series, side by side; null unless some worker count was swept. */
export function sweepSpec(profile: Profile): TopLevelSpec | null {
  if (!hasSweep(profile)) return null;
  const rows = seriesRows(profile);
  const concurrencies = [...new Set(rows.map((r) => r.concurrency))].sort((a, b) => a - b);
  const values = rows.flatMap((r) =>
    (['p50', 'p99'] as const).map((p) => ({ series: r.series, concurrency: r.concurrency, percentile: `${p} latency`, ms: r.result.latency[p] })),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `${profile.workload} latency vs concurrency, ${formatBytes(profile.docSizeBytes)} docs`, subtitle: subtitle(profile, '') },
    data: { values },
    facet: { column: { field: 'percentile', type: 'nominal', title: null, header: { labelFontSize: 13, labelFontWeight: 'bold' } } },
    spec: {
      width: 250,
      height: 280,
      mark: { type: 'line', point: true },
      encoding: {
        x: concurrencyAxis(concurrencies),
        y: { field: 'ms', type: 'quantitative', title: 'latency (ms)' },
        color: { field: 'series', type: 'nominal', title: 'side', scale: colorScale(rows) },
      },
    },
    resolve: { scale: { y: 'independent' } },
    config,
  };
}

/** Throughput vs concurrency per series, or bars per series when no worker count was swept; null when nothing was measured. */
export function throughputSpec(profile: Profile): TopLevelSpec | null {
  if (profile.levels.length === 0) return null;
  const rows = seriesRows(profile);
  const scale = colorScale(rows);
  const values = rows.map((r) => ({ series: r.series, concurrency: r.concurrency, rps: r.result.throughput }));
  const y = { field: 'rps', type: 'quantitative' as const, title: 'throughput (req/s)' };
  const color = { field: 'series', type: 'nominal' as const, title: 'side', scale };
  const common = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: WIDTH,
    height: HEIGHT,
    autosize: { type: 'fit' as const, contains: 'padding' as const },
    data: { values },
    config,
  };
  const size = formatBytes(profile.docSizeBytes);
  if (hasSweep(profile)) {
    const concurrencies = [...new Set(rows.map((r) => r.concurrency))].sort((a, b) => a - b);
    return {
      ...common,
      title: { text: `${profile.workload} throughput vs concurrency, ${size} docs`, subtitle: subtitle(profile, '') },
      mark: { type: 'line', point: true },
      encoding: { x: concurrencyAxis(concurrencies), y, color },
    };
  }
  const concurrencies = [...new Set(rows.map((r) => r.concurrency))].join(', ');
  return {
    ...common,
    title: { text: `${profile.workload} throughput, ${size} docs, concurrency ${concurrencies}`, subtitle: subtitle(profile, '') },
    encoding: { x: { field: 'series', type: 'nominal', sort: scale.domain, title: 'side', axis: { labelAngle: 0 } }, y },
    layer: [
      { mark: { type: 'bar', width: { band: 0.6 } }, encoding: { color } },
      { mark: { type: 'text', dy: -6, fontSize: 11, color: '#333' }, encoding: { text: { field: 'rps', type: 'quantitative', format: ',.0f' } } },
    ],
  };
}

/** Stacked bars of CPU µs per request (the hop, the upstream) per side at the profile level; null when no CPU was read. */
export function cpuSpec(profile: Profile): TopLevelSpec | null {
  const level = profileLevelResult(profile);
  if (level === undefined) return null;
  const rows = seriesRows(profile, [level]);
  const values = rows.flatMap((r) =>
    (['hop', 'upstream'] as const).flatMap((part) => {
      const us = r.result.cpuUsPerRequest[part];
      return us === null ? [] : [{ series: r.series, part, us }];
    }),
  );
  if (values.length === 0) return null;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${profile.workload} CPU per request, ${formatBytes(profile.docSizeBytes)} docs, concurrency ${level.concurrency}`,
      subtitle: subtitle(profile, `${plural(level.workers, 'proxy worker')}; median of ${plural(profile.budget.rounds, 'round')}; `),
    },
    width: WIDTH,
    height: HEIGHT,
    autosize: { type: 'fit', contains: 'padding' },
    data: { values },
    mark: { type: 'bar', width: { band: 0.6 } },
    encoding: {
      x: { field: 'series', type: 'nominal', sort: colorScale(rows).domain, title: 'side', axis: { labelAngle: 0 } },
      y: { field: 'us', type: 'quantitative', title: 'CPU per request (µs)', stack: 'zero' },
      color: { field: 'part', type: 'nominal', title: 'process', scale: CPU_PARTS },
      order: { field: 'part', sort: 'ascending' },
      tooltip: [{ field: 'series' }, { field: 'part' }, { field: 'us', format: '.1f' }],
    },
    config,
  };
}

/** The charts this profile supports, in report order. */
export function chartSpecs(profile: Profile): ChartSpec[] {
  const specs: [string, TopLevelSpec | null][] = [
    ['latency', latencySpec(profile)],
    ['sweep', sweepSpec(profile)],
    ['throughput', throughputSpec(profile)],
    ['cpu', cpuSpec(profile)],
  ];
  return specs.flatMap(([name, spec]) => (spec === null ? [] : [{ name, spec }]));
}
