/**
 * Throughput and memory of the streaming JSON cutter vs. whole-body JSON.parse + JSON.stringify.
 * Run: npx tsx src/bench/scanner-bench.ts   (about 10-20 s)
 */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { JsonCutter } from '../stream/json-cutter.ts';
import { createSearchResponseTransform, searchResponseRules } from '../stream/search-response.ts';
import type { JsonObject } from '../core/json.ts';
import { syntheticSearchBody, type SyntheticBodyOptions } from './synthetic-search-body.ts';

const MiB = 1024 * 1024;
const REPEATS = 3;

const CASES: { name: string; body: SyntheticBodyOptions }[] = [
  { name: '64 MiB aggregations + 10 hits', body: { hits: 10, hitBytes: 1024, aggregationBytes: 64 * MiB } },
  { name: '10,000 hits of ~1 KiB', body: { hits: 10_000, hitBytes: 1024, aggregationBytes: 0 } },
];

/** A typical proxy rewrite: map _index/_id back and drop reserved fields. */
function tenantView(hit: JsonObject): JsonObject {
  const { _routing, ...rest } = hit;
  void _routing;
  const source = { ...(rest._source as JsonObject) };
  delete source._tenant;
  return { ...rest, _index: 'logs', _id: String(rest._id).slice(3), _source: source };
}

function bestSeconds(run: () => void): number {
  let best = Infinity;
  for (let i = 0; i < REPEATS; i++) {
    const start = process.hrtime.bigint();
    run();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return best;
}

function cutAll(chunks: Buffer[], withRules: boolean): number {
  const cutter = new JsonCutter(withRules ? searchResponseRules({ onHit: tenantView }) : []);
  let bytes = 0;
  for (const c of chunks) for (const out of cutter.push(c)) bytes += out.length;
  for (const out of cutter.end()) bytes += out.length;
  return bytes;
}

function parseAndStringify(body: Buffer): number {
  const doc = JSON.parse(body.toString('utf8')) as { hits: { hits: JsonObject[] } };
  doc.hits.hits = doc.hits.hits.map(tenantView);
  return Buffer.byteLength(JSON.stringify(doc));
}

/** Peak RSS growth while streaming the lazily generated body through the Transform into a null sink. */
async function streamingRssGrowth(options: SyntheticBodyOptions): Promise<number> {
  const base = process.memoryUsage().rss;
  let peak = 0;
  function* sampled(): Generator<Buffer> {
    for (const chunk of syntheticSearchBody(options)) {
      peak = Math.max(peak, process.memoryUsage().rss - base);
      yield chunk;
    }
  }
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  await pipeline(Readable.from(sampled(), { objectMode: false }), createSearchResponseTransform({ onHit: tenantView }), sink);
  return peak;
}

/** RSS growth of the whole-body approach, measured while the parsed tree and the output are both alive. */
function wholeBodyRssGrowth(body: Buffer): number {
  const base = process.memoryUsage().rss;
  const doc = JSON.parse(body.toString('utf8')) as { hits: { hits: JsonObject[] } };
  doc.hits.hits = doc.hits.hits.map(tenantView);
  const text = JSON.stringify(doc);
  const growth = process.memoryUsage().rss - base;
  return text.length > 0 ? growth : 0;
}

function mibPerSecond(bytes: number, seconds: number): string {
  return `${(bytes / MiB / seconds).toFixed(0).padStart(5)} MiB/s`;
}

async function main(): Promise<void> {
  console.log(`node ${process.version}; best of ${REPEATS}; chunks of 64 KiB\n`);
  // Memory first, while the process is small: RSS rarely shrinks afterwards.
  const rss: string[] = [];
  for (const c of CASES) rss.push(`${c.name}: streaming peak RSS growth ${(await streamingRssGrowth(c.body) / MiB).toFixed(1)} MiB`);
  for (const c of CASES) {
    const chunks = [...syntheticSearchBody(c.body)];
    const body = Buffer.concat(chunks);
    const whole = wholeBodyRssGrowth(body);
    rss.push(`${c.name}: JSON.parse+stringify RSS growth ${(whole / MiB).toFixed(1)} MiB`);
    const scan = bestSeconds(() => cutAll(chunks, false));
    const cut = bestSeconds(() => cutAll(chunks, true));
    const json = bestSeconds(() => parseAndStringify(body));
    console.log(`${c.name} (${(body.length / MiB).toFixed(1)} MiB)`);
    console.log(`  cutter, scan only (no rule matches)   ${mibPerSecond(body.length, scan)}`);
    console.log(`  cutter, hits rewritten                ${mibPerSecond(body.length, cut)}`);
    console.log(`  JSON.parse + rewrite + JSON.stringify ${mibPerSecond(body.length, json)}\n`);
  }
  for (const line of rss) console.log(line);
}

await main();
