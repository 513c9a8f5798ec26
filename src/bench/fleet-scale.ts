/**
 * `npm run bench:fleet`: the control plane at scale (issue: 10,000 tenants × 5 logical indexes in
 * the fleet store). Prints resident memory per tenant (RSS with N tenants minus RSS with 1, over N),
 * start-up to serving, how fast a change reaches a second instance and how few documents each poll
 * reads, and the proxy's CPU per request with N tenants vs 1 (interleaved rounds, /proc/<pid>/stat).
 *
 *   npm run bench:fleet [-- --tenants 10000 --indexes 5 --requests 3000]
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { stringify } from 'yaml';
import { hashToken } from '../auth/index.ts';
import { BENCH_BUILD_DIR, bundleCli } from '../build/bundle.ts';
import { cpuDuring } from '../observe/process-cpu.ts';
import { processTreeRssKib } from '../observe/process-rss.ts';
import { runClosedLoop } from './closed-loop.ts';
import { fillFleetStore, token } from './fleet-store-fill.ts';
import { spawnEngine, spawnProxy, type BenchProcess } from './processes.ts';

const OPERATOR = 'fleet-bench-operator';

function configFile(engineUrl: string, alias: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'osproxy-fleet-bench-')), 'osproxy.yaml');
  writeFileSync(file, stringify({
    listeners: [{ host: '127.0.0.1', port: 0 }],
    clusters: { default: { url: engineUrl } },
    operators: [{ name: 'bench', token_sha256: hashToken(OPERATOR) }],
    control: { index: alias },
    log_level: 'warn',
  }));
  return file;
}

interface Started {
  proxy: BenchProcess;
  startupMs: number;
}

/** Spawns an instance and measures spawn → the first tenant request answered 200. */
async function startInstance(entry: string, file: string): Promise<Started> {
  const began = performance.now();
  const proxy = await spawnProxy(file, { entry, nodeArgs: ['--max-semi-space-size=1'] });
  // Answered from the snapshot alone: authenticated, and the tenant's logical index known.
  for (const deadline = began + 60_000; performance.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
    const res = await fetch(`${proxy.url}/idx-0`, { method: 'HEAD', headers: { authorization: `Bearer ${token(0)}` } });
    if (res.status === 200) return { proxy, startupMs: performance.now() - began };
  }
  await proxy.stop();
  throw new Error('the instance did not serve tenant 0 within 60 s');
}

async function settledRssKib(pid: number): Promise<number> {
  await new Promise((r) => setTimeout(r, 3_000));
  return processTreeRssKib(pid) ?? Number.NaN;
}

/** CPU µs per `GET /idx-0/_doc/1` of tenant 0, closed loop at c=16. */
async function cpuPerRequest(proxy: BenchProcess, requests: number): Promise<number> {
  const pool = new Pool(proxy.url, { connections: 16 });
  const headers = { authorization: `Bearer ${token(0)}` };
  try {
    const cpu = await cpuDuring(proxy.pid, async () => {
      await runClosedLoop({ concurrency: 16, budget: { requests }, send: async () => {
        const res = await pool.request({ method: 'GET', path: '/idx-0/_doc/1', headers });
        await res.body.dump();
        return res.statusCode;
      } });
    });
    return cpu / requests;
  } finally {
    await pool.close();
  }
}

async function metric(proxy: BenchProcess, name: string, kind: string): Promise<number> {
  const text = await (await fetch(`${proxy.url}/_osproxy/metrics`, { headers: { authorization: `Bearer ${OPERATOR}` } })).text();
  const m = new RegExp(`^${name}\\{kind="${kind}"\\} (\\S+)$`, 'm').exec(text);
  return m === null ? Number.NaN : Number(m[1]);
}

