import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../src/core/json.ts';
import { buildHitContext, mapHit, mapHits } from '../../src/tenancy/index.ts';
import { ITEMS, LOGS, ONE_SHARED_ITEMS, ONE_SHARED_ORDERS, ORDERS, RESERVED, TENANT } from './support.ts';

const ctx = buildHitContext(TENANT, [ORDERS, LOGS], RESERVED);

describe('hit mapping', () => {
  it('maps a shared hit back to logical names and removes physical and reserved details', () => {
    const hit: JsonObject = {
      _index: 'osproxy-shared-orders',
      _id: 'acme:orders:a:1',
      _score: 1.5,
      _routing: 'acme',
      _source: { title: 't', _tenant: 'acme', _lindex: 'orders' },
      fields: { title: ['t'], _tenant: ['acme'], '_tenant.keyword': ['acme'], _lindex: ['orders'] },
      highlight: { title: ['<em>t</em>'], _tenant: ['<em>acme</em>'] },
      docvalue_fields: { _lindex: ['orders'], n: [1] },
      sort: [1, 'acme:orders:a:1'],
      matched_queries: ['q1'],
      _explanation: { value: 1, description: '_tenant:acme' },
      _shard: '[n][osproxy-shared-orders][0]',
      _node: 'n',
      _ignored: ['_tenant', 'title'],
    };
    assert.deepEqual(mapHit(hit, ctx), {
      _index: 'orders',
      _id: 'a:1',
      _score: 1.5,
      _source: { title: 't' },
      fields: { title: ['t'] },
      highlight: { title: ['<em>t</em>'] },
      docvalue_fields: { n: [1] },
      sort: [1, 'acme:orders:a:1'],
      matched_queries: ['q1'],
      _ignored: ['title'],
    });
  });

  it('maps dedicated hits by index name only', () => {
    assert.deepEqual(mapHit({ _index: 't-acme-logs', _id: 'x:y', _source: { m: 1 } }, ctx), { _index: 'logs', _id: 'x:y', _source: { m: 1 } });
  });

  it('drops hits of another tenant, another logical index, or an index the request did not target', () => {
    assert.equal(mapHit({ _index: 'osproxy-shared-orders', _id: 'globex:orders:1', _source: {} }, ctx), undefined);
    assert.equal(mapHit({ _index: 'osproxy-shared-orders', _id: 'acme:items:1', _source: {} }, ctx), undefined);
    assert.equal(mapHit({ _index: 'osproxy-shared-orders', _id: 'plain', _source: {} }, ctx), undefined);
    assert.equal(mapHit({ _index: 'osproxy-shared-orders', _id: 'acme:orders:1', _source: { _tenant: 'globex' } }, ctx), undefined);
    assert.equal(mapHit({ _index: 'osproxy-shared-orders', _id: 'acme:orders:1', _source: { _lindex: 'items' } }, ctx), undefined);
    assert.equal(mapHit({ _index: 't-globex-logs', _id: '1' }, ctx), undefined);
    assert.equal(mapHit({ _index: 't-acme-logs', _id: '1', _source: { _tenant: 'globex' } }, ctx), undefined);
    assert.equal(mapHit({ _id: 'acme:orders:1' }, ctx), undefined);
  });

  it('finds the logical index of a hit in one shared index holding several', () => {
    const one = buildHitContext(TENANT, [ONE_SHARED_ORDERS, ONE_SHARED_ITEMS], RESERVED);
    assert.deepEqual(mapHit({ _index: 'osproxy-shared', _id: 'acme:items:9' }, one), { _index: 'items', _id: '9' });
    assert.deepEqual(mapHit({ _index: 'osproxy-shared', _score: 1, _source: { _tenant: 'acme', _lindex: 'orders' } }, one), {
      _index: 'orders',
      _score: 1,
      _source: {},
    });
    // No id and no tag: ambiguous between two logical indexes, so dropped.
    assert.equal(mapHit({ _index: 'osproxy-shared', _score: 1 }, one), undefined);
    const single = buildHitContext(TENANT, [ORDERS, ITEMS], RESERVED);
    assert.deepEqual(mapHit({ _index: 'osproxy-shared-items', _score: 1 }, single), { _index: 'items', _score: 1 });
  });

  it('maps inner_hits recursively, dropping foreign ones', () => {
    const hit: JsonObject = {
      _index: 'osproxy-shared-orders',
      _id: 'acme:orders:1',
      inner_hits: {
        lines: {
          hits: {
            total: { value: 2, relation: 'eq' },
            hits: [
              { _index: 'osproxy-shared-orders', _id: 'acme:orders:1', _nested: { field: 'lines', offset: 0 }, _source: { n: 1 } },
              { _index: 'osproxy-shared-orders', _id: 'globex:orders:1', _nested: { field: 'lines', offset: 0 }, _source: { n: 2 } },
            ],
          },
        },
      },
    };
    assert.deepEqual(mapHit(hit, ctx), {
      _index: 'orders',
      _id: '1',
      inner_hits: {
        lines: {
          hits: { total: { value: 2, relation: 'eq' }, hits: [{ _index: 'orders', _id: '1', _nested: { field: 'lines', offset: 0 }, _source: { n: 1 } }] },
        },
      },
    });
  });

  it('mapHits keeps order and drops what is not ours', () => {
    const hits = [
      { _index: 'osproxy-shared-orders', _id: 'acme:orders:2' },
      { _index: 'osproxy-shared-orders', _id: 'globex:orders:2' },
      { _index: 't-acme-logs', _id: 'z' },
    ];
    assert.deepEqual(mapHits(hits, ctx), [{ _index: 'orders', _id: '2' }, { _index: 'logs', _id: 'z' }]);
  });
});
