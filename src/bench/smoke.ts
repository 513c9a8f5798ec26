/**
 * `npm run bench:smoke`: a quick proxy-vs-direct comparison (SPEC §8 in miniature). Spawns the
 * engine and the proxy, loads 5,000 ~1 KiB documents through the proxy as one tenant, then runs
 * get / index / search closed-loop direct → proxy → direct (best direct kept), and prints the
 * proxy's added latency, its throughput ratio, and its RSS. About 60 s with the defaults.
 *
 *   npm run bench:smoke -- [--seconds 5] [--concurrency 16]
 */
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { runClosedLoop, type LoopResult, type SendRequest } from './closed-loop.ts';
import type { HeaderMap } from './http.ts';
import { residentKib } from './processes.ts';
import { checkParity, loadCorpus } from './smoke-setup.ts';
import { printReport, type SideRun } from './smoke-report.ts';
import { startSmokeStack } from './smoke-stack.ts';
import { smokeWorkloads, type Workload } from './smoke-workloads.ts';
import { positive } from './cli-options.ts';
import { Teardown } from './teardown.ts';

const DOCS = 5_000;
const WARMUP_MS = 1_000;

interface SmokeOptions {
  seconds: number;
  concurrency: number;
  /** Aborted on SIGINT/SIGTERM: loops stop and the run fails instead of reporting partial figures. */
  signal: AbortSignal;
}

function parseOptions(argv: string[], signal: AbortSignal): SmokeOptions {
  const { values } = parseArgs({
    args: argv,
    options: { seconds: { type: 'string', default: '5' }, concurrency: { type: 'string', default: '16' } },
  });
  return { seconds: positive('seconds', values.seconds), concurrency: Math.round(positive('concurrency', values.concurrency)), signal };
}

/** One side of one workload: a warm-up, then the measured closed loop. */
async function measure(send: SendRequest, opts: SmokeOptions): Promise<LoopResult> {
  const { concurrency, signal } = opts;
  await runClosedLoop({ concurrency, durationMs: WARMUP_MS, send, signal });
  const result = await runClosedLoop({ concurrency, durationMs: opts.seconds * 1000, send, signal });
  signal.throwIfAborted();
  return result;
}

const throughput = (r: LoopResult): number => r.requests / r.seconds;

/** Direct, proxy, direct again; the better (higher req/s) direct run is kept, to reduce order bias. */
async function runWorkload(workload: Workload, opts: SmokeOptions): Promise<SideRun[]> {
  console.log(`  ${workload.name}…`);
  const direct1 = await measure(workload.send.direct, opts);
  const proxy = await measure(workload.send.proxy, opts);
  const direct2 = await measure(workload.send.direct, opts);
  const direct = throughput(direct2) > throughput(direct1) ? direct2 : direct1;
  return [
    { workload: workload.name, side: 'direct', note: 'best of 2', result: direct },
    { workload: workload.name, side: 'proxy', result: proxy },
  ];
}

function printFootprint(pid: number): void {
  const kib = residentKib(pid);
  console.log(`\nproxy RSS at end: ${kib === undefined ? 'unavailable' : `${(kib / 1024).toFixed(1)} MiB`} (pid ${pid})`);
}

async function main(): Promise<void> {
  const teardown = new Teardown();
  const opts = parseOptions(process.argv.slice(2), teardown.signal);
  teardown.onSignals();
  try {
    const stack = await startSmokeStack(teardown);
    const engine = new Pool(stack.engine.url, { connections: opts.concurrency, pipelining: 1 });
    const proxy = new Pool(stack.proxy.url, { connections: opts.concurrency, pipelining: 1 });
    teardown.add(() => Promise.all([engine.close(), proxy.close()]).then(() => undefined));
    const auth: HeaderMap = { authorization: `Bearer ${stack.token}` };
    console.log(`smoke bench: engine ${stack.engine.url}, proxy ${stack.proxy.url}; c=${opts.concurrency}, ${opts.seconds} s per side after ${WARMUP_MS / 1000} s warm-up`);
    const loadStart = performance.now();
    await loadCorpus(proxy, auth, DOCS);
    await checkParity(engine, proxy, auth, DOCS);
    console.log(`loaded ${DOCS} docs through the proxy in ${((performance.now() - loadStart) / 1000).toFixed(1)} s; running:`);
    const runs: SideRun[] = [];
    for (const workload of smokeWorkloads({ engine, proxy, auth, docs: DOCS })) runs.push(...(await runWorkload(workload, opts)));
    console.log('');
    printReport(runs);
    printFootprint(stack.proxy.pid);
  } finally {
    await teardown.run();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
