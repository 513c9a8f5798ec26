import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call } from '../helpers/http.ts';
import {
  A, A_ONLY, A_ORDERS, assertCleanError, assertNoLeak, assertNoReserved, B, B_IDS, hitIds, seed, startTenants, total,
  type Body, type Tenants,
} from './isolation-fixtures.ts';

type Item = { status: number; _index: string; _id: string; error?: { type: string; reason: string }; result?: string };
const items = (body: Body): Item[] => (body.items ?? []).map((i) => Object.values(i)[0] as Item);

/** A's documents are exactly as seeded (checked as A). */
async function assertAUnchanged(t: Tenants): Promise<void> {
  for (const [index, docs] of [['orders', A_ORDERS], ['acme-only', A_ONLY]] as const) {
    for (const [id, doc] of Object.entries(docs)) {
      const got = await t.as(A, 'GET', `/${index}/_doc/${id}`);
      assert.equal(got.status, 200, got.text);
      assert.deepEqual(got.body._source, doc);
      assert.equal(got.body._version, 1);
    }
  }
  assert.equal((await t.as(A, 'GET', '/_count')).body.count, 3);
}

for (const [label, opts] of [
  ['shared placement', {}],
  ['index placement', { placement: 'index' as const }],
  ['mixed placement (acme big → index)', { tenantExtra: { acme: { indices: { big: { kind: 'index' } } } } }],
] as const) {
  describe(`isolation proof, documents (${label})`, () => {
    let t: Tenants;
    const asB = (method: string, path: string, body?: unknown) => t.as(B, method, path, body);

    before(async () => {
      t = await startTenants(opts);
      await seed(t);
    });
    after(() => t.stack.close());

    it('GET / HEAD / _source of A’s ids are 404 with no A data', async () => {
      for (const id of ['a-secret-1', 'a-secret-2', 'acme:orders:a-secret-1']) {
        const get = await asB('GET', `/orders/_doc/${encodeURIComponent(id)}`);
        assert.equal(get.status, 404);
        assertNoLeak(get, [id]);
        assert.equal(get.body.found, false);
        assert.equal((await asB('HEAD', `/orders/_doc/${encodeURIComponent(id)}`)).status, 404);
        const source = await asB('GET', `/orders/_source/${encodeURIComponent(id)}`);
        assertCleanError(source, [id], 404);
      }
      assertCleanError(await asB('GET', '/acme-only/_doc/a-only-1'), ['acme-only', 'a-only-1'], 404);
      assert.equal((await asB('HEAD', '/acme-only/_doc/a-only-1')).status, 404);
      const mine = await t.as(A, 'GET', '/orders/_source/a-secret-1');
      assert.deepEqual(mine.body, A_ORDERS['a-secret-1']);
    });

    it('_mget by ids and by docs naming acme-only returns nothing of A', async () => {
      const byIds = await asB('POST', '/orders/_mget', { ids: ['a-secret-1', 'g-1', 'a-secret-2'] });
      assert.equal(byIds.status, 200);
      assertNoLeak(byIds, ['a-secret-1', 'a-secret-2']);
      assert.deepEqual(byIds.body.docs?.map((d) => d.found), [false, true, false]);
      assertNoReserved(byIds.body);
      const byDocs = await asB('POST', '/_mget', { docs: [{ _index: 'acme-only', _id: 'a-only-1' }, { _index: 'orders', _id: 'a-secret-2' }, { _index: 'orders', _id: 'g-2' }] });
      assert.equal(byDocs.status, 200);
      assertNoLeak(byDocs, ['acme-only', 'a-only-1', 'a-secret-2']);
      const [foreign, guessed, own] = byDocs.body.docs ?? [];
      assert.equal((foreign.error as { type: string }).type, 'index_not_found_exception');
      assert.equal(guessed.found, false);
      assert.deepEqual(own._source, { tag: 'globtag', n: 5, body: 'plain words' });
      const mine = await t.as(A, 'POST', '/_mget', { docs: [{ _index: 'acme-only', _id: 'a-only-1' }] });
      assert.equal(mine.body.docs?.[0].found, true);
    });

    it('_update and DELETE of A’s ids do not touch A’s documents', async () => {
      const upd = await asB('POST', '/orders/_update/a-secret-1', { doc: { n: 100, body: 'overwritten' } });
      assertCleanError(upd, ['a-secret-1'], 404);
      const del = await asB('DELETE', '/orders/_doc/a-secret-2?refresh=true');
      assert.equal(del.status, 404);
      assertNoLeak(del, ['a-secret-2']);
      assertCleanError(await asB('DELETE', '/acme-only/_doc/a-only-1'), ['acme-only', 'a-only-1'], 404);
      const upsert = await asB('POST', '/orders/_update/a-secret-1?refresh=true', { doc: { body: 'b upsert' }, doc_as_upsert: true });
      assert.ok([200, 201].includes(upsert.status), upsert.text);
      assertNoLeak(upsert, ['a-secret-1']);
      const own = await asB('GET', '/orders/_doc/a-secret-1');
      assert.deepEqual(own.body._source, { body: 'b upsert' });
      await assertAUnchanged(t);
      assert.equal((await asB('DELETE', '/orders/_doc/a-secret-1?refresh=true')).status, 200);
      await assertAUnchanged(t);
    });

    it('bulk update / delete / index with A’s ids only ever reach B’s own documents', async () => {
      const res = await asB('POST', '/_bulk?refresh=true', [
        { update: { _index: 'orders', _id: 'a-secret-1' } }, { doc: { n: 1 } },
        { delete: { _index: 'orders', _id: 'a-secret-2' } },
        { index: { _index: 'orders', _id: 'a-secret-2' } }, { body: 'b twin' },
        { create: { _index: 'orders', _id: 'a-secret-1' } }, { body: 'b twin 1' },
      ]);
      assert.equal(res.status, 200, res.text);
      assertNoLeak(res, ['a-secret-1', 'a-secret-2']);
      const [u, d, i, c] = items(res.body);
      assert.equal(u.status, 404);
      assert.equal(d.status, 404);
      assert.equal(i.status, 201);
      assert.equal(c.status, 201, 'B’s create does not collide with A’s id');
      for (const it of items(res.body)) assert.equal(it._index, 'orders');
      assert.deepEqual(hitIds(await asB('GET', '/orders/_search')), [...B_IDS, 'a-secret-1', 'a-secret-2'].sort());
      await assertAUnchanged(t);
      const cleanup = await asB('POST', '/_bulk?refresh=true', [{ delete: { _index: 'orders', _id: 'a-secret-1' } }, { delete: { _index: 'orders', _id: 'a-secret-2' } }]);
      assert.equal(cleanup.body.errors, false, cleanup.text);
      await assertAUnchanged(t);
    });

    it('bulk items naming acme-only give B its own acme-only, never A’s', async () => {
      const res = await asB('POST', '/_bulk?refresh=true', [
        { index: { _index: 'acme-only', _id: 'b-in-acme-only' } }, { tag: 'globtag', body: 'b own' },
        { update: { _index: 'acme-only', _id: 'a-only-1' } }, { doc: { body: 'overwritten' } },
        { delete: { _index: 'acme-only', _id: 'a-only-1' } },
      ]);
      assert.equal(res.status, 200, res.text);
      assertNoLeak(res, ['acme-only', 'a-only-1']);
      assert.deepEqual(items(res.body).map((i) => i.status), [201, 404, 404]);
      const search = await asB('GET', '/acme-only/_search');
      assertNoLeak(search, ['acme-only']);
      assert.deepEqual(hitIds(search), ['b-in-acme-only']);
      assert.equal(search.body.hits?.hits[0]._index, 'acme-only');
      assertNoReserved(search.body.hits?.hits[0]);
      const ids = await asB('POST', '/acme-only/_search', { query: { ids: { values: ['a-only-1'] } } });
      assertNoLeak(ids, ['a-only-1']);
      assert.equal(total(ids), 0);
      assert.equal((await asB('GET', '/acme-only/_doc/a-only-1')).status, 404);
      assert.equal((await asB('GET', '/acme-only/_count')).body.count, 1);
      await assertAUnchanged(t);
      assert.deepEqual(hitIds(await t.as(A, 'GET', '/acme-only/_search')), ['a-only-1']);
      assert.equal((await asB('DELETE', '/acme-only')).status, 200);
      await assertAUnchanged(t);
    });

    // Dedicated placements keep bodies untouched (SPEC §4.2): reserved fields are a shared-placement rule.
    if (!('placement' in opts)) it('reserved fields cannot be spoofed in bulk index / update.doc / upsert, plain or escaped', async () => {
      const lines = [
        '{"index":{"_index":"orders","_id":"s1"}}', '{"body":"x","_tenant":"acme"}',
        '{"index":{"_index":"orders","_id":"s2"}}', '{"body":"x","_ten\\u0061nt":"acme"}',
        '{"index":{"_index":"orders","_id":"s3"}}', '{"body":"x","meta":{"_lindex":"acme-only"}}',
        '{"update":{"_index":"orders","_id":"g-1"}}', '{"doc":{"_tenant":"acme"}}',
        '{"update":{"_index":"orders","_id":"g-1"}}', '{"doc":{"_l\\u0069ndex":"acme-only"}}',
        '{"update":{"_index":"orders","_id":"s4"}}', '{"doc":{"body":"x"},"upsert":{"_tenant":"acme"}}',
        '{"update":{"_index":"orders","_id":"s5"}}', '{"doc":{"_tenant":"acme"},"doc_as_upsert":true}',
      ];
      const res = await call<Body>(t.stack.url, 'POST', '/_bulk?refresh=true', lines.join('\n') + '\n', { headers: { ...t.stack.auth[B], 'content-type': 'application/x-ndjson' } });
      assert.equal(res.status, 200, res.text);
      const all = items(res.body);
      assert.equal(all.length, 7);
      for (const i of all) {
        assert.equal(i.status, 400, JSON.stringify(i));
        assert.match(i.error?.reason ?? '', /reserved by osproxy/);
      }
      assertNoLeak(res);
      const b = await asB('POST', '/orders/_search', { size: 20 });
      assertNoLeak(b);
      for (const h of b.body.hits?.hits ?? []) assertNoReserved(h);
      await assertAUnchanged(t);
    });
  });
}

