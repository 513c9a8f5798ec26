/**
 * `osproxy chaos --quick` end to end, as a real process: every scenario at small scale in ≤ 120 s,
 * every verifier passing, every scenario's faults proven fired, and the output files in place.
 * (Runs in the group that runs alone: it loads both cores.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCENARIOS } from '../../src/chaos/scenario-names.ts';
import { runCli } from '../helpers/spawn-cli.ts';

describe('osproxy chaos --quick', () => {
  it('runs every scenario in ≤ 120 s, all verifiers pass, and writes results.csv, report.md and the charts', async (t) => {
    const out = join(mkdtempSync(join(tmpdir(), 'osproxy-chaos-quick-')), 'run');
    const started = Date.now();
    const run = await runCli(['chaos', '--quick', '--out', out, '--no-progress'], { timeoutMs: 240_000 });
    const seconds = (Date.now() - started) / 1000;
    t.diagnostic(`${seconds.toFixed(1)} s\n${run.stdout}`);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr.slice(-2000)}`);
    assert.ok(seconds <= 120, `took ${seconds.toFixed(1)} s`);
    const [header, ...rows] = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n');
    assert.ok(header.startsWith('scenario,config,'), header);
    assert.deepEqual(rows.map((r) => r.split(',')[0]), [...SCENARIOS]);
    const cols = header.split(',');
    for (const row of rows) {
      const cells = row.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/);
      assert.equal(cells[cols.indexOf('pass')], 'pass', row);
      for (const c of cols.filter((x) => x.startsWith('anomalies_'))) assert.equal(cells[cols.indexOf(c)], '0', `${c} in ${row}`);
    }
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    assert.match(report, /12 of 12 scenario runs passed/);
    for (const chart of ['error-rate', 'tps', 'latency', 'degradation']) {
      for (const ext of ['svg', 'png']) assert.ok(existsSync(join(out, `${chart}.${ext}`)), `${chart}.${ext}`);
    }
  });
});
