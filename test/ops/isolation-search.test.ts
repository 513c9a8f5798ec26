import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  A, assertCleanError, assertNoLeak, assertNoReserved, assertOwnHits, assertScopedOrRefused, B, B_IDS, hitIds, seed, startTenants, total,
  type Hit, type Res, type Tenants,
} from './isolation-fixtures.ts';

type Buckets = { buckets: { key: string; doc_count: number; h?: { hits: { hits: Hit[] } } }[] };

describe('isolation proof, search (shared placement): B never observes A', () => {
  let t: Tenants;
  const asB = (method: string, path: string, body?: unknown) => t.as(B, method, path, body);
  const asA = (method: string, path: string, body?: unknown) => t.as(A, method, path, body);
  const search = (who: string, body: unknown, path = '/orders/_search') => t.as(who, 'POST', path, body);

  before(async () => {
    t = await startTenants();
    await seed(t);
  });
  after(() => t.stack.close());

  it('match_all and an empty body return only B’s documents; A sees its own', async () => {
    assertOwnHits(await search(B, { query: { match_all: {} } }));
    assertOwnHits(await asB('GET', '/orders/_search'));
    assert.deepEqual(hitIds(await search(A, { query: { match_all: {} } })), ['a-secret-1', 'a-secret-2']);
  });

  it('q= with A’s term finds nothing; q= on _tenant / _index is refused without echoing A', async () => {
    const term = await asB('GET', '/orders/_search?q=zanzibar');
    assertNoLeak(term, ['zanzibar']);
    assert.equal(total(term), 0);
    assert.equal(total(await asA('GET', '/orders/_search?q=zanzibar')), 2);
    for (const q of ['_tenant:acme', '_index:acme-only', '_lindex:orders', '_ten\\ant:acme', '_*:acme', '_id:a-secret-1']) {
      const res = await asB('GET', `/orders/_search?q=${encodeURIComponent(q)}`);
      assertCleanError(res, [], 400);
      assert.ok(!res.text.includes('acme'), res.text);
    }
    const df = await asB('GET', '/orders/_search?q=acme&df=_tenant');
    assertCleanError(df, ['acme'], 400);
  });

  it('queries on _index map to B’s own logical names only', async () => {
    for (const query of [{ term: { _index: 'acme-only' } }, { terms: { _index: ['acme-only', 'orders'] } }, { prefix: { _index: 'acme' } }, { wildcard: { _index: '*' } }]) {
      const res = await search(B, { query });
      assertNoLeak(res, ['acme-only', 'acme']);
      const expected = JSON.stringify(query).includes('orders') || JSON.stringify(query).includes('*') ? B_IDS : [];
      assert.deepEqual(hitIds(res), expected, JSON.stringify(query));
    }
    assert.equal(total(await search(A, { query: { term: { _index: 'acme-only' } } }, '/acme-only/_search')), 1);
  });

  it('guessing A’s ids with ids / term _id / terms _id returns nothing', async () => {
    const guesses = ['a-secret-1', 'a-secret-2', 'acme:orders:a-secret-1'];
    for (const query of [{ ids: { values: guesses } }, { term: { _id: 'a-secret-1' } }, { terms: { _id: guesses } }, { term: { _id: 'acme:orders:a-secret-1' } }]) {
      const res = await search(B, { query });
      assertNoLeak(res, guesses);
      assert.equal(total(res), 0, JSON.stringify(query));
    }
    assert.deepEqual(hitIds(await search(A, { query: { ids: { values: guesses } } })), ['a-secret-1', 'a-secret-2']);
  });

  it('terms lookup and more_like_this cannot read A’s documents', async () => {
    const lookupA = await search(B, { query: { terms: { tag: { index: 'acme-only', id: 'a-only-1', path: 'tag' } } } });
    assertCleanError(lookupA, ['acme-only', 'a-only-1'], 400);
    const lookupOrders = await search(B, { query: { terms: { tag: { index: 'orders', id: 'a-secret-1', path: 'tag' } } } });
    assertScopedOrRefused(lookupOrders, (r) => assert.equal(total(r), 0), ['a-secret-1']);
    const mltA = await search(B, { query: { more_like_this: { fields: ['body'], like: [{ _index: 'acme-only', _id: 'a-only-1' }] } } });
    assertCleanError(mltA, ['acme-only', 'a-only-1'], 400);
    const mltOrders = await search(B, { query: { more_like_this: { fields: ['body'], like: [{ _index: 'orders', _id: 'a-secret-1' }], min_term_freq: 1, min_doc_freq: 1 } } });
    assertScopedOrRefused(mltOrders, (r) => assert.equal(total(r), 0), ['a-secret-1']);
  });

  it('exists / term on the reserved fields is refused, also escaped and through wildcards', async () => {
    const bodies: unknown[] = [
      { query: { exists: { field: '_tenant' } } },
      { query: { term: { _tenant: 'acme' } } },
      { query: { term: { _lindex: 'acme-only' } } },
      { query: { exists: { field: '_*' } } },
      { query: { multi_match: { query: 'acme', fields: ['_*'] } } },
      { query: { query_string: { query: 'acme', fields: ['_ten*'] } } },
      { query: { match: { '_lindex.keyword': 'orders' } } },
      '{"query":{"exists":{"field":"_ten\\u0061nt"}}}',
      '{"query":{"term":{"_l\\u0069ndex":"acme-only"}}}',
    ];
    for (const body of bodies) {
      const res = await search(B, body);
      assertCleanError(res, ['acme-only', 'acme'], 400);
      assert.ok(['reserved_field_refused', 'query_text_refused'].includes(res.body.osproxy?.code ?? ''), res.text);
    }
  });

  it('global, min_doc_count 0 and terms on _index are refused', async () => {
    const refused: [unknown, string][] = [
      [{ size: 0, aggs: { g: { global: {}, aggs: { c: { value_count: { field: 'n' } } } } } }, 'global_aggregation_refused'],
      [{ size: 0, aggs: { t: { terms: { field: 'tag.keyword' }, aggs: { g: { global: {} } } } } }, 'global_aggregation_refused'],
      [{ size: 0, aggs: { t: { terms: { field: 'tag.keyword', min_doc_count: 0 } } } }, 'min_doc_count_zero_refused'],
      [{ size: 0, aggs: { t: { terms: { field: '_index' } } } }, 'metadata_field_refused'],
      [{ size: 0, aggs: { t: { terms: { field: '_tenant' } } } }, 'reserved_field_refused'],
    ];
    for (const [body, code] of refused) {
      const res = await search(B, body);
      assertCleanError(res, [], 400);
      assert.equal(res.body.osproxy?.code, code);
    }
  });

  it('terms, cardinality and significant_terms count B’s documents only', async () => {
    const terms = await search(B, { size: 0, aggs: { t: { terms: { field: 'tag.keyword' } }, c: { cardinality: { field: 'tag.keyword' } }, s: { sum: { field: 'n' } } } });
    assertNoLeak(terms);
    const aggs = terms.body.aggregations as { t: Buckets; c: { value: number }; s: { value: number } };
    assert.deepEqual(aggs.t.buckets.map((b) => [b.key, b.doc_count]), [['globtag', 2]]);
    assert.equal(aggs.c.value, 1);
    assert.equal(aggs.s.value, 8);
    const aTerms = await search(A, { size: 0, aggs: { t: { terms: { field: 'tag.keyword' } }, s: { sum: { field: 'n' } } } });
    assert.equal((aTerms.body.aggregations as { s: { value: number } }).s.value, 16);
    const sig = await search(B, { size: 0, aggs: { s: { significant_terms: { field: 'tag.keyword' } } } });
    assertScopedOrRefused(sig, (r) => {
      const s = (r.body.aggregations as { s: { doc_count: number; bg_count?: number } }).s;
      assert.equal(s.doc_count, 2);
      if (s.bg_count !== undefined) assert.equal(s.bg_count, 2);
    });
  });

  it('top_hits, also nested in a terms bucket, show logical names and no reserved fields', async () => {
    const res = await search(B, { size: 0, aggs: { top: { top_hits: { size: 10 } }, t: { terms: { field: 'tag.keyword' }, aggs: { h: { top_hits: { size: 10, _source: ['_tenant', 'tag'] } } } } } });
    assertNoLeak(res);
    const aggs = res.body.aggregations as { top: { hits: { hits: Hit[] } }; t: Buckets };
    assert.deepEqual(aggs.top.hits.hits.map((h) => h._id).sort(), B_IDS);
    const inner = aggs.t.buckets.flatMap((b) => b.h?.hits.hits ?? []);
    assert.deepEqual(inner.map((h) => h._id).sort(), B_IDS);
    for (const h of [...aggs.top.hits.hits, ...inner]) {
      assert.equal(h._index, 'orders');
      assertNoReserved(h);
    }
    const mine = await search(A, { size: 0, aggs: { top: { top_hits: { size: 10 } } } });
    assert.deepEqual((mine.body.aggregations as { top: { hits: { hits: Hit[] } } }).top.hits.hits.map((h) => h._id).sort(), ['a-secret-1', 'a-secret-2']);
  });

  it('suggest, has_child, stats and dfs_query_then_fetch are refused in shared placement', async () => {
    const cases: [Res, string][] = [
      [await search(B, { suggest: { s: { text: 'zanzibar', term: { field: 'body' } } } }), 'suggest_refused'],
      [await search(B, { query: { has_child: { type: 'x', query: { match_all: {} } } } }), 'join_query_refused'],
      [await search(B, { query: { has_parent: { parent_type: 'x', query: { match_all: {} } } } }), 'join_query_refused'],
      [await search(B, { stats: ['acme'] }), 'stats_refused'],
      [await asB('GET', '/orders/_search?search_type=dfs_query_then_fetch'), 'dfs_refused'],
    ];
    for (const [res, code] of cases) {
      assertCleanError(res, ['zanzibar', 'acme'], 400);
      assert.equal(res.body.osproxy?.code, code);
    }
  });

  it('terms and sort on _id see B’s own ids only, as in an index of its own', async () => {
    const ids = await search(B, { size: 0, aggs: { t: { terms: { field: '_id' } }, c: { cardinality: { field: '_id' } } } });
    assertNoLeak(ids);
    const aggs = ids.body.aggregations as { t: Buckets; c: { value: number } };
    assert.deepEqual(aggs.t.buckets.map((b) => b.key).sort(), [...B_IDS].sort());
    assert.equal(aggs.c.value, B_IDS.length);
    const asc = await search(B, { sort: ['_id'] });
    assertOwnHits(asc);
    const inOrder = (res: Res) => (res.body.hits?.hits ?? []).map((h) => h._id);
    assert.deepEqual(inOrder(asc), [...B_IDS].sort());
    const desc = await search(B, { sort: [{ _id: 'desc' }] });
    assert.deepEqual(inOrder(desc), [...B_IDS].sort().reverse());
    for (const h of desc.body.hits?.hits ?? []) assertNoReserved(h);
  });

  it('sort on a reserved or routing field is refused; sort on a value field is scoped', async () => {
    for (const sort of [[{ _tenant: 'asc' }], [{ '_lindex.keyword': 'desc' }], ['_routing']]) {
      assertCleanError(await search(B, { sort }), [], 400);
    }
    assertCleanError(await asB('GET', '/orders/_search?sort=_tenant:asc'), [], 400);
    const byN = await search(B, { sort: [{ n: 'desc' }] });
    assertOwnHits(byN);
    assert.deepEqual((byN.body.hits?.hits ?? []).map((h) => h._id), ['g-2', 'g-1']);
  });

  it('indices_boost naming A’s index is refused without other names', async () => {
    const res = await search(B, { indices_boost: [{ 'acme-only': 2 }] });
    assertCleanError(res, ['acme-only'], 400);
    assertOwnHits(await search(B, { indices_boost: [{ orders: 2 }] }));
  });

  it('highlight, fields, docvalue_fields and stored_fields with wildcards return B’s fields only', async () => {
    const bodies = [
      { query: { match: { body: 'rocket' } }, highlight: { fields: { '*': {} } } },
      { query: { match_all: {} }, highlight: { fields: { '*': {} }, highlight_query: { match: { body: 'rocket' } } } },
      { fields: ['*'], docvalue_fields: ['*'] },
      { fields: ['_*'], docvalue_fields: ['_*'] },
      { stored_fields: ['*'] },
      { _source: ['_*', 'tag'] },
    ];
    for (const body of bodies) {
      const res = await search(B, body);
      assertNoLeak(res);
      assert.equal(res.status, 200, res.text);
      for (const h of res.body.hits?.hits ?? []) assertNoReserved(h);
      assert.ok(hitIds(res).every((id) => B_IDS.includes(id)));
    }
    const hl = await search(B, bodies[0]);
    assert.deepEqual(hitIds(hl), ['g-1']);
    const aHl = await search(A, { query: { match: { body: 'anvil' } }, highlight: { fields: { '*': {} } } });
    assert.match(aHl.text, /<em>anvil<\/em>/);
  });

  it('inline script_fields are refused; knn is scoped or cleanly refused', async () => {
    const script = await search(B, { script_fields: { x: { script: { source: "doc['_tenant'].value" } } } });
    assertCleanError(script, [], 400);
    assert.equal(script.body.osproxy?.code, 'inline_script_refused');
    const knn = await search(B, { query: { knn: { v: { vector: [1, 2], k: 10 } } } });
    assertScopedOrRefused(knn, (r) => assertOwnHits(r, hitIds(r).filter((id) => B_IDS.includes(id))));
  });

  it('filter_path variants never expose reserved fields, A’s data or physical names', async () => {
    for (const fp of ['**._tenant', 'hits.hits._index', 'hits.hits._source', 'hits.hits._source._lindex', 'hits.total', '**', 'aggregations.**']) {
      const res = await asB('GET', `/orders/_search?filter_path=${encodeURIComponent(fp)}`);
      assert.equal(res.status, 200, `${fp}: ${res.text}`);
      assertNoLeak(res);
      assertNoReserved(res.body);
      const hits = res.body.hits?.hits ?? [];
      for (const h of hits) if (h._index !== undefined) assert.equal(h._index, 'orders');
      if (res.body.hits?.total !== undefined) assert.equal(res.body.hits.total.value, 2);
    }
    const src = await asB('GET', '/orders/_search?filter_path=hits.hits._source');
    assert.deepEqual((src.body.hits?.hits ?? []).map((h) => h._source?.tag), ['globtag', 'globtag']);
    const mine = await asA('GET', '/orders/_search?filter_path=hits.hits._source');
    assert.match(mine.text, /zanzibar/);
  });
});

