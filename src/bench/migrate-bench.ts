/**
 * `npm run bench:migrate`: a live migration of one tenant's index of 100k × 1 KiB documents
 * (shared → index by default) across a fleet of `serve` instances on one engine, while writers
 * keep overwriting documents. Prints the copy rate (docs/s), how long each phase took, and the
 * write pause at cutover as the writers saw it (p50 and max of the writes that had to wait),
 * then checks that the index holds exactly the documents it should.
 *
 *   npm run bench:migrate [-- --docs 100000 --doc-size 1024 --instances 3 --writers 4 --timeout-ms 5000 --to index]
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { stringify } from 'yaml';
import { hashToken } from '../auth/index.ts';
import { benchDoc } from './corpus.ts';
import { nearestRank } from './percentiles.ts';
import { spawnEngine, spawnProxy, type BenchProcess } from './processes.ts';

const TOKEN = 'migrate-bench-tenant';
const OPERATOR = 'migrate-bench-operator';
const INDEX = 'orders';
const tenantHeaders = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const adminHeaders = { authorization: `Bearer ${OPERATOR}`, 'content-type': 'application/json' };

interface Options {
  docs: number;
  docSize: number;
  instances: number;
  writers: number;
  timeoutMs: number;
  to: Record<string, string>;
}

function options(): Options {
  const { values } = parseArgs({ options: {
    docs: { type: 'string', default: '100000' }, 'doc-size': { type: 'string', default: '1024' }, instances: { type: 'string', default: '3' },
    writers: { type: 'string', default: '4' }, 'timeout-ms': { type: 'string', default: '5000' }, to: { type: 'string', default: 'index' },
  } });
  const int = (v: string, name: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  const to = values.to === 'shared' || values.to === 'index' ? { kind: values.to } : undefined;
  if (to === undefined) throw new Error('--to must be shared or index (one engine here)');
  return { docs: int(values.docs, 'docs'), docSize: int(values['doc-size'], 'doc-size'), instances: int(values.instances, 'instances'), writers: int(values.writers, 'writers'), timeoutMs: int(values['timeout-ms'], 'timeout-ms'), to };
}

function configFile(engineUrl: string, o: Options): string {
  const file = join(mkdtempSync(join(tmpdir(), 'osproxy-migrate-bench-')), 'osproxy.yaml');
  writeFileSync(file, stringify({
    listeners: [{ host: '127.0.0.1', port: 0 }],
    clusters: { default: { url: engineUrl, request_timeout_ms: o.timeoutMs } },
    operators: [{ name: 'bench', token_sha256: hashToken(OPERATOR) }],
    tenants: { bench: { placement: { kind: o.to.kind === 'shared' ? 'index' : 'shared' }, principals: [{ name: 'app', token_sha256: hashToken(TOKEN), roles: ['read', 'write', 'manage'] }] } },
    log_level: 'warn',
  }));
  return file;
}

async function json<T>(pool: Pool, method: 'GET' | 'POST' | 'PUT', path: string, body?: string, headers = tenantHeaders): Promise<{ status: number; body: T }> {
  const res = await pool.request({ method, path, headers, body });
  const text = await res.body.text();
  return { status: res.statusCode, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

async function seed(pool: Pool, o: Options): Promise<number> {
  const started = Date.now();
  const batch = 1_000;
  let next = 0;
  const loop = async (): Promise<void> => {
    while (next < o.docs) {
      const from = next;
      next += batch;
      const lines: string[] = [];
      for (let i = from; i < Math.min(o.docs, from + batch); i++) lines.push(JSON.stringify({ index: { _index: INDEX, _id: `d${i}` } }), JSON.stringify(benchDoc(i, o.docSize)));
      const res = await json<{ errors: boolean }>(pool, 'POST', '/_bulk', lines.join('\n') + '\n', { ...tenantHeaders, 'content-type': 'application/x-ndjson' });
      if (res.status !== 200 || res.body.errors) throw new Error(`seeding failed at document ${from} (status ${res.status})`);
    }
  };
  await Promise.all([loop(), loop()]);
  await json(pool, 'POST', `/${INDEX}/_refresh`);
  return Math.round(o.docs / ((Date.now() - started) / 1000));
}

/** Writes that overwrite random documents, retrying refusals; each write's wait is recorded. */
class Writers {
  /** How long each write that was refused at least once waited until it was acknowledged (ms). */
  readonly pauses: number[] = [];
  acknowledged = 0;
  refused = 0;
  private stopped = false;
  private readonly loops: Promise<void>[] = [];

  constructor(private readonly pools: Pool[], private readonly o: Options) {}

