/**
 * `npm run bench:engine`: throughput of the embedded engine itself at 1 KiB documents, so that
 * proxy benchmarks know the upstream's own cost. Starts the engine as a separate process and
 * drives it over HTTP with keep-alive connections.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

const CLI = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 5) * 1000;
const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima'];

function makeDoc(i: number): string {
  let body = '';
  for (let w = 0; body.length < 900; w++) body += (w === 0 ? '' : ' ') + WORDS[(i * 7 + w * 3) % WORDS.length];
  return JSON.stringify({ title: `document ${i}`, n: i, tag: WORDS[i % WORDS.length], body });
}

// Documents are generated once: the driver shares the machine with the engine and must stay cheap.
const DOCS = Array.from({ length: 1000 }, (_, i) => makeDoc(i));
const doc = (i: number): string => DOCS[i % DOCS.length];

async function startEngineProcess(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'engine', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
  return { url: (JSON.parse(line) as { engine: string }).engine, stop: () => child.kill('SIGTERM') };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface Phase {
  name: string;
  concurrency: number;
  docsPerRequest: number;
  send: (pool: Pool, i: number) => Promise<number>;
}

async function runPhase(pool: Pool, phase: Phase): Promise<void> {
  const latencies: number[] = [];
  let counter = 0;
  let errors = 0;
  const end = performance.now() + DURATION_MS;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: phase.concurrency }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const status = await phase.send(pool, counter++);
        latencies.push(performance.now() - t0);
        if (status >= 300) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const rps = latencies.length / seconds;
  console.log(
    `${phase.name.padEnd(8)} c=${String(phase.concurrency).padEnd(3)} ${rps.toFixed(0).padStart(7)} req/s ` +
      `${(rps * phase.docsPerRequest).toFixed(0).padStart(8)} docs/s  p50 ${percentile(latencies, 50).toFixed(2)} ms  ` +
      `p99 ${percentile(latencies, 99).toFixed(2)} ms  errors ${errors}`,
  );
}

async function send(pool: Pool, method: 'PUT' | 'POST' | 'GET', path: string, body: string, ndjson = false): Promise<number> {
  const res = await pool.request({
    method,
    path,
    body,
    headers: { 'content-type': ndjson ? 'application/x-ndjson' : 'application/json' },
  });
  await res.body.dump();
  return res.statusCode;
}

async function main(): Promise<void> {
  const engine = await startEngineProcess();
  const pool = new Pool(engine.url, { connections: 32, pipelining: 1 });
  try {
    console.log(`engine bench: 1 KiB documents, ${DURATION_MS / 1000} s per phase, engine ${engine.url}`);
    await runPhase(pool, { name: 'index', concurrency: 16, docsPerRequest: 1, send: (p, i) => send(p, 'PUT', `/bench/_doc/${i}`, doc(i)) });
    const bulkBody = (i: number): string => {
      let s = '';
      for (let d = 0; d < 1000; d++) s += `{"index":{"_id":"b${i}-${d}"}}\n${doc(d)}\n`;
      return s;
    };
    await runPhase(pool, { name: 'bulk', concurrency: 4, docsPerRequest: 1000, send: (p, i) => send(p, 'POST', '/bulkbench/_bulk', bulkBody(i), true) });
    await send(pool, 'POST', '/bench/_refresh', '');
    const count = await pool.request({ method: 'GET', path: '/bench/_count' });
    console.log(`search corpus: ${((await count.body.json()) as { count: number }).count} documents`);
    const query = (i: number): string => JSON.stringify({ query: { match: { body: WORDS[i % WORDS.length] } }, size: 10 });
    // The first search after a big load analyses every document once (postings are built lazily).
    const cold = performance.now();
    await send(pool, 'POST', '/bench/_search', query(0));
    console.log(`first (cold) search: ${(performance.now() - cold).toFixed(0)} ms`);
    await runPhase(pool, { name: 'search', concurrency: 16, docsPerRequest: 1, send: (p, i) => send(p, 'POST', '/bench/_search', query(i)) });
    await runPhase(pool, { name: 'get', concurrency: 16, docsPerRequest: 1, send: (p, i) => send(p, 'GET', `/bench/_doc/${i % 1000}`, '') });
  } finally {
    await pool.close();
    engine.stop();
  }
}

await main();
