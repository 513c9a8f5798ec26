/**
 * Logical `_id` in shared placement (issue 11): realistic searches with an `_id` tiebreak and
 * `search_after` pagination return the same ids, in the same order, with the same sort values,
 * through the proxy as directly against a plain index holding the same documents — while another
 * tenant holds documents with the same ids in the same shared index.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, type RunningEngine } from '../../src/engine/engine.ts';
import { call } from '../helpers/http.ts';
import { startStack, type Stack } from '../helpers/stack.ts';

type Hit = { _id: string; sort?: unknown[]; fields?: Record<string, unknown>; inner_hits?: Record<string, { hits: { hits: Hit[] } }> };

const innerIds = (h: Hit): string[] => Object.values(h.inner_hits ?? {}).flatMap((r) => r.hits.hits.map((i) => i._id));
type SearchBody = { hits?: { hits: Hit[] }; aggregations?: Record<string, { buckets: { key: unknown; doc_count: number }[] }> };

/** A small deterministic PRNG (mulberry32): the same queries every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['red', 'green', 'blue', 'apple', 'pear', 'plum', 'tart', 'pie', 'fresh', 'old'];
const CATS = ['fruit', 'bakery', 'dairy', 'frozen'];

function documents(rand: () => number, n: number): [string, Record<string, unknown>][] {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  return Array.from({ length: n }, (_, i) => {
    const id = `${pick(['o', 'p', 'q'])}-${String(Math.floor(rand() * 10_000)).padStart(4, '0')}-${i}`;
    // Few distinct prices and categories: sorts tie often, so the `_id` tiebreak decides.
    return [id, { title: `${pick(WORDS)} ${pick(WORDS)}`, cat: pick(CATS), price: Math.floor(rand() * 8), rating: Math.floor(rand() * 3) / 2 }];
  });
}

function query(rand: () => number): Record<string, unknown> {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const queries = [
    { match_all: {} },
    { term: { cat: pick(CATS) } },
    { range: { price: { gte: Math.floor(rand() * 5) } } },
    { match: { title: pick(WORDS) } },
    { bool: { filter: [{ terms: { cat: [pick(CATS), pick(CATS)] } }], must_not: [{ term: { price: Math.floor(rand() * 8) } }] } },
  ];
  const sorts = [
    [{ price: 'asc' }, { _id: 'asc' }],
    [{ price: 'desc' }, { _id: 'desc' }],
    [{ cat: 'asc' }, { rating: 'desc' }, { _id: 'asc' }],
    [{ _id: 'asc' }],
    [{ _id: { order: 'desc' } }],
    [{ rating: 'asc' }, '_id'],
  ];
  return { query: pick(queries), sort: pick(sorts), size: 1 + Math.floor(rand() * 15) };
}

async function pages(base: string, headers: Record<string, string>, body: Record<string, unknown>, max: number): Promise<Hit[][]> {
  const out: Hit[][] = [];
  let after: unknown[] | undefined;
  for (let p = 0; p < max; p++) {
    const res = await call<SearchBody>(base, 'POST', '/orders/_search', after === undefined ? body : { ...body, search_after: after }, { headers });
    assert.equal(res.status, 200, res.text.slice(0, 400));
    const hits = (res.body.hits?.hits ?? []).map((h) => ({ _id: h._id, sort: h.sort }));
    out.push(hits);
    if (hits.length === 0) break;
    after = hits[hits.length - 1].sort;
  }
  return out;
}

describe('logical _id: tiebreak sorts and search_after match a plain index (shared placement)', () => {
  let stack: Stack;
  let plain: RunningEngine;
  const docs = documents(prng(11), 300);

  before(async () => {
    stack = await startStack();
    plain = await startEngine({ port: 0 });
    const lines = docs.flatMap(([id, doc]) => [{ index: { _index: 'orders', _id: id } }, doc]);
    // The other tenant: the same ids, other values, in the same shared index.
    const noise = documents(prng(11), 300).flatMap(([id], i) => [{ index: { _index: 'orders', _id: id } }, { title: 'noise', cat: 'zzz', price: i % 3, rating: 9 }]);
    const mappings = { properties: { title: { type: 'text' }, cat: { type: 'keyword' }, price: { type: 'long' }, rating: { type: 'double' } } };
    for (const [base, headers] of [[stack.url, stack.auth.globex], [stack.url, stack.auth.acme], [plain.url, {}]] as const) {
      assert.equal((await call(base, 'PUT', '/orders', { mappings }, { headers })).status, 200);
    }
    for (const [base, headers, body] of [[stack.url, stack.auth.globex, lines], [stack.url, stack.auth.acme, noise], [plain.url, {}, lines]] as const) {
      const res = await call<{ errors: boolean }>(base, 'POST', '/_bulk?refresh=true', body, { headers, ndjson: true });
      assert.equal(res.body.errors, false, res.text.slice(0, 300));
    }
  });
  after(async () => {
    await stack.close();
    await plain.close();
  });

  it('300 generated queries, up to 3 pages each: same ids, same order, same sort values', async () => {
    const rand = prng(2026);
    let compared = 0;
    for (let i = 0; i < 300; i++) {
      const body = query(rand);
      const [viaProxy, direct] = await Promise.all([pages(stack.url, stack.auth.globex, body, 3), pages(plain.url, {}, body, 3)]);
      assert.deepEqual(viaProxy, direct, `query ${i}: ${JSON.stringify(body)}`);
      compared += direct.flat().length;
    }
    assert.ok(compared > 3000, `only ${compared} hits compared`);
  });

  it('terms and composite aggregations on _id, and collapse with _id sorts, agree too', async () => {
    const bodies = [
      { size: 0, aggs: { ids: { terms: { field: '_id', size: 500, order: { _key: 'asc' } } } } },
      { size: 0, query: { term: { cat: 'fruit' } }, aggs: { ids: { terms: { field: '_id', size: 20, order: { _key: 'desc' } } } } },
      { size: 0, aggs: { c: { composite: { size: 50, sources: [{ cat: { terms: { field: 'cat' } } }, { id: { terms: { field: '_id', order: 'desc' } } }] } } } },
      { collapse: { field: 'cat', inner_hits: { name: 'firsts', size: 3, sort: [{ _id: 'asc' }] } }, sort: [{ _id: 'asc' }], size: 10 },
      { collapse: { field: 'price' }, sort: [{ rating: 'desc' }, { _id: 'desc' }], size: 5 },
    ];
    for (const body of bodies) {
      const [viaProxy, direct] = await Promise.all([
        call<SearchBody>(stack.url, 'POST', '/orders/_search', body, { headers: stack.auth.globex }),
        call<SearchBody>(plain.url, 'POST', '/orders/_search', body),
      ]);
      assert.equal(viaProxy.status, 200, viaProxy.text.slice(0, 300));
      assert.deepEqual(viaProxy.body.aggregations, direct.body.aggregations, JSON.stringify(body));
      assert.deepEqual(viaProxy.body.hits?.hits.map((h) => h._id), direct.body.hits?.hits.map((h) => h._id));
      assert.deepEqual(viaProxy.body.hits?.hits.map(innerIds), direct.body.hits?.hits.map(innerIds));
      assert.deepEqual(viaProxy.body.hits?.hits.map((h) => h.fields), direct.body.hits?.hits.map((h) => h.fields), 'collapse keys by the tenant’s field names');
    }
  });
});
