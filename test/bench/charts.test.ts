import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCharts } from '../../src/bench/charts.ts';
import { chartSpecs, cpuSpec, hasSweep, seriesLabel, seriesRows } from '../../src/bench/chart-specs.ts';
import { benchProfile } from '../helpers/bench-profile.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk (right after the signature and the chunk's length and type). */
function pngSize(png: Buffer): { width: number; height: number } {
  assert.ok(png.subarray(0, 8).equals(PNG_SIGNATURE), 'PNG signature');
  assert.equal(png.toString('latin1', 12, 16), 'IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'osproxy-charts-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('writeCharts writes latency, sweep, throughput and CPU as SVG + PNG for a sweep with a peer', async () => {
  await withTempDir(async (dir) => {
    const files = await writeCharts(benchProfile({ peer: true, workers: [1, 2] }), dir);
    assert.deepEqual(files, ['latency.svg', 'latency.png', 'sweep.svg', 'sweep.png', 'throughput.svg', 'throughput.png', 'cpu.svg', 'cpu.png']);
    for (const name of files.filter((f) => f.endsWith('.png'))) {
      const { width, height } = pngSize(await readFile(join(dir, name)));
      assert.ok(width > 600, `${name} width ${width}`);
      assert.ok(height > 300, `${name} height ${height}`);
    }
    const latency = await readFile(join(dir, 'latency.svg'), 'utf8');
    assert.match(latency, /^<svg/);
    for (const text of ['latency (ms)', 'direct', 'proxy', 'peer', 'p50', 'p99', 'max', 'search latency, 1 KiB docs, concurrency 4']) {
      assert.ok(latency.includes(text), `latency.svg lacks ${text}`);
    }
    const sweep = await readFile(join(dir, 'sweep.svg'), 'utf8');
    for (const text of ['concurrency (in-flight requests)', 'latency (ms)', 'p50 latency', 'p99 latency', 'direct', 'proxy ×2 workers', 'peer ×1 worker']) {
      assert.ok(sweep.includes(text), `sweep.svg lacks ${text}`);
    }
    const throughput = await readFile(join(dir, 'throughput.svg'), 'utf8');
    for (const text of ['throughput (req/s)', 'concurrency (in-flight requests)', 'direct', 'proxy ×1 worker', 'peer ×2 workers', 'floor']) {
      assert.ok(throughput.includes(text), `throughput.svg lacks ${text}`);
    }
    const cpu = await readFile(join(dir, 'cpu.svg'), 'utf8');
    for (const text of ['CPU per request (µs)', 'search CPU per request', 'median of 3 rounds', 'hop', 'upstream', 'floor', 'peer']) {
      assert.ok(cpu.includes(text), `cpu.svg lacks ${text}`);
    }
  });
});

test('writeCharts skips the sweep chart with a single level and draws throughput as bars', async () => {
  await withTempDir(async (dir) => {
    const profile = benchProfile({ concurrencies: [16] });
    const files = await writeCharts(profile, dir);
    assert.deepEqual(files, ['latency.svg', 'latency.png', 'throughput.svg', 'throughput.png', 'cpu.svg', 'cpu.png']);
    const throughput = await readFile(join(dir, 'throughput.svg'), 'utf8');
    for (const text of ['throughput (req/s)', 'direct', 'proxy', 'floor']) assert.ok(throughput.includes(text), `throughput.svg lacks ${text}`);
    assert.ok(!throughput.includes('peer'));
    assert.ok(!throughput.includes('in-flight requests'), 'no concurrency axis for a single level');
  });
});

test('a profile without levels yields no charts', async () => {
  const profile = benchProfile();
  profile.levels = [];
  assert.deepEqual(chartSpecs(profile), []);
});

test('hasSweep needs two concurrencies for one worker count', () => {
  assert.equal(hasSweep(benchProfile({ concurrencies: [8] })), false);
  assert.equal(hasSweep(benchProfile({ concurrencies: [8], workers: [1, 2] })), false);
  assert.equal(hasSweep(benchProfile({ concurrencies: [8, 32] })), true);
});

test('the CPU chart stacks hop and upstream per side, and is left out when no CPU was read', () => {
  const profile = benchProfile({ concurrencies: [16] });
  const values = (cpuSpec(profile)?.data as { values: { series: string; part: string; us: number }[] }).values;
  const level = profile.levels[0];
  assert.deepEqual(values.filter((v) => v.series === 'direct').map((v) => v.part), ['upstream'], 'direct has no hop');
  assert.equal(values.find((v) => v.series === 'proxy' && v.part === 'hop')?.us, level.proxy.cpuUsPerRequest.hop);
  assert.equal(values.find((v) => v.series === 'floor' && v.part === 'hop')?.us, level.floor?.cpuUsPerRequest.hop);
  for (const side of [level.direct, level.proxy, ...(level.floor ? [level.floor] : [])]) side.cpuUsPerRequest = { hop: null, upstream: null, client: null };
  assert.equal(cpuSpec(profile), null);
});

test('series labels name the worker count only when several were measured, and never for direct or the floor', () => {
  assert.equal(seriesLabel('proxy', 1, false), 'proxy');
  assert.equal(seriesLabel('proxy', 1, true), 'proxy ×1 worker');
  assert.equal(seriesLabel('peer', 4, true), 'peer ×4 workers');
  assert.equal(seriesLabel('direct', 4, true), 'direct');
  assert.equal(seriesLabel('floor', 4, true), 'floor');
  const rows = seriesRows(benchProfile({ workers: [1, 2], concurrencies: [1, 8] }));
  assert.deepEqual([...new Set(rows.map((r) => r.series))], ['direct', 'proxy ×1 worker', 'proxy ×2 workers', 'floor']);
  assert.equal(rows.filter((r) => r.series === 'direct').length, 2, 'direct from one worker count only');
  assert.equal(rows.filter((r) => r.series === 'floor').length, 2, 'the floor from one worker count only');
});
