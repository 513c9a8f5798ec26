/** `report.md`: pass/fail per verifier and scenario, the anomalies (naming their operations), the faults fired, the charts. */
import { VERIFIERS } from './history.ts';
import { errorRate } from './results-csv.ts';
import type { ScenarioResult } from './run-scenario.ts';

const MAX_ANOMALIES = 20;

export function renderReport(results: readonly ScenarioResult[], charts: readonly string[], boundaryLines: readonly string[] | undefined, totalS: number): string {
  const lines: string[] = ['# osproxy chaos', ''];
  const passed = results.filter((r) => r.pass).length;
  lines.push(`${passed} of ${results.length} scenario runs passed in ${totalS.toFixed(1)} s.`, '');
  lines.push(`| scenario | config | ${VERIFIERS.join(' | ')} | faults fired | ops | error rate | TPS |`);
  lines.push(`|---|---|${VERIFIERS.map(() => '---').join('|')}|---|---|---|---|`);
  for (const r of results) {
    const verdicts = VERIFIERS.map((v) => (r.anomalies[v].length === 0 ? 'pass' : `**FAIL** (${r.anomalies[v].length})`));
    const fired = r.proof === null ? 'n/a' : r.faultsFired ? `yes (${r.proof})` : `**NO** (${r.proof})`;
    lines.push(`| ${r.scenario} | ${r.config} | ${verdicts.join(' | ')} | ${fired} | ${r.operations} | ${(errorRate(r) * 100).toFixed(1)}% | ${r.tps.toFixed(1)} |`);
  }
  lines.push('');
  const failing = results.filter((r) => VERIFIERS.some((v) => r.anomalies[v].length > 0));
  if (failing.length > 0) {
    lines.push('## Anomalies', '');
    for (const r of failing) {
      for (const v of VERIFIERS) {
        const found = r.anomalies[v];
        if (found.length === 0) continue;
        lines.push(`### ${r.scenario}: ${v} (${found.length})`, '');
        for (const a of found.slice(0, MAX_ANOMALIES)) lines.push(`- ${a.message}${a.ops.length > 0 ? ` — operations ${a.ops.map((s) => `#${s}`).join(', ')}` : ''}`);
        if (found.length > MAX_ANOMALIES) lines.push(`- … and ${found.length - MAX_ANOMALIES} more`);
        lines.push('');
      }
    }
  }
  lines.push('## Operations not acknowledged (commonest reasons)', '');
  for (const r of results) lines.push(`- ${r.scenario}: ${r.topErrors.map(([why, n]) => `${why} ×${n}`).join(', ') || 'none'}`);
  lines.push('');
  lines.push('## Faults fired', '');
  for (const r of results) lines.push(`- ${r.scenario}: ${Object.entries(r.faults).map(([k, v]) => `${k}=${v}`).join(', ') || 'none'}`);
  lines.push('');
  if (boundaryLines !== undefined) {
    lines.push('## Sweep boundaries', '');
    lines.push(...(boundaryLines.length === 0 ? ['No configuration crossed the error-rate threshold.'] : boundaryLines.map((l) => `- ${l}`)), '');
  }
  if (charts.length > 0) {
    lines.push('## Charts', '');
    for (const c of charts.filter((f) => f.endsWith('.png'))) lines.push(`![${c}](${c})`);
    lines.push('');
  }
  return lines.join('\n');
}