/** A tenant created through `a`, until `b` serves it. */
async function propagationMs(a: BenchProcess, b: BenchProcess): Promise<number> {
  const id = `new-${Date.now()}`;
  const put = await fetch(`${a.url}/_osproxy/admin/tenants/${id}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${OPERATOR}`, 'content-type': 'application/json' },
    body: JSON.stringify({ principals: [{ name: 'app', token_sha256: hashToken(`tok-${id}`) }] }),
  });
  if (put.status !== 201) throw new Error(`creating a tenant failed: ${put.status} ${await put.text()}`);
  const began = performance.now();
  for (const deadline = began + 30_000; performance.now() < deadline; await new Promise((r) => setTimeout(r, 10))) {
    const res = await fetch(`${b.url}/`, { method: 'HEAD', headers: { authorization: `Bearer tok-${id}` } });
    if (res.status === 200) return performance.now() - began;
  }
  throw new Error('the change did not reach the second instance within 30 s');
}

const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { tenants: { type: 'string', default: '10000' }, indexes: { type: 'string', default: '5' }, requests: { type: 'string', default: '10000' }, out: { type: 'string', default: 'bench-results/fleet-scale' } } });
  const tenants = Number(values.tenants);
  const indexes = Number(values.indexes);
  const requests = Number(values.requests);
  const engine = await spawnEngine();
  const started: BenchProcess[] = [engine];
  try {
    const entry = await bundleCli(BENCH_BUILD_DIR);
    await fillFleetStore(engine.url, '.osproxy-fleet-one', 1, indexes);
    await fillFleetStore(engine.url, '.osproxy-fleet', tenants, indexes);
    const one = await startInstance(entry, configFile(engine.url, '.osproxy-fleet-one'));
    started.push(one.proxy);
    const many = await startInstance(entry, configFile(engine.url, '.osproxy-fleet'));
    started.push(many.proxy);
    const rssOne = await settledRssKib(one.proxy.pid);
    const rssMany = await settledRssKib(many.proxy.pid);
    for (const p of [one.proxy, many.proxy]) {
      await fetch(`${p.url}/idx-0/_doc/1?refresh=true`, { method: 'PUT', headers: { authorization: `Bearer ${token(0)}`, 'content-type': 'application/json' }, body: JSON.stringify({ v: 'x'.repeat(1000) }) }).then((r) => r.arrayBuffer());
      await cpuPerRequest(p, Math.ceil(requests / 3)); // warm-up
    }
    const cpuOne: number[] = [];
    const cpuMany: number[] = [];
    for (let round = 0; round < 5; round++) {
      cpuOne.push(await cpuPerRequest(one.proxy, requests));
      cpuMany.push(await cpuPerRequest(many.proxy, requests));
    }
    const second = await startInstance(entry, configFile(engine.url, '.osproxy-fleet'));
    started.push(second.proxy);
    const propagation = [await propagationMs(many.proxy, second.proxy), await propagationMs(second.proxy, many.proxy), await propagationMs(many.proxy, second.proxy)];
    const polls0 = await metric(second.proxy, 'osproxy_control_reads_total', 'changes');
    const docs0 = await metric(second.proxy, 'osproxy_control_docs_read_total', 'changes');
    await new Promise((r) => setTimeout(r, 5_000));
    const polls = (await metric(second.proxy, 'osproxy_control_reads_total', 'changes')) - polls0;
    const docsPerPoll = ((await metric(second.proxy, 'osproxy_control_docs_read_total', 'changes')) - docs0) / polls;
    const result = {
      tenants,
      indexes_per_tenant: indexes,
      rss_kib: { one_tenant: rssOne, many_tenants: rssMany },
      kib_per_tenant: (rssMany - rssOne) / tenants,
      startup_ms: { one_tenant: Math.round(one.startupMs), many_tenants: Math.round(many.startupMs) },
      change_propagation_ms: propagation.map(Math.round),
      change_poll: { polls, docs_per_poll: docsPerPoll, store_docs: tenants * (indexes + 1) },
      cpu_us_per_get: { one_tenant: Math.round(median(cpuOne)), many_tenants: Math.round(median(cpuMany)), ratio: median(cpuMany) / median(cpuOne), rounds: { one: cpuOne.map(Math.round), many: cpuMany.map(Math.round) } },
    };
    mkdirSync(values.out as string, { recursive: true });
    writeFileSync(join(values.out as string, 'fleet-scale.json'), JSON.stringify(result, null, 2));
    console.log(JSON.stringify(result, null, 2));
  } finally {
    for (const p of started.reverse()) await p.stop();
  }
}

await main();
