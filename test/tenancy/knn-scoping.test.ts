import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Json, JsonObject } from '../../src/core/json.ts';
import { rewriteSearchBody } from '../../src/tenancy/index.ts';
import { DEDICATED, SHARED, assertRefused, sharedFilter, wrapped } from './support.ts';

function clientQuery(query: JsonObject, scope = SHARED): Json {
  const out = rewriteSearchBody({ query }, scope).query as { bool: { must: Json[] } };
  return out.bool.must[0];
}

describe('knn scoping', () => {
  it('puts the scope filter inside the knn filter as well as around the query', () => {
    const out = rewriteSearchBody({ query: { knn: { vec: { vector: [1, 2], k: 5 } } } }, SHARED);
    assert.deepEqual(out.query, wrapped({ knn: { vec: { vector: [1, 2], k: 5, filter: sharedFilter('orders') } } }));
  });

  it('ANDs the scope filter with an existing knn filter, which is walked', () => {
    assert.deepEqual(clientQuery({ knn: { vec: { vector: [1], k: 3, filter: { term: { _index: 'orders' } } } } }), {
      knn: {
        vec: {
          vector: [1],
          k: 3,
          filter: { bool: { filter: [{ constant_score: { filter: { terms: { _lindex: ['orders'] } } } }, sharedFilter('orders')] } },
        },
      },
    });
    assertRefused(() => clientQuery({ knn: { vec: { vector: [1], k: 3, filter: { term: { _tenant: 'globex' } } } } }), 'reserved_field_refused');
  });

  it('neural queries are scoped the same way; dedicated knn is left alone', () => {
    assert.deepEqual(clientQuery({ neural: { emb: { query_text: 'x', model_id: 'm', k: 2 } } }), {
      neural: { emb: { query_text: 'x', model_id: 'm', k: 2, filter: sharedFilter('orders') } },
    });
    assert.deepEqual(clientQuery({ knn: { vec: { vector: [1], k: 3 } } }, DEDICATED), { knn: { vec: { vector: [1], k: 3 } } });
  });

  it('refuses unknown knn parameters and reserved vector fields', () => {
    assertRefused(() => clientQuery({ knn: { vec: { vector: [1], k: 3, extra: 1 } } }), 'unsupported_parameter', 'parsing_exception');
    assertRefused(() => clientQuery({ knn: { _tenant: { vector: [1], k: 3 } } }), 'reserved_field_refused');
  });
});
