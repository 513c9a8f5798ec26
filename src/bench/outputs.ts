/** Writes a run's files: profile.json, verdict.json, report.md and the charts (samples.csv is streamed during the run). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeCharts } from './charts.ts';
import type { Profile, Verdict } from './profile.ts';
import { renderReport } from './report-md.ts';

function json(value: unknown): string {
  // NaN (e.g. a ratio over an empty run) is not JSON; write null instead.
  return `${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}

export async function writeOutputs(dir: string, profile: Profile, verdict: Verdict): Promise<string[]> {
  writeFileSync(join(dir, 'profile.json'), json(profile));
  writeFileSync(join(dir, 'verdict.json'), json(verdict));
  const charts = await writeCharts(profile, dir);
  writeFileSync(join(dir, 'report.md'), renderReport(profile, verdict, charts));
  return ['profile.json', 'verdict.json', 'report.md', 'samples.csv', ...charts];
}
