import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNginx } from '../../src/bench/nginx-peer.ts';
import type { Profile, Verdict } from '../../src/bench/profile.ts';
import { SAMPLE_COLUMNS } from '../../src/bench/samples-csv.ts';
import { runCli, type CliRun } from '../helpers/spawn-cli.ts';

const REQUESTS = 150;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Runs `osproxy bench …` to completion (≤ 2 min) and returns its exit code and output. */
function runBench(args: string[]): Promise<CliRun> {
  return runCli(['bench', ...args], { timeoutMs: 120_000 });
}

const ROUNDS = 3;

test('a short real run measures every side in rounds, with CPU per request, and writes every output', { timeout: 150_000 }, async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'osproxy-bench-run-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const args = ['--engine', '--workload', 'mixed', '--sweep', '2,4', '--requests', String(REQUESTS), '--rounds', String(ROUNDS), '--warmup', '0.2', '--soak', '100', '--settle', '1', '--workers', '1', '--peer', 'nginx', '--no-progress', '--out', out];
  const run = await runBench(args);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /added latency/);
  assert.match(run.stdout, /floor .*osproxy ÷ floor CPU/);

  const profile = JSON.parse(readFileSync(join(out, 'profile.json'), 'utf8')) as Profile;
  assert.deepEqual(profile.levels.map((l) => l.concurrency), [2, 4]);
  assert.equal(profile.budget.rounds, ROUNDS);
  const nginx = findNginx() !== undefined;
  assert.equal(profile.environment.peer !== null, nginx, profile.environment.peerNote);
  for (const level of profile.levels) {
    const sides = [level.direct, level.proxy, level.floor, ...(nginx ? [level.peer] : [])];
    for (const side of sides) {
      assert.ok(side !== undefined, `a side is missing at c=${level.concurrency}`);
      assert.equal(side.requests, REQUESTS, `${side.side} c=${level.concurrency}`);
      assert.equal(side.errors, 0, `${side.side} c=${level.concurrency} had errors`);
      assert.ok(side.latency.p50 > 0 && side.latency.p99 >= side.latency.p50);
      assert.deepEqual(side.rounds.map((r) => r.requests), [50, 50, 50], side.side);
      // The engine and every hop the bench started are read from /proc; direct has no hop. (Rounds this short
      // may cost a hop less than one 10 ms tick, so a single round may read 0.)
      assert.ok((side.cpuUsPerRequest.upstream ?? -1) >= 0, `${side.side} upstream CPU`);
      if (side.side === 'direct') assert.equal(side.cpuUsPerRequest.hop, null);
      else assert.ok((side.cpuUsPerRequest.hop ?? -1) >= 0, `${side.side} hop CPU ${JSON.stringify(side.rounds)}`);
    }
    assert.ok(level.versusFloor !== undefined && level.versusFloor.throughput > 0);
    assert.equal(level.versusPeer !== undefined, nginx);
    // Every proxied request went upstream, over kept-alive connections.
    assert.ok((level.proxy.pool?.dispatched ?? 0) >= REQUESTS, JSON.stringify(level.proxy.pool));
    assert.ok((level.proxy.pool?.reuseRate ?? 0) > 0.9, JSON.stringify(level.proxy.pool));
    assert.ok(level.overhead.addedP50 >= 0 && level.overhead.throughputRatio > 0);
  }
  // Summed over every round the tick granularity washes out: the engine and osproxy did work.
  const spent = (side: 'direct' | 'proxy', part: 'hop' | 'upstream'): number =>
    profile.levels.flatMap((l) => l[side].rounds).reduce((us, r) => us + (r.cpuUsPerRequest[part] ?? 0) * r.requests, 0);
  assert.ok(spent('direct', 'upstream') > 0, 'the engine spent CPU on the direct side');
  assert.ok(spent('proxy', 'hop') > 0, 'osproxy spent CPU');
  assert.equal(profile.sweeps.length, 1);
  assert.ok((profile.footprint[0].idleRssMib ?? 0) > 10);

  const verdict = JSON.parse(readFileSync(join(out, 'verdict.json'), 'utf8')) as Verdict;
  assert.deepEqual(
    verdict.findings.map((f) => f.id),
    ['added_p50', 'added_p99', 'throughput_ratio', 'cpu_vs_floor', 'throughput_vs_floor', 'pool_reuse', 'tail_amplification', 'idle_rss', 'soak_growth'],
  );
  assert.equal(verdict.pass, verdict.findings.every((f) => f.pass !== false));

  const rows = readFileSync(join(out, 'samples.csv'), 'utf8').trim().split('\n');
  assert.equal(rows[0], SAMPLE_COLUMNS.join(','));
  const sides = rows.slice(1).map((r) => r.split(',')[4]);
  for (const side of ['direct', 'proxy', 'floor']) assert.equal(sides.filter((s) => s === side).length, 2 * REQUESTS, side);
  const roundsSeen = new Set(rows.slice(1).map((r) => r.split(',')[5]));
  assert.deepEqual([...roundsSeen].sort(), ['1', '2', '3']);

  const report = readFileSync(join(out, 'report.md'), 'utf8');
  assert.match(report, /latency\.png/);
  assert.match(report, /## Hop cost: osproxy against the floor/);
  for (const chart of ['latency', 'sweep', 'throughput', 'cpu']) {
    assert.deepEqual(readFileSync(join(out, `${chart}.png`)).subarray(0, 8), PNG_SIGNATURE, chart);
    assert.match(readFileSync(join(out, `${chart}.svg`), 'utf8'), /<svg/);
  }
});

test('a bad option exits 2 with the option named, before starting anything', async () => {
  const run = await runBench(['--workload', 'scan']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--workload must be one of/);
});
