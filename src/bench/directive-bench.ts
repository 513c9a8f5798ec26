/**
 * `npm run bench:directives`: what diagnostics directives cost (SPEC §6). Two figures:
 *  - micro: µs per evaluation of a request against N published directives, none matching;
 *  - end to end: proxy CPU µs per GET (from /proc/<pid>/stat) of an instance with N directives
 *    published vs one with none, in interleaved rounds (the order alternates every round), median.
 *
 *   npm run bench:directives [-- --directives 1000 --requests 6000 --rounds 7]
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { stringify } from 'yaml';
import { hashToken } from '../auth/index.ts';
import { isEntryScript } from '../core/entry-script.ts';
import { DirectiveDocSchema } from '../control/directive-doc.ts';
import { DirectiveSet, sampleSlot, type DirectiveEntry } from '../control/directive-set.ts';
import { cpuDuring } from '../observe/process-cpu.ts';
import { runClosedLoop } from './closed-loop.ts';
import { spawnEngine, spawnProxy, type BenchProcess } from './processes.ts';
import { median } from './rounds.ts';

const OPERATOR = 'directive-bench-operator';
const TENANT_TOKEN = 'directive-bench-acme';

/** Directives of other tenants (most) and other principals (a tenth): what a busy fleet has. */
function directiveBody(i: number, expiresAt: string): Record<string, unknown> {
  const match = i % 10 === 9 ? { principal: `tenant-${i}/app` } : { tenant: `tenant-${i}`, ...(i % 3 === 0 ? { index: 'orders' } : {}) };
  return { match, level: i % 2 === 0 ? 'timing' : 'rewrite', sample_per_mille: 500, expires_at: expiresAt, ...(i % 7 === 0 ? { ring_buffer: { size: 64 } } : {}) };
}

/** µs per evaluation of a non-matching request against `n` directives, in process. */
export function microEvaluationMicros(n: number, evaluations = 2_000_000): number {
  const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
  const entries = new Map<string, DirectiveEntry>();
  for (let i = 0; i < n; i++) {
    const doc = DirectiveDocSchema.parse({ ...directiveBody(i, expiresAt), id: `d${i}`, version: 1, published_at: 0, published_by: 'bench' });
    entries.set(`d${i}`, { id: `d${i}`, doc, expiresMs: Date.parse(expiresAt), seqNo: i, primaryTerm: 1, updatedAt: 0 });
  }
  const set = new DirectiveSet(entries);
  const facts = { tenant: 'acme', principal: 'acme/app', endpoint: 'doc_get', indices: ['orders'] };
  const ids = Array.from({ length: 1024 }, (_, i) => `req-${i}`);
  const now = Date.now();
  let hits = 0;
  for (let i = 0; i < evaluations / 10; i++) hits += set.evaluate(facts, now, sampleSlot(ids[i & 1023])) === undefined ? 0 : 1;
  const started = process.hrtime.bigint();
  for (let i = 0; i < evaluations; i++) hits += set.evaluate(facts, now, sampleSlot(ids[i & 1023])) === undefined ? 0 : 1;
  const micros = Number(process.hrtime.bigint() - started) / 1000 / evaluations;
  if (hits !== 0) throw new Error('a directive matched: the bench measures the no-match path');
  return micros;
}

function configFile(engineUrl: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'osproxy-directive-bench-')), 'osproxy.yaml');
  writeFileSync(file, stringify({
    listeners: [{ host: '127.0.0.1', port: 0 }],
    clusters: { default: { url: engineUrl } },
    operators: [{ name: 'bench', token_sha256: hashToken(OPERATOR) }],
    tenants: { acme: { principals: [{ name: 'app', token_sha256: hashToken(TENANT_TOKEN), roles: ['read', 'write', 'manage'] }] } },
    control: { store: 'memory' },
    log_level: 'warn',
  }));
  return file;
}