  start(): void {
    for (let w = 0; w < this.o.writers; w++) this.loops.push(this.loop(w));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  private async loop(w: number): Promise<void> {
    for (let n = 0; !this.stopped; n++) {
      const i = Math.floor(Math.random() * this.o.docs);
      const body = JSON.stringify({ ...benchDoc(i, this.o.docSize), writer: w, n });
      const started = Date.now();
      let refusedOnce = false;
      for (let attempt = 0; ; attempt++) {
        const pool = this.pools[Math.floor(Math.random() * this.pools.length)];
        const res = await json<unknown>(pool, 'PUT', `/${INDEX}/_doc/d${i}`, body).catch(() => ({ status: 0, body: undefined }));
        if (res.status === 200 || res.status === 201) break;
        if (![0, 409, 429, 503].includes(res.status)) throw new Error(`a write failed: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        this.refused++;
        await new Promise((r) => setTimeout(r, Math.min(200, 10 * 2 ** Math.min(attempt, 4))));
        refusedOnce = true;
      }
      this.acknowledged++;
      if (refusedOnce) this.pauses.push(Date.now() - started);
    }
  }
}

interface Status { state: string; copied: number; total: number; error: string | null }

async function migrate(admin: Pool, o: Options): Promise<Map<string, number>> {
  const started = await json<Status>(admin, 'POST', '/_osproxy/admin/migrations', JSON.stringify({ tenant: 'bench', index: INDEX, to: o.to, auto_cutover: true }), adminHeaders);
  if (started.status !== 201) throw new Error(`the migration did not start: ${JSON.stringify(started.body)}`);
  const seen = new Map<string, number>([['copying', Date.now()]]);
  let last = '';
  for (;;) {
    const { body: m } = await json<Status>(admin, 'GET', `/_osproxy/admin/migrations/bench/${INDEX}`, undefined, adminHeaders);
    if (!seen.has(m.state)) seen.set(m.state, Date.now());
    const line = `  ${m.state} ${m.copied}/${m.total}${m.error === null ? '' : ` (step failed, retried: ${m.error})`}`;
    if (line !== last) process.stderr.write(`${line}\n`);
    last = line;
    if (m.state === 'complete') return seen;
    if (m.state === 'cancelled') throw new Error('the migration was cancelled');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main(): Promise<void> {
  const o = options();
  const procs: BenchProcess[] = [];
  const pools: Pool[] = [];
  try {
    const engine = await spawnEngine();
    procs.push(engine);
    const config = configFile(engine.url, o);
    for (let i = 0; i < o.instances; i++) procs.push(await spawnProxy(config));
    pools.push(...procs.slice(1).map((p) => new Pool(p.url, { connections: 8 })));
    process.stderr.write(`seeding ${o.docs} documents of ${o.docSize} B through the proxy…\n`);
    const seedRate = await seed(pools[0], o);
    const writers = new Writers(pools, o);
    writers.start();
    await new Promise((r) => setTimeout(r, 1_000));
    const t = await migrate(pools[0], o);
    await new Promise((r) => setTimeout(r, 2_000));
    await writers.stop();
    const count = await json<{ count: number }>(pools[0], 'GET', `/${INDEX}/_count`);
    const at = (s: string): number => t.get(s) ?? t.get('complete') as number;
    const copySeconds = (at('catching_up') - at('copying')) / 1000;
    const pauses = [...writers.pauses].sort((a, b) => a - b);
    const result = {
      docs: o.docs, doc_bytes: o.docSize, instances: o.instances, writers: o.writers, upstream_timeout_ms: o.timeoutMs,
      seed_docs_per_s: seedRate, copy_docs_per_s: Math.round(o.docs / copySeconds),
      copy_s: copySeconds, catch_up_s: (at('cutover') - at('catching_up')) / 1000, cutover_s: (at('complete') - at('cutover')) / 1000,
      writes: writers.acknowledged, refusals: writers.refused, paused_writes: pauses.length,
      pause_p50_ms: pauses.length === 0 ? 0 : nearestRank(pauses, 50), pause_max_ms: pauses.at(-1) ?? 0,
      count_after: count.body.count, nothing_lost: count.body.count === o.docs,
    };
    process.stdout.write(`\nlive migration of ${o.docs} × ${o.docSize} B, shared → ${o.to.kind}, ${o.instances} instances, ${o.writers} writers\n`);
    process.stdout.write(`  copy            ${result.copy_docs_per_s} docs/s (${copySeconds.toFixed(1)} s; seeding ran at ${seedRate} docs/s)\n`);
    process.stdout.write(`  catch-up        ${result.catch_up_s.toFixed(1)} s\n`);
    process.stdout.write(`  cutover         ${result.cutover_s.toFixed(1)} s (drain barrier = upstream timeout ${o.timeoutMs} ms + 250 ms)\n`);
    process.stdout.write(`  write pause     p50 ${result.pause_p50_ms} ms, max ${result.pause_max_ms} ms (of the ${pauses.length} writes refused at least once, of ${writers.acknowledged})\n`);
    process.stdout.write(`  after           ${result.count_after} documents (${result.nothing_lost ? 'exactly the ones written' : 'MISMATCH'})\n`);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if (!result.nothing_lost) process.exitCode = 1;
  } finally {
    await Promise.all(pools.map((p) => p.close()));
    for (const p of procs.reverse()) await p.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:migrate: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
