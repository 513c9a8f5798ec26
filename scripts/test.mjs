// Runs every test/**/*.test.ts with node:test through tsx (Node 20's --test has no globbing), and
// ends with a compact list of the tests that failed (file, name, first line of the error).
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FAILED_REPORTER = fileURLToPath(new URL('./failed-tests-reporter.mjs', import.meta.url));
/** tsx's loader by absolute URL, so that the runner works from any working directory. */
const TSX = import.meta.resolve('tsx');

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const scratch = mkdtempSync(join(tmpdir(), 'osproxy-test-run-'));
const failureFiles = [];

function run(files, concurrency) {
  if (files.length === 0) return 0;
  const failures = join(scratch, `failed-${failureFiles.length}.ndjson`);
  failureFiles.push(failures);
  const res = spawnSync(
    process.execPath,
    [
      '--import', TSX, '--test', `--test-concurrency=${concurrency}`, '--test-timeout=600000',
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      `--test-reporter=${FAILED_REPORTER}`, `--test-reporter-destination=${failures}`,
      ...files,
    ],
    { stdio: 'inherit' },
  );
  return res.status ?? 1;
}

function failedTests() {
  const out = [];
  for (const f of failureFiles) {
    let text = '';
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) if (line.trim() !== '') out.push(JSON.parse(line));
  }
  return out;
}

const filters = process.argv.slice(2);
const files = collect('test').filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
// Tests that measure a process's memory or latency (and the real bench and chaos runs, which load both cores) run alone afterwards: a neighbour on the
// other core would distort what they measure.
const isSensitive = (f) => /memory|fairness|bench-run|chaos-run/.test(f);
const first = run(files.filter((f) => !isSensitive(f)), 2);
const second = run(files.filter(isSensitive), 1);
const failed = failedTests();
rmSync(scratch, { recursive: true, force: true });
const status = first !== 0 ? first : second;
if (failed.length > 0) {
  console.log(`\n✖ ${failed.length} failed test${failed.length === 1 ? '' : 's'}:`);
  for (const f of failed) console.log(`  ${f.file}: ${f.name}${f.message === '' ? '' : `\n      ${f.message}`}`);
} else if (status !== 0) {
  console.log(`\n✖ the test run failed (exit status ${status}) without a failed test: see the output above`);
} else {
  console.log('\n✔ all tests passed');
}
process.exit(status);
