/**
 * Reads a V8 `.cpuprofile` (written by the proxy under `--cpu-prof`) and ranks functions by self
 * time: the first answer to "where does the proxy spend its CPU".
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HotFunction } from './profile.ts';
import { SourceLocations } from './source-locations.ts';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber?: number;
}

interface CpuProfileNode {
  id: number;
  callFrame: CallFrame;
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function (µs → ms), `(idle)` excluded, largest first. */
export function hotFunctions(profile: CpuProfile, top: number, root = process.cwd()): { totalMs: number; top: HotFunction[] } {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const selfUs = new Map<string, { frame: CallFrame; us: number }>();
  let totalUs = 0;
  profile.samples.forEach((id, k) => {
    const frame = byNode.get(id);
    if (frame === undefined || frame.functionName === '(idle)') return;
    const us = profile.timeDeltas[k] ?? 0;
    const key = `${frame.functionName}\u0000${frame.url}\u0000${frame.lineNumber}\u0000${frame.columnNumber ?? 0}`;
    const entry = selfUs.get(key) ?? { frame, us: 0 };
    entry.us += us;
    selfUs.set(key, entry);
    totalUs += us;
  });
  const ranked = [...selfUs.values()].sort((a, b) => b.us - a.us).slice(0, top);
  const locations = new SourceLocations(root);
  return {
    totalMs: totalUs / 1000,
    top: ranked.map(({ frame, us }) => ({
      name: frame.functionName === '' ? '(anonymous)' : frame.functionName,
      location: locations.describe(frame),
      selfMs: us / 1000,
      selfPercent: totalUs === 0 ? 0 : (100 * us) / totalUs,
    })),
  };
}

/** The newest `.cpuprofile` in `dir` (the proxy writes one on exit), or undefined. */
export function findCpuProfile(dir: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.cpuprofile'));
  } catch {
    return undefined;
  }
  return names.sort().map((n) => join(dir, n)).pop();
}

export function readCpuProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
}
