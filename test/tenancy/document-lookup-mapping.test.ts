import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Json, JsonObject } from '../../src/core/json.ts';
import { resolveTarget, rewriteSearchBody } from '../../src/tenancy/index.ts';
import { DEDICATED, ITEMS, ORDERS, SHARED, assertRefused, scopeOf } from './support.ts';

function clientQuery(query: JsonObject, scope = SHARED): Json {
  const out = rewriteSearchBody({ query }, scope).query as { bool: { must: Json[] } };
  return out.bool.must[0];
}

describe('stored-document lookups', () => {
  it('terms lookup is mapped to the physical index, physical id and tenant routing', () => {
    assert.deepEqual(clientQuery({ terms: { user: { index: 'orders', id: '2', path: 'followers', routing: 'globex' } } }), {
      terms: { user: { index: 'osproxy-shared-orders', id: 'acme:orders:2', path: 'followers', routing: 'acme' } },
    });
  });

  it('terms lookup may read another of the tenant’s indexes when the caller allows it', () => {
    const scope = scopeOf([ORDERS], { lookupTargets: [ITEMS] });
    assert.deepEqual(clientQuery({ terms: { user: { index: 'items', id: '2', path: 'p' } } }, scope), {
      terms: { user: { index: 'osproxy-shared-items', id: 'acme:items:2', path: 'p', routing: 'acme' } },
    });
  });

  it('terms lookup in dedicated placement keeps id and routing', () => {
    assert.deepEqual(clientQuery({ terms: { user: { index: 'logs', id: '2', path: 'p', routing: 'r' } } }, DEDICATED), {
      terms: { user: { index: 't-acme-logs', id: '2', path: 'p', routing: 'r' } },
    });
  });

  it('terms lookup of an unknown index or a reserved path is refused', () => {
    const e = assertRefused(() => clientQuery({ terms: { user: { index: 'audit', id: '1', path: 'p' } } }), 'lookup_refused');
    assert.match(e.reason, /not one of the indexes/);
    assertRefused(() => clientQuery({ terms: { user: { index: 'secret', id: '1', path: 'p' } } }), 'lookup_refused');
    assertRefused(() => clientQuery({ terms: { user: { index: 'orders', id: '1', path: '_tenant' } } }), 'reserved_field_refused');
  });

  it('more_like_this like/unlike documents are mapped; artificial documents checked', () => {
    const q: JsonObject = {
      more_like_this: {
        fields: ['title'],
        like: [{ _index: 'orders', _id: '1' }, 'free text', { doc: { title: 'x' } }, { _id: '3' }],
        unlike: { _index: 'orders', _id: '2', routing: 'globex' },
        min_term_freq: 1,
      },
    };
    assert.deepEqual(clientQuery(q), {
      more_like_this: {
        fields: ['title'],
        like: [
          { _index: 'osproxy-shared-orders', _id: 'acme:orders:1', routing: 'acme' },
          'free text',
          { doc: { title: 'x' } },
          { _id: 'acme:orders:3', _index: 'osproxy-shared-orders', routing: 'acme' },
        ],
        unlike: { _index: 'osproxy-shared-orders', _id: 'acme:orders:2', routing: 'acme' },
        min_term_freq: 1,
      },
    });
    assertRefused(() => clientQuery({ more_like_this: { like: [{ doc: { _tenant: 'globex' } }] } }), 'reserved_field');
    assertRefused(() => clientQuery({ more_like_this: { like: [{ _index: 'other', _id: '1' }] } }), 'lookup_refused');
    assertRefused(() => clientQuery({ more_like_this: { fields: ['_tenant'], like: 'x' } }), 'reserved_field_refused');
    assertRefused(() => clientQuery({ more_like_this: { docs: [{ _index: 'orders', _id: '1' }] } }), 'lookup_refused');
    assertRefused(() => clientQuery({ more_like_this: { like: [{ _id: '1' }] } }, scopeOf([ORDERS, ITEMS])), 'lookup_refused');
  });

  it('percolate of a stored document is mapped; candidate documents are checked', () => {
    assert.deepEqual(clientQuery({ percolate: { field: 'q', index: 'orders', id: '9' } }), {
      percolate: { field: 'q', index: 'osproxy-shared-orders', id: 'acme:orders:9', routing: 'acme' },
    });
    const inline = { percolate: { field: 'q', document: { title: 'x' } } };
    assert.deepEqual(clientQuery(inline), inline);
    assertRefused(() => clientQuery({ percolate: { field: 'q', document: { _lindex: 'x' } } }), 'reserved_field');
    assertRefused(() => clientQuery({ percolate: { field: 'q', index: 'elsewhere', id: '1' } }), 'lookup_refused');
  });
});

describe('stored-document lookups across clusters', () => {
  it('never resolves a lookup to an index on another cluster', () => {
    const remote = resolveTarget('acme', 'audit', { kind: 'cluster', cluster: 'c2' });
    const scope = scopeOf([ORDERS], { lookupTargets: [remote] });
    assertRefused(() => clientQuery({ terms: { user: { index: 'audit', id: '1', path: 'p' } } }, scope), 'lookup_refused');
  });
});
