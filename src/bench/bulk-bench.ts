/**
 * `npm run bench:bulk`: `_bulk` indexing throughput, direct to the engine vs through the proxy
 * (streaming `_bulk`, SPEC §4.5/§4.6). 1 KiB documents in bulks of 1,000, closed loop at
 * concurrency 4; prints docs/s for both sides and the proxy/direct ratio.
 *
 *   npm run bench:bulk -- [--seconds 10] [--concurrency 4] [--batch 1000]
 */
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { runClosedLoop, type LoopResult, type SendRequest } from './closed-loop.ts';
import { summarize } from './percentiles.ts';
import { residentKib } from './processes.ts';
import { startSmokeStack } from './smoke-stack.ts';
import { positive } from './cli-options.ts';
import { Teardown } from './teardown.ts';

const DOC_BYTES = 1024;
const WARMUP_MS = 2_000;

interface BulkOptions {
  seconds: number;
  concurrency: number;
  batch: number;
  signal: AbortSignal;
}

function parseOptions(argv: string[], signal: AbortSignal): BulkOptions {
  const { values } = parseArgs({
    args: argv,
    options: { seconds: { type: 'string', default: '10' }, concurrency: { type: 'string', default: '4' }, batch: { type: 'string', default: '1000' } },
  });
  return {
    seconds: positive('seconds', values.seconds),
    concurrency: Math.round(positive('concurrency', values.concurrency)),
    batch: Math.round(positive('batch', values.batch)),
    signal,
  };
}

/** One bulk body: `batch` index actions (ids generated upstream/by the proxy) with ~1 KiB documents. */
function bulkBody(index: string, batch: number): string {
  const pad = 'x'.repeat(DOC_BYTES - 60);
  const lines: string[] = [];
  for (let i = 0; i < batch; i++) lines.push(`{"index":{"_index":"${index}"}}`, `{"n":${i},"kind":"bench","pad":"${pad}"}`);
  return lines.join('\n') + '\n';
}

/** A bulk sender: a 2xx with any item error counts as an error (status 500 for the loop). */
function bulkSender(pool: Pool, body: string, headers: Record<string, string>): SendRequest {
  return async () => {
    const res = await pool.request({ method: 'POST', path: '/_bulk', body, headers: { ...headers, 'content-type': 'application/x-ndjson' } });
    const text = await res.body.text();
    if (res.statusCode >= 300) return res.statusCode;
    return text.includes('"errors":false') ? res.statusCode : 500;
  };
}

async function measure(send: SendRequest, opts: BulkOptions): Promise<LoopResult> {
  const { concurrency, signal } = opts;
  await runClosedLoop({ concurrency, durationMs: WARMUP_MS, send, signal });
  const result = await runClosedLoop({ concurrency, durationMs: opts.seconds * 1000, send, signal });
  signal.throwIfAborted();
  if (result.errors > 0) throw new Error(`${result.errors} of ${result.requests} bulks failed`);
  return result;
}

function line(side: string, r: LoopResult, batch: number): number {
  const docsPerSecond = (r.requests * batch) / r.seconds;
  const lat = summarize(r.sortedMs);
  console.log(`  ${side.padEnd(7)} ${docsPerSecond.toFixed(0).padStart(8)} docs/s  (${r.requests} bulks in ${r.seconds.toFixed(1)} s; per bulk p50 ${lat.p50.toFixed(1)} ms, p99 ${lat.p99.toFixed(1)} ms)`);
  return docsPerSecond;
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
    console.log(`bulk bench: ${opts.batch} x ${DOC_BYTES} B docs per bulk, c=${opts.concurrency}, ${opts.seconds} s per side after ${WARMUP_MS / 1000} s warm-up`);
    const direct = measure(bulkSender(engine, bulkBody('bulkbench-direct', opts.batch), {}), opts);
    const directDocs = line('direct', await direct, opts.batch);
    const viaProxy = await measure(bulkSender(proxy, bulkBody('bulkbench', opts.batch), { authorization: `Bearer ${stack.token}` }), opts);
    const proxyDocs = line('proxy', viaProxy, opts.batch);
    console.log(`  ratio   proxy/direct = ${(proxyDocs / directDocs).toFixed(2)}`);
    const kib = residentKib(stack.proxy.pid);
    console.log(`  proxy RSS at end: ${kib === undefined ? 'unavailable' : `${(kib / 1024).toFixed(1)} MiB`}`);
  } finally {
    await teardown.run();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
