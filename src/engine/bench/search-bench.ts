/**
 * `npx tsx src/engine/bench/search-bench.ts`: in-process latency of the search layer over 20k
 * documents of ~1 KiB (no HTTP), warm, plus the cost of the first search after a refresh.
 * Documents are dynamically mapped (strings → text + .keyword), as the proxy benchmarks index them.
 * DOCS=<n> and ROUNDS=<n> override the defaults; ONLY=<text> runs the cases whose name contains it.
 */
import type { JsonObject } from '../json.ts';
import { indexDocument } from '../ops/documents.ts';
import { executeSearch } from '../search/index.ts';
import { EngineState } from '../store/engine-state.ts';
import type { IndexState } from '../store/index-state.ts';

const DOCS = Number(process.env.DOCS ?? 20_000);
const ROUNDS = Number(process.env.ROUNDS ?? 30);
const TAGS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima'];

/** A deterministic vocabulary of ~2000 pseudo-words drawn with a skewed (Zipf-like) distribution. */
const VOCAB = Array.from({ length: 2000 }, (_, i) => `w${i.toString(36)}${TAGS[i % TAGS.length].slice(0, 2 + (i % 3))}`);

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function makeSource(i: number, rand: () => number): JsonObject {
  const words: string[] = [];
  let len = 0;
  while (len < 900) {
    const w = VOCAB[Math.floor(VOCAB.length * rand() ** 3)];
    words.push(w);
    len += w.length + 1;
  }
  return { title: `document ${i} ${VOCAB[i % 50]}`, n: i, price: Math.floor(rand() * 1000), tag: TAGS[i % TAGS.length], body: words.join(' ') };
}

function time(fn: () => unknown, rounds: number): { median: number; p90: number } {
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], p90: samples[Math.floor(samples.length * 0.9)] };
}

const CASES: [string, JsonObject][] = [
  ['match (2 terms)', { query: { match: { body: `${VOCAB[3]} ${VOCAB[40]}` } } }],
  ['match rare term', { query: { match: { body: VOCAB[1500] } } }],
  ['term keyword', { query: { term: { 'tag.keyword': 'delta' } } }],
  ['terms keyword', { query: { terms: { 'tag.keyword': ['delta', 'echo'] } } }],
  ['bool must+filter', { query: { bool: { must: [{ match: { body: VOCAB[7] } }], filter: [{ range: { n: { gte: 1000, lt: 15000 } } }] } } }],
  ['bool should+must_not', { query: { bool: { should: [{ match: { body: VOCAB[9] } }, { term: { 'tag.keyword': 'kilo' } }], must_not: [{ term: { 'tag.keyword': 'lima' } }] } } }],
  ['multi_match', { query: { multi_match: { query: `${VOCAB[5]} ${VOCAB[30]}`, fields: ['title^2', 'body'] } } }],
  ['match_all sort n', { query: { match_all: {} }, sort: [{ n: 'desc' }] }],
  ['terms agg', { size: 0, aggs: { tags: { terms: { field: 'tag.keyword' } } } }],
  ['match + terms agg', { query: { match: { body: VOCAB[11] } }, aggs: { tags: { terms: { field: 'tag.keyword' } } } }],
];

function populate(idx: () => IndexState, state: EngineState): void {
  const rand = rng(42);
  for (let i = 0; i < DOCS; i++) indexDocument(state, state.writeTarget('bench'), String(i), makeSource(i, rand), undefined, {});
  idx().refresh();
}

function main(): void {
  const state = new EngineState();
  const idx = (): IndexState => state.require('bench');
  const t0 = performance.now();
  populate(idx, state);
  console.log(`search bench: ${DOCS} docs, ${ROUNDS} rounds, indexed in ${(performance.now() - t0).toFixed(0)} ms`);
  const search = (body: JsonObject): number => executeSearch([idx().searchView()], body, {}).total;
  // Cold: the very first search analyzes every document.
  console.log(`cold first match: ${time(() => search(CASES[0][1]), 1).median.toFixed(1)} ms`);
  for (const [, body] of CASES) search(body);
  console.log('case'.padEnd(24), 'median ms'.padStart(10), 'p90 ms'.padStart(9), 'hits'.padStart(7));
  for (const [name, body] of CASES.filter(([n]) => n.includes(process.env.ONLY ?? ''))) {
    const { median, p90 } = time(() => search(body), ROUNDS);
    console.log(name.padEnd(24), median.toFixed(2).padStart(10), p90.toFixed(2).padStart(9), String(search(body)).padStart(7));
  }
  // A write + refresh replaces the snapshot: the next search pays for any per-snapshot structures.
  const rand = rng(7);
  const refreshMs: number[] = [];
  const firstMs: number[] = [];
  for (let r = 0; r < 10; r++) {
    indexDocument(state, state.writeTarget('bench'), String(Math.floor(rand() * DOCS)), makeSource(DOCS + r, rand), undefined, {});
    refreshMs.push(time(() => idx().refresh(), 1).median);
    firstMs.push(time(() => search(CASES[r % 2 === 0 ? 0 : 4][1]), 1).median);
  }
  const median = (xs: number[]): string => [...xs].sort((a, b) => a - b)[xs.length >> 1].toFixed(2).padStart(10);
  console.log('refresh (store, 1 write)'.padEnd(24), median(refreshMs));
  console.log('first search after it'.padEnd(24), median(firstMs));
}

main();
