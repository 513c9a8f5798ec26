import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Pool } from 'undici';
import { runRounds, warmUpAll } from '../../src/bench/measure-rounds.ts';
import type { LoadShape, SideContext, SideTarget } from '../../src/bench/measure-side.ts';
import type { Side } from '../../src/bench/profile.ts';
import type { BenchProgress } from '../../src/bench/progress.ts';
import { SamplesCsv } from '../../src/bench/samples-csv.ts';

/** Which side each request reached, in arrival order (every side has its own server). */
const arrivals: Side[] = [];

async function sideServer(side: Side): Promise<{ server: Server; pool: Pool }> {
  const server = createServer((req, res) => {
    arrivals.push(side);
    req.resume();
    req.on('end', () => res.end('{"ok":true}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, pool: new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { connections: 2 }) };
}

/** Collapses runs of equal entries: [a, a, b, b, a] → [a, b, a]. */
const runsOf = <T>(xs: readonly T[]): T[] => xs.filter((x, k) => k === 0 || xs[k - 1] !== x);

test('rounds run the sides in turn on the wire, and each side reports its rounds, samples and CPU', async (t) => {
  const sides: Side[] = ['floor', 'direct', 'proxy'];
  const servers = await Promise.all(sides.map(sideServer));
  const dir = mkdtempSync(join(tmpdir(), 'osproxy-rounds-'));
  t.after(async () => {
    for (const s of servers) {
      await s.pool.close();
      s.server.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });
  // The hops' "processes" are this one (the servers run here): enough to see each hop's CPU is read and direct's is not.
  const targets: SideTarget[] = sides.map((side, k) => ({
    side,
    pool: servers[k].pool,
    headers: {},
    build: (i) => ({ method: 'GET', path: `/${i}` }),
    ...(side === 'direct' ? {} : { hopPid: process.pid }),
  }));
  const labels: string[] = [];
  const progress: BenchProgress = { run: (l) => labels.push(l), tick: () => {}, note: () => {}, stop: () => {} };
  const samples = new SamplesCsv(join(dir, 'samples.csv'));
  const label = { workload: 'get', mode: 'closed' as const, workers: 1, concurrency: 2 };
  const ctx: SideContext = { progress, samples, label, signal: new AbortController().signal, upstreamPid: process.pid };
  const shape: LoadShape = { concurrency: 2, budget: { requests: 31 }, rounds: 3, warmupMs: 20 };

  await warmUpAll(targets, shape, ctx);
  const warmed = arrivals.length;
  assert.deepEqual(runsOf(arrivals), ['direct', 'proxy', 'floor'], 'warm-ups in round order');
  const results = await runRounds(targets, shape, ctx);
  await samples.close();

  const timed = arrivals.slice(warmed);
  assert.deepEqual(runsOf(timed), ['direct', 'proxy', 'floor', 'direct', 'proxy', 'floor', 'direct', 'proxy', 'floor']);
  assert.deepEqual(labels.slice(3), ['direct', 'proxy', 'floor', 'direct', 'proxy', 'floor', 'direct', 'proxy', 'floor'].map((s, k) => `${s} ×1 c=2 round ${Math.floor(k / 3) + 1}/3`));
  assert.deepEqual([...results.keys()], ['direct', 'proxy', 'floor']);
  for (const [side, r] of results) {
    assert.equal(r.requests, 31, side);
    assert.equal(r.latency.count, 31, `${side}: latency over every round`);
    assert.deepEqual(r.rounds.map((x) => [x.round, x.requests]), [[1, 11], [2, 10], [3, 10]], side);
    assert.equal(r.errors, 0);
    assert.ok(r.throughput > 0);
    assert.ok(r.cpuUsPerRequest.upstream !== null && r.cpuUsPerRequest.client !== null, side);
    assert.equal(r.cpuUsPerRequest.hop === null, side === 'direct', `${side}: hop CPU read only for a hop`);
  }
  const rows = readFileSync(join(dir, 'samples.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  assert.equal(rows.length, 93);
  assert.deepEqual(runsOf(rows.map((r) => `${r[4]}#${r[5]}`)), ['direct#1', 'proxy#1', 'floor#1', 'direct#2', 'proxy#2', 'floor#2', 'direct#3', 'proxy#3', 'floor#3']);
});

/*
 * One child process serves two sides on two ports: on the "proxy" port every request burns a known
 * amount of the child's own CPU (it loops on process.cpuUsage, so the figure does not depend on how
 * fast or busy the machine is), on the "floor" port it burns nothing. Both sides name the same pid,
 * so the floor's CPU per request stays small only if each round's CPU window covers exactly that
 * round: a window that leaked into the neighbouring round, or a division by the wrong request
 * count, would show on the floor side or move the proxy's figure off the burn.
 */
const TWO_PORTS = `
const http = require('node:http');
const burnUs = Number(process.argv[1]);
const serve = (burn) => http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (burn) { const t0 = process.cpuUsage(); for (;;) { const u = process.cpuUsage(t0); if (u.user + u.system >= burnUs) break; } }
    res.end('{"ok":true}');
  });
});
const a = serve(true).listen(0, '127.0.0.1', () => {
  const b = serve(false).listen(0, '127.0.0.1', () => console.log(JSON.stringify([a.address().port, b.address().port])));
});
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
`;

test('each round\'s CPU is read around that round alone and divided by its own requests', { skip: process.platform !== 'linux' }, async (t) => {
  const BURN_US = 4_000;
  const child = spawn(process.execPath, ['-e', TWO_PORTS, String(BURN_US)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
  const [burnPort, lightPort] = JSON.parse(first) as [number, number];
  const pools = [burnPort, lightPort].map((port) => new Pool(`http://127.0.0.1:${port}`, { connections: 2 }));
  const dir = mkdtempSync(join(tmpdir(), 'osproxy-rounds-cpu-'));
  t.after(async () => {
    await Promise.all(pools.map((p) => p.close()));
    child.stdin.end();
    rmSync(dir, { recursive: true, force: true });
  });
  const hop = (side: Side, pool: Pool): SideTarget => ({ side, pool, headers: {}, build: () => ({ method: 'GET', path: '/' }), hopPid: child.pid });
  const targets = [hop('proxy', pools[0]), hop('floor', pools[1])];
  const progress: BenchProgress = { run: () => {}, tick: () => {}, note: () => {}, stop: () => {} };
  const samples = new SamplesCsv(join(dir, 'samples.csv'));
  const ctx: SideContext = { progress, samples, label: { workload: 'get', mode: 'closed', workers: 1, concurrency: 2 }, signal: new AbortController().signal };
  // 3 rounds of 50 requests: a proxy round burns 200 ms, 20 ticks, so /proc's 10 ms resolution costs ≤ 10%.
  const shape: LoadShape = { concurrency: 2, budget: { requests: 150 }, rounds: 3, warmupMs: 50 };
  await warmUpAll(targets, shape, ctx);
  const results = await runRounds(targets, shape, ctx);
  await samples.close();
  const proxy = results.get('proxy')?.cpuUsPerRequest.hop ?? Number.NaN;
  const floor = results.get('floor')?.cpuUsPerRequest.hop ?? Number.NaN;
  assert.ok(proxy >= BURN_US * 0.85, `the burning side: ${proxy} µs per request for a ${BURN_US} µs burn`);
  assert.ok(proxy <= BURN_US * 3, `the burning side: ${proxy} µs per request for a ${BURN_US} µs burn`);
  assert.ok(floor < BURN_US / 4, `the idle side on the same process: ${floor} µs per request (the burning side's CPU leaked into its rounds?)`);
  for (const side of ['proxy', 'floor'] as const) {
    for (const r of results.get(side)?.rounds ?? []) assert.equal(r.requests, 50, `${side} round ${r.round}`);
  }
});
