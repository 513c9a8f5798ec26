import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { processCpuMicros } from '../../src/observe/process-cpu.ts';
import { cpuAround, processTreeCpuMicros } from '../../src/bench/tree-cpu.ts';

/*
 * A burner spends a known amount of its *own* CPU time (it loops until process.cpuUsage says so),
 * so the figure to expect does not depend on how fast or how busy the machine is. It first starts
 * `kids` burners of its own (children in /proc), says "ready", burns on "go" together with its
 * children, and says "done" when all of them have.
 */
const BURNER = `
const { spawn } = require('node:child_process');
const { createInterface } = require('node:readline');
const [burnMs, kids] = process.argv.slice(1).map(Number);
const burn = () => { const t0 = process.cpuUsage(); let x = 0; for (;;) { for (let i = 0; i < 1e5; i++) x += i; const u = process.cpuUsage(t0); if ((u.user + u.system) / 1000 >= burnMs) return x; } };
const lines = (s) => createInterface({ input: s });
const children = Array.from({ length: kids }, () => spawn(process.execPath, ['-e', process.env.BURNER, String(burnMs), '0'], { stdio: ['pipe', 'pipe', 'inherit'] }));
const waitAll = (word) => Promise.all(children.map((c) => new Promise((r) => { const l = lines(c.stdout); l.on('line', (x) => { if (x === word) { l.close(); r(); } }); })));
waitAll('ready').then(() => {
  console.log('ready');
  lines(process.stdin).on('line', async (x) => {
    if (x !== 'go') return;
    for (const c of children) c.stdin.write('go\\n');
    burn();
    await waitAll('done');
    console.log('done');
  });
});
process.stdin.on('end', () => { for (const c of children) c.kill(); process.exit(0); });
`;

const BURN_MS = 300;
/** /proc counts whole 10 ms ticks: each of two reads may be a tick off per process. */
const TICK_SLACK_MS = 20;

async function startBurner(t: TestContext, kids: number): Promise<{ child: ChildProcess; burn: () => Promise<void> }> {
  const child = spawn(process.execPath, ['-e', BURNER, String(BURN_MS), String(kids)], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, BURNER } });
  t.after(() => child.stdin?.end());
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const next = (word: string): Promise<void> => new Promise((resolve) => lines.on('line', (l) => l === word && resolve()));
  await next('ready');
  return {
    child,
    burn: async () => {
      child.stdin?.write('go\n');
      await next('done');
    },
  };
}

const ms = (us: number | undefined): number => (us ?? Number.NaN) / 1000;

test('a process that burns a known amount of CPU is measured within generous bounds', { skip: process.platform !== 'linux' }, async (t) => {
  const { child, burn } = await startBurner(t, 0);
  const pid = child.pid as number;
  const before = processTreeCpuMicros(pid);
  await burn();
  const spent = ms(processTreeCpuMicros(pid)) - ms(before);
  assert.ok(spent >= BURN_MS - TICK_SLACK_MS, `measured ${spent} ms, burnt at least ${BURN_MS} ms`);
  assert.ok(spent <= BURN_MS * 1.5 + 100, `measured ${spent} ms for a ${BURN_MS} ms burn`);
});

test('a process tree sums its children; the root alone does not', { skip: process.platform !== 'linux' }, async (t) => {
  const kids = 2;
  const { child, burn } = await startBurner(t, kids);
  const pid = child.pid as number;
  const [treeBefore, rootBefore] = [processTreeCpuMicros(pid), processCpuMicros(pid)];
  await burn();
  const tree = ms(processTreeCpuMicros(pid)) - ms(treeBefore);
  const root = ms(processCpuMicros(pid)) - ms(rootBefore);
  const expected = BURN_MS * (1 + kids);
  assert.ok(tree >= expected - TICK_SLACK_MS * (1 + kids), `tree ${tree} ms, expected ≥ ${expected} ms`);
  assert.ok(tree <= expected * 1.5 + 200, `tree ${tree} ms for ${expected} ms burnt`);
  assert.ok(root <= BURN_MS * 1.5 + 100, `root alone ${root} ms`);
  assert.ok(tree - root >= kids * BURN_MS - TICK_SLACK_MS * kids, `children counted: tree ${tree} ms, root ${root} ms`);
});

test('cpuAround reads the hop and the client, and null for what it was not given', { skip: process.platform !== 'linux' }, async (t) => {
  const { child, burn } = await startBurner(t, 0);
  const { spent } = await cpuAround({ hopPid: child.pid }, burn);
  assert.ok(spent.hop !== null && spent.hop / 1000 >= BURN_MS - TICK_SLACK_MS, `hop ${spent.hop} µs`);
  assert.equal(spent.upstream, null);
  assert.ok(spent.client >= 0);
  const busy = await cpuAround({}, async () => {
    const t0 = process.cpuUsage();
    while (process.cpuUsage(t0).user < 50_000); // 50 ms in this process
  });
  assert.ok(busy.spent.client >= 50_000, `client ${busy.spent.client} µs`);
  assert.equal(busy.spent.hop, null);
});

test('a process that is gone reads as undefined', { skip: process.platform !== 'linux' }, async () => {
  const child = spawn(process.execPath, ['-e', '0']);
  await once(child, 'exit');
  assert.equal(processTreeCpuMicros(child.pid as number), undefined);
});