describe('isolation proof, index patterns and lists (shared placement)', () => {
  let t: Tenants;
  const asB = (method: string, path: string, body?: unknown) => t.as(B, method, path, body);

  before(async () => {
    t = await startTenants();
    await seed(t);
  });
  after(() => t.stack.close());

  it('/*/_search, /_search and /or*/_search cover B’s indexes only', async () => {
    for (const path of ['/*/_search', '/_search', '/or*/_search', '/*,-nothing/_search', '/a*/_search']) {
      const res = await asB('GET', path);
      if (path === '/a*/_search') {
        assertNoLeak(res);
        assert.equal(total(res), 0);
      } else assertOwnHits(res);
    }
    assert.equal(total(await t.as(A, 'GET', '/_search')), 3);
    assert.equal(total(await t.as(A, 'GET', '/a*/_search')), 1);
  });

  it('/_all/_search is B’s indexes only, or a clean refusal', async () => {
    assertScopedOrRefused(await asB('GET', '/_all/_search'), (r) => assertOwnHits(r));
  });

  it('/acme-only/_search is a 404 naming only acme-only', async () => {
    const res = await asB('GET', '/acme-only/_search');
    assertCleanError(res, ['acme-only'], 404);
    assert.equal(res.body.error?.type, 'index_not_found_exception');
    assert.equal(res.body.error?.reason, 'no such index [acme-only]');
    assert.equal(total(await t.as(A, 'GET', '/acme-only/_search')), 1);
  });

  it('lists naming A’s index are 404, or B’s own hits with ignore_unavailable', async () => {
    assertCleanError(await asB('GET', '/orders,acme-only/_search'), ['acme-only'], 404);
    assertOwnHits(await asB('GET', '/orders,acme-only/_search?ignore_unavailable=true'));
    const none = await asB('GET', '/acme-only/_search?ignore_unavailable=true');
    assertNoLeak(none);
    assert.equal(total(none), 0);
  });

  it('_count on names, lists and patterns counts B’s documents', async () => {
    for (const path of ['/orders/_count', '/_count', '/*/_count', '/or*/_count', '/orders,acme-only/_count?ignore_unavailable=true']) {
      const res = await asB('GET', path);
      assertNoLeak(res);
      assert.equal(res.body.count, 2, `${path}: ${res.text}`);
    }
    assertCleanError(await asB('GET', '/acme-only/_count'), ['acme-only'], 404);
    const q = await asB('GET', '/_count?q=zanzibar');
    assertNoLeak(q, ['zanzibar']);
    assert.equal(q.body.count, 0);
    assertCleanError(await asB('POST', '/_count', { query: { term: { _tenant: 'acme' } } }), ['acme'], 400);
    assert.equal((await t.as(A, 'GET', '/_count')).body.count, 3);
  });
});

