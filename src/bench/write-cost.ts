/**
 * `npm run bench:writes`: the proxy's CPU per document for shared-placement writes — single
 * `PUT /{i}/_doc/{id}` and `_bulk` — read from /proc/<pid>/stat. With `--baseline DIR` (another
 * checkout of osproxy, e.g. a `git worktree` of the previous commit) both proxies run side by
 * side on one engine, in interleaved rounds, and the ratio is printed: the stable comparison on a
 * shared machine.
 *
 *   npm run bench:writes [-- --baseline ../osproxy-prev --docs 4000 --bulk-size 1000 --rounds 5]
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { stringify } from 'yaml';
import { hashToken } from '../auth/index.ts';
import { cpuDuring } from '../observe/process-cpu.ts';
import { runClosedLoop } from './closed-loop.ts';
import { spawnEngine, spawnProxy, type BenchProcess } from './processes.ts';

const TOKEN = 'write-bench-token';

interface Side {
  label: string;
  proxy: BenchProcess;
  /** Each side writes its own logical index (so its own shared index). */
  lindex: string;
}

function configFile(engineUrl: string, side: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'osproxy-write-bench-')), 'osproxy.yaml');
  writeFileSync(file, stringify({
    listeners: [{ host: '127.0.0.1', port: 0 }],
    clusters: { default: { url: engineUrl } },
    control: { index: `.osproxy-fleet-${side}` },
    tenants: { [`writer-${side}`]: { placement: { kind: 'shared' }, principals: [{ name: 'app', token_sha256: hashToken(TOKEN), roles: ['read', 'write', 'manage'] }] } },
    log_level: 'warn',
  }));
  return file;
}

/** A realistic 1 KiB document: a dozen fields of every common kind, one nested object. */
function doc(i: number): string {
  return JSON.stringify({
    title: `order ${i} for the spring catalogue`,
    body: 'lorem ipsum dolor sit amet '.repeat(24),
    status: ['open', 'paid', 'shipped'][i % 3],
    price: (i % 500) + 0.99,
    qty: i % 17,
    tags: ['a', 'b', `t${i % 9}`],
    created: '2026-11-30T10:00:00Z',
    customer: { id: `c-${i % 1000}`, name: 'Ada Lovelace', tier: i % 4 },
    paid: i % 2 === 0,
  });
}

const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

async function indexRound(side: Side, docs: number, offset: number): Promise<number> {
  const pool = new Pool(side.proxy.url, { connections: 8 });
  let n = offset;
  let failed = 0;
  try {
    const cpu = await cpuDuring(side.proxy.pid, async () => {
      await runClosedLoop({ concurrency: 8, budget: { requests: docs }, send: async () => {
        const i = n++;
        const res = await pool.request({ method: 'PUT', path: `/${side.lindex}/_doc/${i}`, headers, body: doc(i) });
        await res.body.dump();
        if (res.statusCode >= 300) failed++;
        return res.statusCode;
      } });
    });
    if (failed > 0) throw new Error(`${side.label}: ${failed} of ${docs} writes failed`);
    return cpu / docs;
  } finally {
    await pool.close();
  }
}

async function bulkRound(side: Side, docs: number, bulkSize: number, offset: number): Promise<number> {
  const pool = new Pool(side.proxy.url, { connections: 2 });
  const requests = Math.max(1, Math.round(docs / bulkSize));
  let n = offset;
  let failed = 0;
  try {
    const cpu = await cpuDuring(side.proxy.pid, async () => {
      await runClosedLoop({ concurrency: 2, budget: { requests }, send: async () => {
        let body = '';
        for (let k = 0; k < bulkSize; k++, n++) body += `{"index":{"_index":"${side.lindex}","_id":"b${n}"}}\n${doc(n)}\n`;
        const res = await pool.request({ method: 'POST', path: '/_bulk', headers: { ...headers, 'content-type': 'application/x-ndjson' }, body });
        const text = await res.body.text();
        if (res.statusCode >= 300 || !text.includes('"errors":false')) failed++;
        return res.statusCode;
      } });
    });
    if (failed > 0) throw new Error(`${side.label}: ${failed} of ${requests} bulks failed`);
    return cpu / (requests * bulkSize);
  } finally {
    await pool.close();
  }
}

const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    baseline: { type: 'string' }, docs: { type: 'string', default: '4000' }, 'bulk-size': { type: 'string', default: '1000' }, rounds: { type: 'string', default: '5' },
  } });
  const docs = Number(values.docs);
  const bulkSize = Number(values['bulk-size']);
  const rounds = Number(values.rounds);
  const engine = await spawnEngine();
  const sides: Side[] = [];
  try {
    sides.push({ label: 'this checkout', proxy: await spawnProxy(configFile(engine.url, 'a')), lindex: 'writes-a' });
    if (values.baseline !== undefined) {
      const entry = resolve(values.baseline, 'src/cli/main.ts');
      sides.push({ label: `baseline ${values.baseline}`, proxy: await spawnProxy(configFile(engine.url, 'b'), { entry }), lindex: 'writes-b' });
    }
    const cpu = new Map(sides.map((s) => [s.label, { index: [] as number[], bulk: [] as number[] }]));
    for (const side of sides) {
      await indexRound(side, Math.ceil(docs / 4), 1e8); // warm-up: JIT, mapping, pools
      await bulkRound(side, bulkSize * 2, bulkSize, 2e8);
    }
    for (let r = 0; r < rounds; r++) {
      for (const side of sides) {
        const figures = cpu.get(side.label) as { index: number[]; bulk: number[] };
        figures.index.push(await indexRound(side, docs, r * docs));
        figures.bulk.push(await bulkRound(side, docs, bulkSize, r * docs));
      }
    }
    const report = sides.map((s) => {
      const f = cpu.get(s.label) as { index: number[]; bulk: number[] };
      return { side: s.label, index_cpu_us_per_doc: Math.round(median(f.index)), bulk_cpu_us_per_doc: Math.round(median(f.bulk)) };
    });
    console.log(JSON.stringify({ docs_per_round: docs, bulk_size: bulkSize, rounds, sides: report }, null, 1));
    if (report.length === 2) {
      console.log(`index: ${(report[0].index_cpu_us_per_doc / report[1].index_cpu_us_per_doc).toFixed(2)}× the baseline's CPU per document`);
      console.log(`bulk:  ${(report[0].bulk_cpu_us_per_doc / report[1].bulk_cpu_us_per_doc).toFixed(2)}× the baseline's CPU per document`);
    }
  } finally {
    for (const s of sides) await s.proxy.stop();
    await engine.stop();
  }
}

main().catch((e: unknown) => {
  console.error(`bench:writes: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
