/** The smoke benchmark's printed report: a latency/throughput table, then proxy-vs-direct deltas. */
import type { LoopResult } from './closed-loop.ts';
import { addedLatency, summarize, type LatencySummary } from './percentiles.ts';
import type { Side } from './smoke-workloads.ts';

export interface SideRun {
  workload: string;
  side: Side;
  /** Shown next to the side, e.g. "best of 2". */
  note?: string;
  result: LoopResult;
}

interface Row {
  run: SideRun;
  rps: number;
  latency: LatencySummary;
}

function toRow(run: SideRun): Row {
  return { run, rps: run.result.requests / run.result.seconds, latency: summarize(run.result.sortedMs) };
}

const ms = (v: number): string => v.toFixed(2).padStart(8);
const HEADER = `${'workload'.padEnd(8)} ${'side'.padEnd(18)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p90 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'errors'.padStart(7)}`;

function formatRow({ run, rps, latency }: Row): string {
  const side = run.note === undefined ? run.side : `${run.side} (${run.note})`;
  return `${run.workload.padEnd(8)} ${side.padEnd(18)} ${rps.toFixed(0).padStart(8)} ${ms(latency.p50)} ${ms(latency.p90)} ${ms(latency.p99)} ${ms(latency.max)} ${String(run.result.errors).padStart(7)}`;
}

function formatDelta(direct: Row, proxy: Row): string {
  const p50 = addedLatency(proxy.latency.p50, direct.latency.p50);
  const p99 = addedLatency(proxy.latency.p99, direct.latency.p99);
  const ratio = direct.rps === 0 ? 0 : proxy.rps / direct.rps;
  return `${direct.run.workload.padEnd(8)} added p50 ${p50.toFixed(2).padStart(6)} ms   added p99 ${p99.toFixed(2).padStart(6)} ms   throughput proxy/direct ${ratio.toFixed(2)}`;
}

/** Prints the table of all runs, then per workload the added latency and the throughput ratio. */
export function printReport(runs: SideRun[]): void {
  const rows = runs.map(toRow);
  console.log(HEADER);
  for (const row of rows) console.log(formatRow(row));
  console.log('');
  console.log('proxy − direct (saturating at 0):');
  for (const workload of new Set(runs.map((r) => r.workload))) {
    const direct = rows.find((r) => r.run.workload === workload && r.run.side === 'direct');
    const proxy = rows.find((r) => r.run.workload === workload && r.run.side === 'proxy');
    if (direct !== undefined && proxy !== undefined) console.log(formatDelta(direct, proxy));
  }
}