/** The core of the proof for dedicated and mixed placements (one tenant's `big` dedicated). */
for (const [label, opts] of [
  ['index placement', { placement: 'index' as const }],
  ['mixed placement (acme big → index)', { tenantExtra: { acme: { indices: { big: { kind: 'index' } } } } }],
] as const) {
  describe(`isolation proof, search core (${label})`, () => {
    let t: Tenants;
    const asB = (method: string, path: string, body?: unknown) => t.as(B, method, path, body);

    before(async () => {
      t = await startTenants(opts);
      await seed(t, { bigForA: true });
      const big = await t.as(B, 'PUT', '/big/_doc/g-big?refresh=true', { tag: 'globtag', n: 1, body: 'own big' });
      assert.equal(big.status, 201, big.text);
    });
    after(() => t.stack.close());

    it('match_all, /_search and patterns return B’s documents only', async () => {
      assertOwnHits(await asB('GET', '/orders/_search'));
      const all = await asB('GET', '/_search');
      assertNoLeak(all);
      assert.deepEqual(hitIds(all), [...B_IDS, 'g-big'].sort());
      assert.deepEqual(hitIds(await asB('GET', '/b*/_search')), ['g-big']);
      assert.deepEqual(hitIds(await t.as(A, 'GET', '/_search')), ['a-big-1', 'a-only-1', 'a-secret-1', 'a-secret-2']);
    });

    it('id guesses, _index queries and aggregations stay scoped', async () => {
      const ids = await asB('POST', '/_search', { query: { ids: { values: ['a-secret-1', 'a-big-1', 'a-only-1'] } } });
      assertNoLeak(ids, ['a-secret-1', 'a-big-1', 'a-only-1']);
      assert.equal(total(ids), 0);
      const idx = await asB('POST', '/_search', { query: { terms: { _index: ['acme-only', 'big'] } } });
      assertNoLeak(idx, ['acme-only']);
      assert.deepEqual(hitIds(idx), ['g-big']);
      const aggs = await asB('POST', '/_search', { size: 0, aggs: { t: { terms: { field: 'tag.keyword' } }, s: { sum: { field: 'n' } } } });
      assertNoLeak(aggs);
      const a = aggs.body.aggregations as { t: Buckets; s: { value: number } };
      assert.deepEqual(a.t.buckets.map((b) => [b.key, b.doc_count]), [['globtag', 3]]);
      assert.equal(a.s.value, 9);
      assertCleanError(await asB('POST', '/_search', { size: 0, aggs: { g: { global: {} } } }), [], 400);
      assertCleanError(await asB('POST', '/_search', { size: 0, aggs: { t: { terms: { field: '_index' } } } }), [], 400);
      const top = await asB('POST', '/_search', { size: 0, aggs: { t: { terms: { field: 'tag.keyword' }, aggs: { h: { top_hits: { size: 10 } } } } } });
      assertNoLeak(top);
      const inner = (top.body.aggregations as { t: Buckets }).t.buckets.flatMap((b) => b.h?.hits.hits ?? []);
      assert.deepEqual(inner.map((h) => `${h._index}/${h._id}`).sort(), ['big/g-big', 'orders/g-1', 'orders/g-2']);
    });

    it('sort on _id: allowed where every searched index keeps the ids, refused cleanly across placements', async () => {
      const mine = await asB('POST', '/_search', { sort: [{ _id: 'asc' }] });
      assert.equal(mine.status, 200, mine.text);
      assert.deepEqual((mine.body.hits?.hits ?? []).map((h) => h._id), [...B_IDS, 'g-big'].sort());
      const acme = await t.as(A, 'POST', '/_search', { sort: [{ _id: 'asc' }] });
      if (label.startsWith('mixed')) {
        assertCleanError(acme, [], 400);
        assert.match(acme.body.error?.reason ?? '', /search those indexes separately/);
      } else {
        assert.equal(acme.status, 200, acme.text);
      }
    });

    it('A’s index names are 404 and _count counts B only', async () => {
      assertCleanError(await asB('GET', '/acme-only/_search'), ['acme-only'], 404);
      assert.equal((await asB('GET', '/_count')).body.count, 3);
      assert.equal((await t.as(A, 'GET', '/_count')).body.count, 4);
    });

    it('filter_path keeps hits mapped', async () => {
      const res = await asB('GET', '/_search?filter_path=hits.hits._source');
      assert.equal(res.status, 200, res.text);
      assertNoLeak(res);
      assert.equal(res.body.hits?.hits.length, 3);
    });
  });
}
