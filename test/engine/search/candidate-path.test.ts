import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Json, JsonObject } from '../../../src/engine/json.ts';
import { deleteDocument, indexDocument } from '../../../src/engine/ops/documents.ts';
import { collectMatches, withFullScan } from '../../../src/engine/search/collect.ts';
import { executeSearch } from '../../../src/engine/search/index.ts';
import { compileQuery } from '../../../src/engine/search/query/compile.ts';
import { firstK } from '../../../src/engine/search/top-k.ts';
import type { SearchableIndex } from '../../../src/engine/search/types.ts';
import { EngineState } from '../../../src/engine/store/engine-state.ts';

/*
 * The postings-driven (candidate) path must give exactly what scoring every document gives:
 * same hits, order, scores, totals, aggregations and highlights, also after writes, updates
 * and deletes replace the snapshot (where columns and postings are carried over).
 */

const WORDS = ['lion', 'king', 'frozen', 'drive', 'money', 'ball', 'river', 'stone', 'night', 'day', 'red', 'blue', 'sky', 'sea'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function source(i: number, rand: () => number): JsonObject {
  const words = Array.from({ length: 3 + Math.floor(rand() * 25) }, () => WORDS[Math.floor(WORDS.length * rand() ** 2)]);
  const doc: JsonObject = { title: words.slice(0, 3).join(' '), body: words.join(' '), tag: WORDS[i % 5], n: Math.floor(rand() * 100), day: `2024-01-${String(1 + (i % 28)).padStart(2, '0')}` };
  if (i % 7 === 0) delete doc.body;
  if (i % 11 === 0) doc.tags = [WORDS[i % 3], WORDS[(i + 1) % 3]];
  return doc;
}

const QUERIES: Json[] = [
  { match: { body: 'lion king' } },
  { match: { body: { query: 'lion king river', operator: 'and' } } },
  { match: { body: { query: 'lion king river sky', minimum_should_match: '50%' } } },
  { match: { body: { query: 'lion kong', fuzziness: 'AUTO' } } },
  { match: { tag: 'lion' } },
  { match: { 'tag.keyword': 'lion' } },
  { term: { 'tag.keyword': 'king' } },
  { term: { body: 'sea' } },
  { term: { 'tag.keyword': { value: 'KING', case_insensitive: true } } },
  { terms: { 'tags.keyword': ['lion', 'frozen'] } },
  { terms: { n: [1, 2, 3, 50] } },
  { range: { n: { gte: 20, lt: 60 } } },
  { range: { day: { gte: '2024-01-10' } } },
  { bool: { must: [{ match: { body: 'night' } }], filter: [{ range: { n: { gte: 10 } } }] } },
  { bool: { should: [{ match: { body: 'sky' } }, { term: { 'tag.keyword': 'drive' } }], must_not: [{ term: { 'tag.keyword': 'king' } }] } },
  { bool: { should: [{ match: { body: 'sky' } }, { match: { title: 'sea' } }, { range: { n: { lt: 30 } } }], minimum_should_match: 2 } },
  { bool: { must: [{ match_all: {} }], filter: [{ terms: { 'tag.keyword': ['lion', 'money'] } }], boost: 2 } },
  { bool: { must_not: [{ match: { body: 'red' } }] } },
  { bool: { must: [{ bool: { should: [{ match: { body: 'blue' } }, { match: { title: 'blue' } }] } }], should: [{ exists: { field: 'tags' } }] } },
  { multi_match: { query: 'lion sea', fields: ['title^2', 'body'] } },
  { multi_match: { query: 'lion sea', fields: ['title', 'body'], type: 'most_fields' } },
  { multi_match: { query: 'lion sea', fields: ['title', 'body'], type: 'cross_fields', tie_breaker: 0.3 } },
  { multi_match: { query: 'lion sea', fields: ['title', 'body'], tie_breaker: 0.5, boost: 3 } },
  { dis_max: { queries: [{ match: { title: 'king' } }, { match: { body: 'king' } }], tie_breaker: 0.2 } },
  { constant_score: { filter: { match: { body: 'stone' } }, boost: 1.5 } },
  { query_string: { query: 'lion AND (sea OR sky) -red', default_field: 'body', boost: 2 } },
  { simple_query_string: { query: 'money +ball', fields: ['title', 'body'] } },
];

const BODIES: JsonObject[] = [
  ...QUERIES.map((query) => ({ query, size: 20, track_total_hits: true })),
  { query: { match: { body: 'night sky' } }, size: 5, from: 3, highlight: { fields: { body: {} } } },
  { query: { match: { body: 'river' } }, sort: [{ n: 'desc' }, '_score'], size: 10 },
  { query: { match: { body: 'river' } }, sort: [{ n: 'asc' }], search_after: [40], size: 10 },
  { query: { match: { body: 'day' } }, aggs: { tags: { terms: { field: 'tag.keyword' }, aggs: { avg_n: { avg: { field: 'n' } } } }, days: { date_histogram: { field: 'day', calendar_interval: 'week' } } } },
  { query: { match: { body: 'blue' } }, post_filter: { term: { 'tag.keyword': 'lion' } }, min_score: 0.5 },
];

function setup(): { state: EngineState; view: () => SearchableIndex; write: (i: number, rand: () => number) => void } {
  const state = new EngineState();
  state.createIndex('cands', { settings: { number_of_shards: 2 } });
  const rand = rng(3);
  const write = (i: number, r: () => number): void => void indexDocument(state, state.writeTarget('cands'), String(i), source(i, r), undefined, {});
  for (let i = 0; i < 400; i++) write(i, rand);
  const idx = state.require('cands');
  idx.refresh();
  return { state, view: () => idx.searchView(), write };
}

function assertSameResults(view: SearchableIndex, label: string): void {
  for (const body of BODIES) {
    const fast = JSON.stringify(executeSearch([view], body, {}));
    const slow = JSON.stringify(withFullScan(() => executeSearch([view], body, {})));
    assert.equal(fast, slow, `${label}: ${JSON.stringify(body)}`);
  }
  for (const query of QUERIES) {
    const raw = (): string => JSON.stringify(collectMatches([view], query, 0).map((r) => [r.doc.id, r.ordinal, r.score]));
    assert.equal(raw(), withFullScan(raw), `${label} (raw scores): ${JSON.stringify(query)}`);
  }
}

describe('postings-driven search equals scoring every document', () => {
  it('gives identical results on a fresh snapshot and after writes, updates and deletes', () => {
    const { state, view, write } = setup();
    assertSameResults(view(), 'initial');
    const rand = rng(9);
    const idx = state.require('cands');
    for (let round = 0; round < 3; round++) {
      for (let k = 0; k < 30; k++) write(Math.floor(rand() * 450), rand);
      for (let k = 0; k < 10; k++) deleteDocument(state, idx, String(Math.floor(rand() * 450)), undefined, {});
      idx.refresh();
      assertSameResults(view(), `after round ${round}`);
    }
  });

  it('takes the candidate path for term-driven queries (so the comparison above is not vacuous)', () => {
    const { view } = setup();
    const candidates = QUERIES.filter((q) => compileQuery(q, view(), 0).all !== undefined).length;
    assert.ok(candidates >= 23, `only ${candidates} queries use postings`);
    assert.equal(compileQuery({ match: { body: { query: 'lion', fuzziness: 1 } } }, view(), 0).all, undefined);
    assert.equal(compileQuery({ bool: { must_not: [{ term: { 'tag.keyword': 'x' } }] } }, view(), 0).all, undefined);
  });

  it('carries data over only for unchanged documents (updated text is re-indexed)', () => {
    const { state, view } = setup();
    const before = executeSearch([view()], { query: { match: { body: 'zebra' } } }, {}).total;
    assert.equal(before, 0);
    indexDocument(state, state.writeTarget('cands'), '5', { body: 'zebra zebra', tag: 'x', n: 1 }, undefined, {});
    state.require('cands').refresh();
    const hits = executeSearch([view()], { query: { match: { body: 'zebra' } } }, {}).hits.map((h) => h._id);
    assert.deepEqual(hits, ['5']);
    const lions = (v: SearchableIndex): string => JSON.stringify(executeSearch([v], { query: { term: { body: 'lion' } }, size: 500 }, {}));
    assert.equal(lions(view()), withFullScan(() => lions(view())));
  });

  it('searches routed subsets and several indexes the same way', () => {
    const { view } = setup();
    const other = new EngineState();
    other.createIndex('cands', {});
    const rand = rng(5);
    for (let i = 0; i < 50; i++) indexDocument(other, other.writeTarget('cands'), String(i), source(i, rand), undefined, {});
    other.require('cands').refresh();
    const routed: SearchableIndex = { ...view(), docs: view().docs.filter((d) => d.shard === 1) };
    for (const views of [[routed], [view(), other.require('cands').searchView()], [view()]]) {
      for (const body of BODIES) {
        const run = (): string => JSON.stringify(executeSearch(views, body, {}));
        assert.equal(run(), withFullScan(run), JSON.stringify(body));
      }
    }
  });
});

describe('top-k selection', () => {
  it('equals the head of a full stable sort, ties included', () => {
    const rand = rng(11);
    for (let round = 0; round < 50; round++) {
      const items = Array.from({ length: 1 + Math.floor(rand() * 300) }, (_, i) => ({ key: Math.floor(rand() * 20), i }));
      const k = Math.floor(rand() * 40);
      const byKey = (a: { key: number }, b: { key: number }): number => b.key - a.key;
      assert.deepEqual(firstK([...items], k, byKey), [...items].sort(byKey).slice(0, k));
    }
  });
});
