// Runs every test/**/*.test.ts with node:test through tsx (Node 20's --test has no globbing).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

function run(files, concurrency) {
  if (files.length === 0) return 0;
  const res = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${concurrency}`, '--test-timeout=600000', ...files],
    { stdio: 'inherit' },
  );
  return res.status ?? 1;
}

const filters = process.argv.slice(2);
const files = collect('test').filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
// Tests that measure a process's memory or latency (and the real bench run, which loads both cores) run alone afterwards: a neighbour on the
// other core would distort what they measure.
const isSensitive = (f) => /memory|fairness|bench-run/.test(f);
const first = run(files.filter((f) => !isSensitive(f)), 2);
const second = run(files.filter(isSensitive), 1);
process.exit(first !== 0 ? first : second);