async function publish(proxy: BenchProcess, n: number): Promise<void> {
  const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${proxy.url}/_osproxy/admin/directives/d${i}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${OPERATOR}`, 'content-type': 'application/json' },
      body: JSON.stringify(directiveBody(i, expiresAt)),
    });
    if (res.status !== 201) throw new Error(`publishing directive ${i} failed: ${res.status} ${await res.text()}`);
  }
}

/** CPU µs per `GET /orders/_doc/1`, closed loop at c=16. */
async function cpuPerGet(proxy: BenchProcess, requests: number): Promise<number> {
  const pool = new Pool(proxy.url, { connections: 16 });
  const headers = { authorization: `Bearer ${TENANT_TOKEN}` };
  try {
    const cpu = await cpuDuring(proxy.pid, async () => {
      await runClosedLoop({ concurrency: 16, budget: { requests }, send: async () => {
        const res = await pool.request({ method: 'GET', path: '/orders/_doc/1', headers });
        await res.body.dump();
        if (res.statusCode !== 200) throw new Error(`GET answered ${res.statusCode}`);
        return res.statusCode;
      } });
    });
    return cpu / requests;
  } finally {
    await pool.close();
  }
}

export interface DirectiveBenchResult {
  directives: number;
  micro_us_per_evaluation: number;
  cpu_us_per_get: { none: number; with_directives: number; ratio: number; rounds: { none: number[]; with_directives: number[] } };
}

export async function runDirectiveBench(opts: { directives: number; requests: number; rounds: number }): Promise<DirectiveBenchResult> {
  const micro = microEvaluationMicros(opts.directives);
  const engine = await spawnEngine();
  const started: BenchProcess[] = [engine];
  try {
    const none = await spawnProxy(configFile(engine.url));
    started.push(none);
    const many = await spawnProxy(configFile(engine.url));
    started.push(many);
    await publish(many, opts.directives);
    for (const p of [none, many]) {
      const put = await fetch(`${p.url}/orders/_doc/1?refresh=true`, { method: 'PUT', headers: { authorization: `Bearer ${TENANT_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ v: 'x'.repeat(1000) }) });
      await put.arrayBuffer();
      await cpuPerGet(p, Math.ceil(opts.requests / 2)); // warm-up
    }
    const rounds = { none: [] as number[], with_directives: [] as number[] };
    for (let r = 0; r < opts.rounds; r++) {
      // Alternate who goes first: a drift within a round lands on both sides alike.
      const order: ['none' | 'with_directives', BenchProcess][] = r % 2 === 0 ? [['none', none], ['with_directives', many]] : [['with_directives', many], ['none', none]];
      for (const [side, p] of order) rounds[side].push(await cpuPerGet(p, opts.requests));
    }
    const a = median(rounds.none) ?? Number.NaN;
    const b = median(rounds.with_directives) ?? Number.NaN;
    return { directives: opts.directives, micro_us_per_evaluation: micro, cpu_us_per_get: { none: a, with_directives: b, ratio: b / a, rounds } };
  } finally {
    for (const p of started.reverse()) await p.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { directives: { type: 'string', default: '1000' }, requests: { type: 'string', default: '6000' }, rounds: { type: 'string', default: '7' }, out: { type: 'string', default: 'bench-results/directives' } } });
  const result = await runDirectiveBench({ directives: Number(values.directives), requests: Number(values.requests), rounds: Number(values.rounds) });
  mkdirSync(values.out as string, { recursive: true });
  writeFileSync(join(values.out as string, 'directives.json'), JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result, null, 2));
  console.log(`micro: ${result.micro_us_per_evaluation.toFixed(3)} µs per evaluation with ${result.directives} directives (target ≤ 1 µs)`);
  console.log(`end to end: ${result.cpu_us_per_get.with_directives.toFixed(1)} vs ${result.cpu_us_per_get.none.toFixed(1)} CPU µs per GET = ${result.cpu_us_per_get.ratio.toFixed(3)}× (target ≤ 1.05×)`);
}

if (isEntryScript(import.meta.url)) await main();
