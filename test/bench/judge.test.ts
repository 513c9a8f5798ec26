import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_THRESHOLDS, judge, loadThresholds } from '../../src/bench/judge.ts';
import type { Profile } from '../../src/bench/profile.ts';
import { benchProfile } from '../helpers/bench-profile.ts';

function byId(profile: Profile, thresholds = DEFAULT_THRESHOLDS): Map<string, { value: number | null; pass: boolean | null }> {
  return new Map(judge(profile, thresholds).findings.map((f) => [f.id, f]));
}

/** The fixture with the judged level's proxy side set to chosen figures. */
function withProxy(p50Added: number, p99Added: number, ratio: number, reuse: number | null, floor = { cpuPerRequest: 1, throughput: 1 }): Profile {
  const profile = benchProfile({ concurrencies: [1, 16, 64], profileLevel: { workers: 1, concurrency: 16 } });
  const level = profile.levels.find((l) => l.concurrency === 16);
  assert.ok(level !== undefined);
  level.overhead = { addedP50: p50Added, addedP99: p99Added, throughputRatio: ratio };
  level.proxy.pool = reuse === null ? undefined : { opened: 1, dispatched: 100, reused: 99, reuseRate: reuse };
  level.versusFloor = floor;
  return profile;
}

const LEVEL_FINDINGS = ['added_p50', 'added_p99', 'throughput_ratio', 'pool_reuse', 'cpu_vs_floor', 'throughput_vs_floor'];

test('each finding passes at its threshold and fails just beyond it', () => {
  const atLimit = byId(withProxy(0.5, 2, 0.85, 0.99, { cpuPerRequest: 1.2, throughput: 0.85 }));
  for (const id of LEVEL_FINDINGS) assert.equal(atLimit.get(id)?.pass, true, id);
  const beyond = byId(withProxy(0.51, 2.01, 0.84, 0.98, { cpuPerRequest: 1.21, throughput: 0.84 }));
  for (const id of LEVEL_FINDINGS) assert.equal(beyond.get(id)?.pass, false, id);
  assert.equal(beyond.get('added_p50')?.value, 0.51);
  assert.equal(beyond.get('cpu_vs_floor')?.value, 1.21);
});

test('the floor findings read the fixture\'s ratios, and are unmeasured without a floor or its CPU', () => {
  const profile = benchProfile({ concurrencies: [16] });
  const level = profile.levels[0];
  assert.ok(level.floor !== undefined && level.versusFloor !== undefined);
  const expected = (level.proxy.cpuUsPerRequest.hop as number) / (level.floor.cpuUsPerRequest.hop as number);
  assert.equal(byId(profile).get('cpu_vs_floor')?.value, expected);
  assert.equal(byId(profile).get('throughput_vs_floor')?.value, level.proxy.throughput / level.floor.throughput);
  level.versusFloor = { cpuPerRequest: null, throughput: 0.9 };
  assert.equal(byId(profile).get('cpu_vs_floor')?.pass, null, 'no CPU read (an external proxy)');
  const noFloor = benchProfile({ concurrencies: [16], floor: false });
  const f = byId(noFloor);
  assert.equal(f.get('cpu_vs_floor')?.pass, null);
  assert.equal(f.get('throughput_vs_floor')?.pass, null);
  const failing = judge(noFloor, DEFAULT_THRESHOLDS).findings.filter((x) => x.pass === false).map((x) => x.id);
  assert.ok(!failing.some((id) => id.includes('floor')), failing.join(', '));
});

test('bulk is judged on documents per second against direct, not against the floor', () => {
  const profile = withProxy(0.1, 0.5, 0.81, 1, { cpuPerRequest: 9, throughput: 0.1 });
  profile.workload = 'bulk';
  profile.docsPerRequest = 1000;
  const f = byId(profile);
  assert.equal(f.get('bulk_docs_ratio')?.pass, true);
  assert.equal(f.get('bulk_docs_ratio')?.value, 0.81);
  for (const id of ['throughput_ratio', 'cpu_vs_floor', 'throughput_vs_floor']) assert.equal(f.has(id), false, id);
  const title = judge(profile, DEFAULT_THRESHOLDS).findings.find((x) => x.id === 'bulk_docs_ratio')?.title ?? '';
  assert.match(title, /documents\/s .*1000 per request/);
  const judged = profile.levels.find((l) => l.concurrency === 16);
  assert.ok(judged !== undefined);
  judged.overhead.throughputRatio = 0.79;
  assert.equal(byId(profile).get('bulk_docs_ratio')?.pass, false);
});

test('one failing finding fails the verdict; unmeasured findings do not', () => {
  const profile = withProxy(0.1, 0.5, 0.95, null);
  profile.footprint = [];
  const verdict = judge(profile, { ...DEFAULT_THRESHOLDS, tail_amplification: 1_000 });
  const unmeasured = verdict.findings.filter((f) => f.pass === null).map((f) => f.id);
  assert.deepEqual(unmeasured.sort(), ['idle_rss', 'pool_reuse', 'soak_growth']);
  assert.equal(verdict.pass, true);
  assert.equal(judge(withProxy(0.6, 0.5, 0.95, null), DEFAULT_THRESHOLDS).pass, false);
});

test('tail amplification is read from the single-worker sweep, and is unmeasured without a sweep', () => {
  const swept = benchProfile({ concurrencies: [1, 64], profileLevel: { workers: 1, concurrency: 1 } });
  const amp = swept.sweeps[0].tailAmplification.proxy;
  assert.equal(byId(swept, { ...DEFAULT_THRESHOLDS, tail_amplification: amp }).get('tail_amplification')?.pass, true);
  assert.equal(byId(swept, { ...DEFAULT_THRESHOLDS, tail_amplification: amp * 0.99 }).get('tail_amplification')?.pass, false);
  const single = benchProfile({ concurrencies: [16] });
  assert.equal(byId(single).get('tail_amplification')?.pass, null);
});

test('footprint findings: idle RSS and growth against their limits', () => {
  const profile = benchProfile({ concurrencies: [16] });
  profile.footprint = [{ workers: 1, settleSeconds: 15, idleRssMib: 61, beforeSoakRssMib: 68, soakRequests: 100, justAfterSoakRssMib: 80, afterSoakRssMib: 70, growthMib: 9 }];
  const f = byId(profile);
  assert.equal(f.get('idle_rss')?.pass, false);
  assert.equal(f.get('soak_growth')?.pass, true);
});

test('a thresholds file overrides some defaults and names unknown keys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'osproxy-judge-'));
  const good = join(dir, 'good.yaml');
  writeFileSync(good, 'added_p50_ms: 3\nidle_rss_mib: 200\ncpu_vs_floor: 1.5\n');
  const t = loadThresholds(good);
  assert.equal(t.added_p50_ms, 3);
  assert.equal(t.cpu_vs_floor, 1.5);
  assert.equal(t.throughput_vs_floor, DEFAULT_THRESHOLDS.throughput_vs_floor);
  assert.equal(t.idle_rss_mib, 200);
  assert.equal(t.added_p99_ms, DEFAULT_THRESHOLDS.added_p99_ms);
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'added_p50: 3\npool_reuse: 2\n');
  assert.throws(() => loadThresholds(bad), (e: Error) => /added_p50/.test(e.message) && /pool_reuse/.test(e.message));
});
