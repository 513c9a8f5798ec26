/**
 * `osproxy bench`: starts (or takes) the upstream, the floor forwarder, the nginx peer and the
 * proxy, loads the corpus, measures every worker count × concurrency level on each side in
 * interleaved rounds, then writes the profile, the verdict, the report, the samples and the
 * charts into the output directory.
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { BENCH_BUILD_DIR, bundleCli } from '../build/bundle.ts';
import { sweepSummaries } from './analysis.ts';
import type { BenchOptions } from './bench-options.ts';
import { randomBenchTokens, startBenchProxy, type BenchLaunch, type BenchProxy } from './bench-proxy.ts';
import { checkParity, loadCorpus } from './bench-setup.ts';
import { Corpus, corpusSize } from './corpus.ts';
import { findCpuProfile, hotFunctions, readCpuProfile } from './cpu-profile.ts';
import { startFloorProcess } from './floor-process.ts';
import { judge, loadThresholds } from './judge.ts';
import { idleFootprint, type IdleFootprint } from './idle-footprint.ts';
import { measureWorkers, settledTreeRssMib, type HopPool, type WorkersContext } from './measure-workers.ts';
import { startNginxPeer } from './nginx-peer.ts';
import { writeOutputs } from './outputs.ts';
import { spawnEngine } from './processes.ts';
import type { Footprint, LevelResult, Profile, Verdict } from './profile.ts';
import { createProgress, type BenchProgress } from './progress.ts';
import { SamplesCsv } from './samples-csv.ts';
import type { Teardown } from './teardown.ts';
import { buildWorkload } from './workloads.ts';

const HOT_FUNCTIONS = 15;

export interface BenchRun {
  profile: Profile;
  verdict: Verdict;
  files: string[];
}

interface Upstream {
  url: string;
  kind: 'engine' | 'external';
  /** The engine's process; an external upstream's CPU is not ours to read. */
  pid?: number;
}

async function startUpstream(opts: BenchOptions, teardown: Teardown): Promise<Upstream> {
  if (opts.upstream !== undefined) return { url: opts.upstream, kind: 'external' };
  const engine = await spawnEngine();
  teardown.add(() => engine.stop());
  return { url: engine.url, kind: 'engine', pid: engine.pid };
}

function pool(url: string, connections: number, teardown: Teardown): Pool {
  const p = new Pool(url, { connections, pipelining: 1 });
  teardown.add(() => (p.closed || p.destroyed ? undefined : p.close()));
  return p;
}

function plannedRuns(opts: BenchOptions, sides: number): number {
  const perSide = opts.rounds + (opts.warmupSeconds > 0 ? 1 : 0);
  return opts.workers.length * (opts.concurrencies.length * sides * perSide + (opts.soakRequests > 0 ? 1 : 0));
}

async function startProxyFor(opts: BenchOptions, upstream: string, workers: number, profiled: boolean, launch: BenchLaunch, teardown: Teardown): Promise<BenchProxy> {
  if (opts.proxy !== undefined) return { url: opts.proxy.url, token: opts.proxy.token, operatorToken: opts.proxy.operatorToken };
  return startBenchProxy({ upstream, workers, entry: launch.entry, tokens: launch.tokens, cpuProfileDir: profiled ? join(opts.out, 'cpu') : undefined }, teardown);
}

interface Measured {
  levels: LevelResult[];
  footprint: Footprint[];
}

async function measureAll(opts: BenchOptions, ctx: WorkersContext, upstream: string, corpus: Corpus, launch: BenchLaunch, idle: IdleFootprint, teardown: Teardown): Promise<Measured> {
  const measured: Measured = { levels: [], footprint: [] };
  for (const [k, workers] of opts.workers.entries()) {
    ctx.progress.note(`starting the proxy (${workers} worker${workers === 1 ? '' : 's'})`);
    const proxy = await startProxyFor(opts, upstream, workers, opts.cpuProfile && k === 0, launch, teardown);
    const proxyPool = pool(proxy.url, Math.max(...opts.concurrencies), teardown);
    if (k === 0) {
      ctx.progress.note(`loading ${corpus.docs} documents of ${corpus.docSize} B through the proxy`);
      const auth = { authorization: `Bearer ${proxy.token}` };
      await loadCorpus(proxyPool, auth, corpus);
      await checkParity(ctx.direct, proxyPool, auth, corpus);
    }
    const result = await measureWorkers(ctx, proxy, proxyPool, workers, idle.proxyMib.get(workers) ?? null);
    measured.levels.push(...result.levels);
    measured.footprint.push(result.footprint);
    await proxyPool.close();
    await proxy.process?.stop(); // also writes the CPU profile of a profiled proxy
  }
  return measured;
}

