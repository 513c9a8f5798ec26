import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, type RunningEngine } from '../../../src/engine/engine.ts';
import { call } from '../../helpers/http.ts';

// Field collapsing over a real engine. Every expectation is derived here from DOCS by a reference
// collapse (sort everything, keep each value's first document), not read back from the engine.

interface Doc {
  _id: string;
  cat?: string;
  price: number;
  boost: number;
  tags?: string[];
}

const DOCS: Doc[] = [
  { _id: '1', cat: 'a', price: 10, boost: 2 },
  { _id: '2', cat: 'a', price: 30, boost: 1.5 },
  { _id: '3', cat: 'b', price: 20, boost: 4 },
  { _id: '4', cat: 'b', price: 20, boost: 0.5 },
  { _id: '5', cat: 'c', price: 5, boost: 3 },
  { _id: '6', price: 50, boost: 1 },
  { _id: '7', price: 40, boost: 2.5 },
  { _id: '8', cat: 'c', price: 15, boost: 1 },
  { _id: '9', cat: 'd', price: 30, boost: 0.25 },
  { _id: '10', cat: 'a', price: 25, boost: 1.25 },
];

type Cmp = (a: Doc, b: Doc) => number;
type Key = (d: Doc) => string | number | null;

const docOrder: Cmp = (a, b) => DOCS.indexOf(a) - DOCS.indexOf(b);
const byCat: Key = (d) => d.cat ?? null;
const byPrice: Key = (d) => d.price;
const str = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** Comparators with the doc-order tie-break every search ends with. */
const then = (...cmps: Cmp[]): Cmp => (a, b) => {
  for (const c of [...cmps, docOrder]) {
    const r = c(a, b);
    if (r !== 0) return r;
  }
  return 0;
};
const priceDesc: Cmp = (a, b) => b.price - a.price;
const priceAsc: Cmp = (a, b) => a.price - b.price;
const boostDesc: Cmp = (a, b) => b.boost - a.boost;
const idAsc: Cmp = (a, b) => str(a._id, b._id);
const idDesc: Cmp = (a, b) => str(b._id, a._id);

/** The reference collapse: the first document of each key in a full sort, in that order. */
function collapseRef(docs: Doc[], key: Key, cmp: Cmp): Doc[] {
  const seen = new Set<string | number | null>();
  return [...docs].sort(cmp).filter((d) => !seen.has(key(d)) && seen.add(key(d)) !== undefined);
}
const members = (key: Key, value: string | number | null, docs: Doc[] = DOCS): Doc[] => docs.filter((d) => key(d) === value);

interface Hit {
  _id: string;
  _score: number | null;
  _source?: Record<string, unknown>;
  fields?: Record<string, unknown[]>;
  sort?: unknown[];
  inner_hits?: Record<string, { hits: { total: { value: number; relation: string } | number; max_score: number | null; hits: Hit[] } }>;
}
interface SearchBody {
  hits: { total: { value: number; relation: string }; max_score: number | null; hits: Hit[] };
  aggregations?: Record<string, { buckets: { key: string; doc_count: number }[] }>;
}
interface ErrorBody {
  error: { type: string; reason: string; root_cause: { type: string; reason: string }[]; caused_by?: { type: string; reason: string } };
  status: number;
}

const ids = (hits: Hit[]): string[] => hits.map((h) => h._id);
const idsOf = (docs: Doc[]): string[] => docs.map((d) => d._id);
const BY_BOOST = { function_score: { field_value_factor: { field: 'boost' } } };

