import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Json, JsonObject } from '../../src/core/json.ts';
import { rewriteSearchBody } from '../../src/tenancy/index.ts';
import { DEDICATED, ITEMS, MIXED, ORDERS, SHARED, assertRefused, scopeOf, wrapped } from './support.ts';

/** The rewritten client query (the first `must` clause of the wrap). */
function clientQuery(query: JsonObject, scope = SHARED): Json {
  const out = rewriteSearchBody({ query }, scope).query as { bool: { must: Json[] } };
  return out.bool.must[0];
}

const lindexFilter = (...names: string[]) => ({ constant_score: { filter: { terms: { _lindex: names } } } });

describe('_index and _id mapping', () => {
  it('term / match on _index become a _lindex filter with the logical name (shared)', () => {
    assert.deepEqual(clientQuery({ term: { _index: 'orders' } }), lindexFilter('orders'));
    assert.deepEqual(clientQuery({ term: { _index: { value: 'orders', boost: 2, _name: 'n' } } }), {
      constant_score: { filter: { terms: { _lindex: ['orders'] } }, boost: 2, _name: 'n' },
    });
    assert.deepEqual(clientQuery({ match: { _index: 'orders' } }), lindexFilter('orders'));
  });

  it('terms, prefix and wildcard on _index are evaluated against the targeted names', () => {
    const scope = scopeOf([ORDERS, ITEMS]);
    assert.deepEqual(clientQuery({ terms: { _index: ['orders', 'items', 'nope'], _name: 'x' } }, scope), {
      constant_score: { filter: { terms: { _lindex: ['orders', 'items'] } }, _name: 'x' },
    });
    assert.deepEqual(clientQuery({ prefix: { _index: 'ord' } }, scope), lindexFilter('orders'));
    assert.deepEqual(clientQuery({ wildcard: { _index: { value: '*s' } } }, scope), lindexFilter('orders', 'items'));
    assert.deepEqual(clientQuery({ wildcard: { _index: 'i?ems' } }, scope), lindexFilter('items'));
  });

  it('an _index value outside the request’s indexes (e.g. another tenant’s) matches nothing', () => {
    assert.deepEqual(clientQuery({ term: { _index: 'osproxy-shared-orders' } }), { constant_score: { filter: { match_none: {} } } });
    assert.deepEqual(clientQuery({ term: { _index: 'secret' } }), { constant_score: { filter: { match_none: {} } } });
  });

  it('_index maps to the physical name for dedicated targets, and to both forms when mixed', () => {
    assert.deepEqual(clientQuery({ term: { _index: 'logs' } }, DEDICATED), { constant_score: { filter: { terms: { _index: ['t-acme-logs'] } } } });
    assert.deepEqual(clientQuery({ terms: { _index: ['logs', 'orders'] } }, MIXED), {
      constant_score: {
        filter: { bool: { should: [{ terms: { _lindex: ['orders'] } }, { terms: { _index: ['t-acme-logs'] } }], minimum_should_match: 1 } },
      },
    });
  });

  it('other queries on _index, and escaped wildcards, are refused', () => {
    assertRefused(() => clientQuery({ range: { _index: { gte: 'a' } } }), 'metadata_field_refused');
    assertRefused(() => clientQuery({ regexp: { _index: 'o.*' } }), 'metadata_field_refused');
    assertRefused(() => clientQuery({ exists: { field: '_index' } }), 'metadata_field_refused');
    assertRefused(() => clientQuery({ wildcard: { _index: 'or\\*' } }), 'index_query_refused');
    assertRefused(() => clientQuery({ terms: { _index: { index: 'orders', id: '1', path: 'p' } } }), 'metadata_field_refused');
  });

  it('ids become physical ids: the cross product with the shared logical indexes', () => {
    assert.deepEqual(clientQuery({ ids: { values: ['1', 'a:b'] } }), { ids: { values: ['acme:orders:1', 'acme:orders:a:b'] } });
    assert.deepEqual(clientQuery({ ids: { values: ['1', 2], boost: 3 } }, scopeOf([ORDERS, ITEMS])), {
      ids: { values: ['acme:orders:1', 'acme:items:1', 'acme:orders:2', 'acme:items:2'], boost: 3 },
    });
    assert.deepEqual(clientQuery({ ids: { values: ['1'] } }, MIXED), { ids: { values: ['acme:orders:1', '1'] } });
    assert.deepEqual(clientQuery({ ids: { values: ['1'] } }, DEDICATED), { ids: { values: ['1'] } });
  });

  it('term and terms on _id become terms on the physical ids', () => {
    assert.deepEqual(clientQuery({ term: { _id: '7' } }), { terms: { _id: ['acme:orders:7'] } });
    assert.deepEqual(clientQuery({ term: { _id: { value: '7', _name: 'q' } } }), { terms: { _id: ['acme:orders:7'], _name: 'q' } });
    assert.deepEqual(clientQuery({ terms: { _id: ['7', '8'], boost: 2 } }, scopeOf([ORDERS, ITEMS])), {
      terms: { _id: ['acme:orders:7', 'acme:items:7', 'acme:orders:8', 'acme:items:8'], boost: 2 },
    });
    assert.deepEqual(clientQuery({ term: { _id: '7' } }, DEDICATED), { term: { _id: '7' } });
  });

  it('a client id shaped like another tenant’s physical id stays inside the tenant’s prefix', () => {
    assert.deepEqual(clientQuery({ ids: { values: ['globex:orders:1'] } }), { ids: { values: ['acme:orders:globex:orders:1'] } });
  });

  it('other queries on _id and _routing are refused in shared placement', () => {
    assertRefused(() => clientQuery({ prefix: { _id: 'a' } }), 'metadata_field_refused');
    assertRefused(() => clientQuery({ term: { _id: { value: 'a', case_insensitive: true } } }), 'metadata_field_refused');
    assertRefused(() => clientQuery({ term: { _routing: 'globex' } }), 'metadata_field_refused');
    assert.deepEqual(clientQuery({ prefix: { _id: 'a' } }, DEDICATED), { prefix: { _id: 'a' } });
  });

  it('mapping also applies in post_filter, rescore and nested sort filters', () => {
    const out = rewriteSearchBody(
      {
        post_filter: { term: { _index: 'orders' } },
        rescore: { window_size: 10, query: { rescore_query: { ids: { values: ['1'] } } } },
        sort: [{ n: { order: 'asc', nested: { path: 'n', filter: { term: { _id: '1' } } } } }],
      },
      SHARED,
    );
    assert.deepEqual(out, {
      query: wrapped({ match_all: {} }),
      post_filter: lindexFilter('orders'),
      rescore: { window_size: 10, query: { rescore_query: { ids: { values: ['acme:orders:1'] } } } },
      sort: [{ n: { order: 'asc', nested: { path: 'n', filter: { terms: { _id: ['acme:orders:1'] } } } } }],
    });
  });
});