function cpuSection(opts: BenchOptions): Profile['cpuProfile'] {
  const file = opts.cpuProfile ? findCpuProfile(join(opts.out, 'cpu')) : undefined;
  if (file === undefined) return undefined;
  return { file, ...hotFunctions(readCpuProfile(file), HOT_FUNCTIONS) };
}

export async function runBench(opts: BenchOptions, teardown: Teardown): Promise<BenchRun> {
  const started = new Date();
  const thresholds = loadThresholds(opts.thresholdsFile); // fail before starting anything
  mkdirSync(opts.out, { recursive: true });
  const upstream = await startUpstream(opts, teardown);
  const peer = opts.peer === undefined ? undefined : await startNginxPeer(upstream.url, teardown);
  // The proxy runs as deployed: bundled JavaScript under plain node, built once from the current sources.
  const launch: BenchLaunch = { entry: opts.proxy === undefined ? await bundleCli(BENCH_BUILD_DIR) : undefined, tokens: randomBenchTokens() };
  const idle = await idleFootprint(opts, upstream.url, launch, teardown);
  const floor = await startFloorProcess(upstream.url, teardown);
  const maxConnections = Math.max(...opts.concurrencies);
  const hop = (url: string, pid: number): HopPool => ({ pool: pool(url, maxConnections, teardown), pid });
  const peerPool = peer !== undefined && 'url' in peer ? hop(peer.url, peer.pid) : undefined;
  const progress: BenchProgress = createProgress(opts.progress, plannedRuns(opts, peerPool === undefined ? 3 : 4));
  teardown.add(() => progress.stop());
  const samples = new SamplesCsv(join(opts.out, 'samples.csv'));
  const corpus = new Corpus(corpusSize(opts.docSize), opts.docSize);
  const ctx: WorkersContext = {
    opts,
    workload: buildWorkload(opts.workload, corpus, opts.bulkBatch),
    direct: pool(upstream.url, maxConnections, teardown),
    peer: peerPool,
    floor: hop(floor.url, floor.pid),
    upstreamPid: upstream.pid,
    progress,
    samples,
    signal: teardown.signal,
  };
  const measured = await measureAll(opts, ctx, upstream.url, corpus, launch, idle, teardown);
  // The floor has been quiet since its last round, through the proxy's soak and settle.
  const floorAfterRssMib = await settledTreeRssMib(floor.pid, 0);
  await samples.close();
  progress.stop();
  const profile: Profile = {
    version: 2,
    startedAt: started.toISOString(),
    durationSeconds: (Date.now() - started.getTime()) / 1000,
    environment: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpus: availableParallelism(),
      upstream: upstream.url,
      upstreamKind: upstream.kind,
      proxy: opts.proxy?.url ?? 'started by the bench (bundled JavaScript under node)',
      peer: peer !== undefined && 'url' in peer ? `nginx ${peer.version}` : null,
      ...(peer !== undefined && 'missing' in peer ? { peerNote: peer.missing } : {}),
    },
    workload: opts.workload,
    docSizeBytes: opts.docSize,
    docsPerRequest: opts.workload === 'bulk' ? opts.bulkBatch : 1,
    corpusDocs: corpus.docs,
    mode: opts.rate === undefined ? 'closed' : 'open',
    ...(opts.rate === undefined ? {} : { rate: opts.rate }),
    budget: { seconds: opts.durationSeconds, requests: opts.requests, rounds: opts.rounds },
    levels: measured.levels,
    profileLevel: { workers: opts.workers[0], concurrency: opts.profileConcurrency },
    sweeps: sweepSummaries(measured.levels),
    footprint: measured.footprint,
    floorFootprint: { idleRssMib: idle.floorMib, afterRoundsRssMib: floorAfterRssMib, growthMib: idle.floorMib === null || floorAfterRssMib === null ? null : floorAfterRssMib - idle.floorMib },
    cpuProfile: cpuSection(opts),
  };
  const verdict = judge(profile, thresholds);
  const files = await writeOutputs(opts.out, profile, verdict);
  return { profile, verdict, files };
}