describe('collapse', () => {
  let engine: RunningEngine;
  const search = async (body: Record<string, unknown>, query = ''): Promise<SearchBody> => {
    const res = await call<SearchBody>(engine.url, 'POST', `/shop/_search${query}`, body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };
  const refused = async (body: Record<string, unknown>, query = ''): Promise<{ status: number; body: ErrorBody }> =>
    call<ErrorBody>(engine.url, 'POST', `/shop/_search${query}`, body);

  before(async () => {
    engine = await startEngine({ port: 0 });
    const mappings = {
      properties: {
        cat: { type: 'keyword' }, price: { type: 'integer' }, boost: { type: 'float' }, title: { type: 'text' }, tags: { type: 'keyword' },
        day: { type: 'date' }, scaled: { type: 'scaled_float', scaling_factor: 100 }, nodv: { type: 'keyword', doc_values: false },
        noidx: { type: 'keyword', index: false },
      },
    };
    assert.equal((await call(engine.url, 'PUT', '/shop', { settings: { number_of_shards: 1 }, mappings })).status, 200);
    const lines = DOCS.flatMap(({ _id, ...src }) => [{ index: { _index: 'shop', _id } }, { ...src, title: `item ${_id}` }]);
    const bulk = await call<{ errors: boolean }>(engine.url, 'POST', '/_bulk?refresh=true', lines, { ndjson: true });
    assert.equal(bulk.body.errors, false);
  });
  after(() => engine.close());

  it('keeps the top hit of each value by sort, with the value in fields; total counts documents', async () => {
    const res = await search({ collapse: { field: 'cat' }, sort: [{ price: 'desc' }] });
    const expected = collapseRef(DOCS, byCat, then(priceDesc));
    assert.deepEqual(ids(res.hits.hits), idsOf(expected));
    assert.deepEqual(res.hits.hits.map((h) => h.fields), expected.map((d) => ({ cat: [d.cat ?? null] })));
    assert.deepEqual(res.hits.hits.map((h) => h.sort), expected.map((d) => [d.price]));
    assert.deepEqual(res.hits.total, { value: DOCS.length, relation: 'eq' });
    assert.equal(res.hits.hits[0].inner_hits, undefined);
  });

  it('keeps the top hit by score when there is no sort', async () => {
    const res = await search({ query: BY_BOOST, collapse: { field: 'cat' } });
    const expected = collapseRef(DOCS, byCat, then(boostDesc));
    assert.deepEqual(ids(res.hits.hits), idsOf(expected));
    assert.deepEqual(res.hits.hits.map((h) => h._score), expected.map((d) => d.boost));
    assert.equal(res.hits.max_score, Math.max(...DOCS.map((d) => d.boost)));
    assert.equal(res.hits.hits[0].sort, undefined);
  });

  it('breaks sort ties with an _id sort, in and out of the collapse field', async () => {
    const byCatIdAsc = await search({ collapse: { field: 'cat' }, sort: [{ price: 'desc' }, { _id: 'asc' }] });
    const expected = collapseRef(DOCS, byCat, then(priceDesc, idAsc));
    assert.deepEqual(ids(byCatIdAsc.hits.hits), idsOf(expected));
    assert.deepEqual(byCatIdAsc.hits.hits.map((h) => h.sort), expected.map((d) => [d.price, d._id]));
    // Price 20 is shared by 3 and 4: the _id order picks the head of that group.
    const byPriceIdDesc = await search({ collapse: { field: 'price' }, sort: [{ price: 'asc' }, { _id: 'desc' }] });
    const expectedPrice = collapseRef(DOCS, byPrice, then(priceAsc, idDesc));
    assert.deepEqual(ids(byPriceIdDesc.hits.hits), idsOf(expectedPrice));
    assert.ok(ids(byPriceIdDesc.hits.hits).includes('4') && !ids(byPriceIdDesc.hits.hits).includes('3'));
    const idOnly = await search({ collapse: { field: 'cat' }, sort: ['_id'] });
    assert.deepEqual(ids(idOnly.hits.hits), idsOf(collapseRef(DOCS, byCat, then(idAsc))));
  });

  it('pages over groups with from and size', async () => {
    const all = collapseRef(DOCS, byCat, then(priceDesc));
    const page = await search({ collapse: { field: 'cat' }, sort: [{ price: 'desc' }], from: 1, size: 2 });
    assert.deepEqual(ids(page.hits.hits), idsOf(all.slice(1, 3)));
    assert.equal(page.hits.total.value, DOCS.length);
    const last = await search({ collapse: { field: 'cat' }, sort: [{ price: 'desc' }], from: all.length - 1 });
    assert.deepEqual(ids(last.hits.hits), idsOf(all.slice(-1)));
    assert.deepEqual((await search({ collapse: { field: 'cat' }, from: all.length })).hits.hits, []);
    const none = await search({ collapse: { field: 'cat' }, size: 0 });
    assert.deepEqual([none.hits.hits, none.hits.total.value], [[], DOCS.length]);
  });

  it('collapses documents without a value into one null group', async () => {
    const res = await search({ collapse: { field: 'cat', inner_hits: { name: 'g', size: 10 } }, sort: [{ price: 'desc' }] });
    const nullGroup = res.hits.hits.filter((h) => h.fields?.cat[0] === null);
    assert.equal(nullGroup.length, 1);
    const missing = members(byCat, null);
    assert.equal(nullGroup[0]._id, [...missing].sort(then(priceDesc))[0]._id);
    assert.deepEqual(ids(nullGroup[0].inner_hits?.g.hits.hits ?? []).sort(), idsOf(missing).sort());
  });

  it('collapses on a numeric field, its values numbers', async () => {
    const res = await search({ collapse: { field: 'price' }, sort: [{ boost: 'desc' }] });
    const expected = collapseRef(DOCS, byPrice, then(boostDesc));
    assert.deepEqual(ids(res.hits.hits), idsOf(expected));
    assert.deepEqual(res.hits.hits.map((h) => h.fields?.price), expected.map((d) => [d.price]));
  });

  it('expands groups with inner_hits: size, from, sort and _source per definition', async () => {
    const res = await search({
      collapse: {
        field: 'cat',
        inner_hits: [
          { name: 'cheapest', size: 2, sort: [{ price: 'asc' }, { _id: 'asc' }], _source: ['price'] },
          { name: 'rest', from: 1, size: 10 },
        ],
        max_concurrent_group_searches: 4,
      },
      sort: [{ price: 'desc' }],
    });
    const heads = collapseRef(DOCS, byCat, then(priceDesc));
    assert.deepEqual(ids(res.hits.hits), idsOf(heads));
    for (const [i, head] of heads.entries()) {
      const group = members(byCat, byCat(head));
      const inner = res.hits.hits[i].inner_hits ?? {};
      const cheapest = [...group].sort(then(priceAsc, idAsc)).slice(0, 2);
      assert.deepEqual(inner.cheapest.hits.total, { value: group.length, relation: 'eq' });
      assert.deepEqual(ids(inner.cheapest.hits.hits), idsOf(cheapest));
      assert.deepEqual(inner.cheapest.hits.hits.map((h) => h._source), cheapest.map((d) => ({ price: d.price })));
      assert.deepEqual(inner.cheapest.hits.hits.map((h) => h.sort), cheapest.map((d) => [d.price, d._id]));
      assert.equal(inner.cheapest.hits.max_score, null);
      // No query: the group search is a bare filter, scoring 0, so its hits come in doc order.
      assert.deepEqual(ids(inner.rest.hits.hits), idsOf(group.slice(1)));
      assert.deepEqual(inner.rest.hits.hits.map((h) => h._score), group.slice(1).map(() => 0));
      assert.deepEqual(inner.rest.hits.hits.map((h) => h._source?.price), group.slice(1).map((d) => d.price));
    }
  });

  it('scores inner hits with the query, and a single inner_hits object works alike', async () => {
    const res = await search({ query: BY_BOOST, collapse: { field: 'cat', inner_hits: { name: 'top' } } });
    const heads = collapseRef(DOCS, byCat, then(boostDesc));
    for (const [i, head] of heads.entries()) {
      const group = [...members(byCat, byCat(head))].sort(then(boostDesc));
      const top = res.hits.hits[i].inner_hits?.top.hits;
      assert.deepEqual(ids(top?.hits ?? []), idsOf(group.slice(0, 3)), 'three hits by default');
      assert.equal(top?.max_score, group[0].boost);
    }
  });

  it('inner hit totals follow rest_total_hits_as_int', async () => {
    const res = await search({ collapse: { field: 'cat', inner_hits: { name: 'g', size: 0 } }, sort: [{ price: 'desc' }] }, '?rest_total_hits_as_int=true');
    const heads = collapseRef(DOCS, byCat, then(priceDesc));
    assert.deepEqual(res.hits.hits.map((h) => h.inner_hits?.g.hits.total), heads.map((d) => members(byCat, byCat(d)).length));
    assert.deepEqual(res.hits.hits.map((h) => h.inner_hits?.g.hits.hits), heads.map(() => []));
  });

  it('min_score trims the groups but not the inner hits; post_filter applies to both; aggregations see every match', async () => {
    const minScore = 1.1;
    const res = await search({
      query: BY_BOOST,
      min_score: minScore,
      post_filter: { range: { price: { lte: 40 } } },
      collapse: { field: 'cat', inner_hits: { name: 'g', size: 10 } },
      aggs: { cats: { terms: { field: 'cat' } } },
    });
    const passing = DOCS.filter((d) => d.price <= 40);
    const kept = passing.filter((d) => d.boost >= minScore);
    const heads = collapseRef(kept, byCat, then(boostDesc));
    assert.deepEqual(ids(res.hits.hits), idsOf(heads));
    assert.equal(res.hits.total.value, kept.length);
    for (const [i, head] of heads.entries()) {
      const group = [...members(byCat, byCat(head), passing)].sort(then(boostDesc));
      assert.deepEqual(ids(res.hits.hits[i].inner_hits?.g.hits.hits ?? []), idsOf(group));
    }
    const counts = new Map<string, number>();
    for (const d of DOCS) if (d.cat !== undefined && d.boost >= minScore) counts.set(d.cat, (counts.get(d.cat) ?? 0) + 1);
    const buckets = res.aggregations?.cats.buckets ?? [];
    assert.deepEqual(new Map(buckets.map((b) => [b.key, b.doc_count])), counts);
  });

  it('refuses fields that cannot be collapsed on', async () => {
    const cases: [string, RegExp][] = [
      ['title', /^unknown type for collapse field `title`, only keywords and numbers are accepted$/],
      ['day', /^unknown type for collapse field `day`/],
      ['scaled', /^unknown type for collapse field `scaled`/],
      ['_id', /^unknown type for collapse field `_id`/],
      ['nope', /^no mapping found for `nope` in order to collapse on$/],
      ['nodv', /^cannot collapse on field `nodv` without `doc_values`$/],
    ];
    for (const [field, reason] of cases) {
      const res = await refused({ collapse: { field } });
      assert.equal(res.status, 400, field);
      assert.equal(res.body.error.type, 'illegal_argument_exception', field);
      assert.match(res.body.error.reason, reason);
    }
    assert.equal((await search({ collapse: { field: 'noidx' } })).hits.hits.length, 1);
    const expand = await refused({ collapse: { field: 'noidx', inner_hits: { name: 'g' } } });
    assert.equal(expand.status, 400);
    assert.match(expand.body.error.reason, /^cannot expand `inner_hits` for collapse field `noidx`, only indexed field can retrieve `inner_hits`$/);
  });

  it('refuses a multi-valued collapse field when a matching document has several values', async () => {
    await call(engine.url, 'PUT', '/multi', { mappings: { properties: { tags: { type: 'keyword' } } } });
    await call(engine.url, 'PUT', '/multi/_doc/1?refresh=true', { tags: ['x', 'y'] });
    await call(engine.url, 'PUT', '/multi/_doc/2?refresh=true', { tags: ['z', 'z'] });
    const res = await call<ErrorBody>(engine.url, 'POST', '/multi/_search', { collapse: { field: 'tags' } });
    assert.equal(res.status, 500);
    assert.equal(res.body.error.type, 'illegal_state_exception');
    assert.match(res.body.error.reason, /the collapse field must be single valued/);
    // A repeated keyword is one doc value.
    const single = await call<SearchBody>(engine.url, 'POST', '/multi/_search', { query: { ids: { values: ['2'] } }, collapse: { field: 'tags' } });
    assert.deepEqual(single.body.hits.hits.map((h) => h.fields), [{ tags: ['z'] }]);
  });

  it('refuses search_after, rescore and scroll with collapse (OpenSearch 2.x)', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ collapse: { field: 'cat' }, sort: [{ cat: 'asc' }], search_after: ['a'] }, '', 'cannot use `collapse` in conjunction with `search_after`'],
      [{ collapse: { field: 'cat' }, rescore: { query: { rescore_query: { match_all: {} } } } }, '', 'cannot use `collapse` in conjunction with `rescore`'],
      [{ collapse: { field: 'cat' } }, '?scroll=1m', 'cannot use `collapse` in a scroll context'],
    ];
    for (const [body, query, reason] of cases) {
      const res = await refused(body, query);
      assert.equal(res.status, 500, reason);
      assert.deepEqual(res.body.error.root_cause, [{ type: 'search_exception', reason }]);
    }
    assert.equal((await search({ collapse: { field: 'cat' }, rescore: [] })).hits.hits.length, collapseRef(DOCS, byCat, docOrder).length);
  });

  it('refuses malformed collapse objects', async () => {
    const asString = await refused({ collapse: 'cat' });
    assert.deepEqual([asString.status, asString.body.error.type, asString.body.error.reason], [400, 'parsing_exception', 'Unknown key for a VALUE_STRING in [collapse].']);
    const unknown = await refused({ collapse: { field: 'cat', size: 2 } });
    assert.deepEqual([unknown.status, unknown.body.error.type, unknown.body.error.reason], [400, 'x_content_parse_exception', '[collapse] unknown field [size]']);
    const badInner = await refused({ collapse: { field: 'cat', inner_hits: { name: 'g', query: {} } } });
    assert.equal(badInner.status, 400);
    assert.equal(badInner.body.error.caused_by?.reason, '[inner_hits] unknown field [query]');
    const nameless = await refused({ collapse: { field: 'cat', inner_hits: { size: 1 } } });
    assert.deepEqual([nameless.status, nameless.body.error.type], [400, 'illegal_argument_exception']);
    const concurrent = await refused({ collapse: { field: 'cat', max_concurrent_group_searches: 0 } });
    assert.equal(concurrent.status, 400);
    assert.equal(concurrent.body.error.caused_by?.reason, 'maxConcurrentGroupRequests` must be positive');
    const empty = await refused({ collapse: { field: '' } });
    assert.equal(empty.body.error.caused_by?.reason, 'field name is null or empty');
  });
});