describe('isolation proof, documents: reserved fields are keywords in every shared index', () => {
  let t: Tenants;
  before(async () => {
    t = await startTenants({ tenants: ['acme', 'acme-x', 'globex'] });
  });
  after(() => t.stack.close());

  it('a tenant whose id is a token of another’s does not count its documents', async () => {
    const x = await t.as('acme-x', 'POST', '/_bulk?refresh=true', [{ index: { _index: 'orders-x', _id: 'x1' } }, { body: 'zanzibar-acme-x' }]);
    assert.equal(x.body.errors, false, x.text);
    const a = await t.as(A, 'PUT', '/orders-x/_doc/a1?refresh=true', { body: 'mine' });
    assert.equal(a.status, 201, a.text);
    const count = await t.as(A, 'GET', '/orders-x/_count');
    assert.equal(count.body.count, 1, count.text);
    const search = await t.as(A, 'POST', '/orders-x/_search', { size: 0, aggs: { n: { value_count: { field: 'body.keyword' } } } });
    assert.equal(total(search), 1);
    assert.equal((search.body.aggregations as { n: { value: number } }).n.value, 1);
    const mapping = await call<Record<string, { mappings: { properties: Record<string, { type: string }> } }>>(t.stack.engine.url, 'GET', '/osproxy-shared-orders-x/_mapping');
    const props = mapping.body['osproxy-shared-orders-x'].mappings.properties;
    assert.equal(props._tenant.type, 'keyword');
    assert.equal(props._lindex.type, 'keyword');
  });

  it('a logical index whose name has a hyphen is found by its owner (the _lindex filter is exact)', async () => {
    const res = await t.as(B, 'PUT', '/b-only/_doc/1?refresh=true', { body: 'b' });
    assert.equal(res.status, 201, res.text);
    assert.equal(total(await t.as(B, 'GET', '/b-only/_search')), 1);
  });
});
