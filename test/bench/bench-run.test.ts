import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Profile, Verdict } from '../../src/bench/profile.ts';
import { SAMPLE_COLUMNS } from '../../src/bench/samples-csv.ts';
import { runCli, type CliRun } from '../helpers/spawn-cli.ts';

const REQUESTS = 150;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Runs `osproxy bench …` to completion (≤ 2 min) and returns its exit code and output. */
function runBench(args: string[]): Promise<CliRun> {
  return runCli(['bench', ...args], { timeoutMs: 120_000 });
}

test('a short real run measures both sides and writes every output', { timeout: 150_000 }, async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'osproxy-bench-run-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const args = ['--engine', '--workload', 'mixed', '--sweep', '2,4', '--requests', String(REQUESTS), '--warmup', '0.2', '--soak', '100', '--workers', '1', '--no-progress', '--out', out];
  const run = await runBench(args);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /added latency/);

  const profile = JSON.parse(readFileSync(join(out, 'profile.json'), 'utf8')) as Profile;
  assert.deepEqual(profile.levels.map((l) => l.concurrency), [2, 4]);
  for (const level of profile.levels) {
    for (const side of [level.direct, level.proxy]) {
      assert.equal(side.requests, REQUESTS, `${side.side} c=${level.concurrency}`);
      assert.equal(side.errors, 0, `${side.side} c=${level.concurrency} had errors`);
      assert.ok(side.latency.p50 > 0 && side.latency.p99 >= side.latency.p50);
    }
    // Every proxied request went upstream, over kept-alive connections.
    assert.ok((level.proxy.pool?.dispatched ?? 0) >= REQUESTS, JSON.stringify(level.proxy.pool));
    assert.ok((level.proxy.pool?.reuseRate ?? 0) > 0.9, JSON.stringify(level.proxy.pool));
    assert.ok(level.overhead.addedP50 >= 0 && level.overhead.throughputRatio > 0);
  }
  assert.equal(profile.sweeps.length, 1);
  assert.ok((profile.footprint[0].idleRssMib ?? 0) > 10);

  const verdict = JSON.parse(readFileSync(join(out, 'verdict.json'), 'utf8')) as Verdict;
  assert.equal(verdict.findings.length, 7);
  assert.equal(verdict.pass, verdict.findings.every((f) => f.pass !== false));

  const rows = readFileSync(join(out, 'samples.csv'), 'utf8').trim().split('\n');
  assert.equal(rows[0], SAMPLE_COLUMNS.join(','));
  const sides = rows.slice(1).map((r) => r.split(',')[4]);
  assert.equal(sides.filter((s) => s === 'direct').length, 2 * REQUESTS);
  assert.equal(sides.filter((s) => s === 'proxy').length, 2 * REQUESTS);

  assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /latency\.png/);
  for (const chart of ['latency', 'sweep', 'throughput']) {
    assert.deepEqual(readFileSync(join(out, `${chart}.png`)).subarray(0, 8), PNG_SIGNATURE, chart);
    assert.match(readFileSync(join(out, `${chart}.svg`), 'utf8'), /<svg/);
  }
});

test('a bad option exits 2 with the option named, before starting anything', async () => {
  const run = await runBench(['--workload', 'scan']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--workload must be one of/);
});
