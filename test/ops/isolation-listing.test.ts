import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { A, assertCleanError, assertNoLeak, B, seed, startTenants, type Tenants } from './isolation-fixtures.ts';

for (const [label, opts] of [
  ['shared placement', {}],
  ['index placement', { placement: 'index' as const }],
  ['mixed placement (acme big → index)', { tenantExtra: { acme: { indices: { big: { kind: 'index' } } } } }],
] as const) {
  describe(`isolation proof, listings (${label})`, () => {
    let t: Tenants;
    const asB = (method: string, path: string, body?: unknown) => t.as(B, method, path, body);

    before(async () => {
      t = await startTenants(opts);
      await seed(t, { bigForA: true });
    });
    after(() => t.stack.close());

    it('_cat/indices lists B’s indexes with B’s counts (text, v and json)', async () => {
      const text = await asB('GET', '/_cat/indices');
      assert.equal(text.status, 200);
      assertNoLeak(text);
      // OpenSearch's columns: health (the upstream index's: yellow on a one-node cluster with replicas), status, index, uuid, pri, rep, docs.count …
      assert.match(text.text, /^yellow\s+open\s+orders\s+[A-Za-z0-9_-]{22}\s+1\s+1\s+2\s/m);
      assert.equal(text.text.trim().split('\n').length, 1);
      const verbose = await asB('GET', '/_cat/indices?v');
      assertNoLeak(verbose);
      assert.match(verbose.text, /^health\s+status\s+index\s+uuid\s+pri\s+rep\s+docs\.count\s+docs\.deleted\s+store\.size\s+pri\.store\.size\n/);
      assert.match(verbose.text, /^yellow\s+open\s+orders\s+[A-Za-z0-9_-]{22}\s+1\s+1\s+2\s/m);
      const json = await t.as(B, 'GET', '/_cat/indices?format=json');
      assertNoLeak(json);
      assert.deepEqual((json.body as unknown as { index: string; 'docs.count': string }[]).map((r) => [r.index, r['docs.count']]), [['orders', '2']]);
      const mine = await t.as(A, 'GET', '/_cat/indices?format=json&h=index,docs.count');
      assert.deepEqual(mine.body, [{ index: 'acme-only', 'docs.count': '1' }, { index: 'big', 'docs.count': '1' }, { index: 'orders', 'docs.count': '2' }]);
      const pattern = await asB('GET', '/_cat/indices/acme*');
      assertNoLeak(pattern);
      assert.equal(pattern.text.trim(), '');
    });

    it('_cat/count counts B’s documents only', async () => {
      const res = await asB('GET', '/_cat/count?format=json');
      assertNoLeak(res);
      assert.equal((res.body as unknown as { count: string }[])[0].count, '2');
      const text = await asB('GET', '/_cat/count');
      assert.match(text.text, /\s2\n$/);
      assert.equal(((await t.as(A, 'GET', '/_cat/count?format=json')).body as unknown as { count: string }[])[0].count, '4');
    });

    it('GET /_mapping, GET / HEAD /acme-only show B’s indexes only', async () => {
      const mapping = await asB('GET', '/_mapping');
      assert.equal(mapping.status, 200);
      assertNoLeak(mapping);
      assert.deepEqual(Object.keys(mapping.body), ['orders']);
      assert.ok(!/_tenant|_lindex/.test(mapping.text));
      assertCleanError(await asB('GET', '/acme-only'), ['acme-only'], 404);
      assertCleanError(await asB('GET', '/acme-only/_mapping'), ['acme-only'], 404);
      const head = await asB('HEAD', '/acme-only');
      assert.equal(head.status, 404);
      assert.equal(head.text, '');
      const all = await asB('GET', '/*');
      assertNoLeak(all);
      assert.deepEqual(Object.keys(all.body), ['orders']);
      assert.equal((await t.as(A, 'HEAD', '/acme-only')).status, 200);
      assert.deepEqual(Object.keys((await t.as(A, 'GET', '/_mapping')).body).sort(), ['acme-only', 'big', 'orders']);
    });

    it('GET / and /_cluster/health name no index at all', async () => {
      for (const path of ['/', '/_cluster/health', '/_cluster/health?level=indices']) {
        const res = await asB('GET', path);
        assertNoLeak(res);
        if (res.status !== 200) continue;
        assert.ok(!/orders|big|indices/.test(res.text), `${path}: ${res.text}`);
      }
      assert.equal((await asB('GET', '/_cluster/health')).status, 200);
    });

    it('malformed queries and unknown fields naming A’s things echo nothing but B’s own input', async () => {
      const cases: [string, string, unknown, string[]][] = [
        ['POST', '/orders/_search', { query: { range: { n: { gte: 'not-a-number' } } } }, ['not-a-number']],
        ['POST', '/orders/_search', { query: { match: { n: 'xyz' } } }, ['xyz']],
        ['POST', '/orders/_search', { query: { nosuch: { 'acme-only': 1 } } }, ['nosuch', 'acme-only']],
        ['POST', '/orders/_search', { acme_only_key: 1 }, ['acme_only_key']],
        ['POST', '/orders/_search', '{"query": {"match_all": {}', []],
        ['POST', '/orders/_search', { query: { term: { 'acme-field': 'a-secret-1' } } }, ['acme-field', 'a-secret-1']],
        ['POST', '/orders/_search', { aggs: { x: { nosuch_agg: { field: 'acme' } } } }, ['nosuch_agg', 'acme']],
        ['GET', '/orders/_search?acme_param=1', undefined, ['acme_param']],
        ['POST', '/orders/_doc/x', { n: 'not-a-number-either' }, ['x']],
        ['GET', '/acme-only/_nosuch', undefined, []],
      ];
      for (const [method, path, body, echoes] of cases) {
        const res = await asB(method, path, body);
        if (res.status === 200) {
          assertNoLeak(res, echoes);
          continue;
        }
        assertCleanError(res, echoes);
        assert.ok(!/not-a-number-either/.test(res.text), 'error bodies carry no document values');
      }
    });

    it('x-osproxy-tenant naming another tenant is 403 and reveals nothing about it', async () => {
      const forbidden = await t.as(B, 'GET', '/orders/_search', undefined, { 'x-osproxy-tenant': A });
      assertCleanError(forbidden, [A], 403);
      assert.equal(forbidden.body.osproxy?.code, 'tenant_forbidden');
      assert.ok(!forbidden.text.includes(B), 'the reason names no tenant but the one the caller sent');
      const unknown = await t.as(B, 'GET', '/orders/_search', undefined, { 'x-osproxy-tenant': 'nosuch' });
      assert.equal(unknown.status, 403);
      assert.equal(unknown.body.error?.reason.replace('nosuch', A), forbidden.body.error?.reason, 'an existing tenant is indistinguishable from an unknown one');
      const own = await t.as(B, 'GET', '/orders/_count', undefined, { 'x-osproxy-tenant': B });
      assert.equal(own.body.count, 2);
    });
  });
}

describe('isolation proof, dedicated names that two tenants’ templates could both produce', () => {
  let t: Tenants;
  before(async () => {
    t = await startTenants({ tenants: ['acme', 'acme-x', 'globex'], placement: 'index' });
  });
  after(() => t.stack.close());

  it('acme’s x-orders and acme-x’s orders (both t-acme-x-orders) are refused, not shared', async () => {
    const a = await t.as(A, 'PUT', '/x-orders/_doc/a-secret-1?refresh=true', { body: 'zanzibar-acme' });
    assertCleanError(a, ['x-orders'], 400);
    assert.equal(a.body.osproxy?.code, 'ambiguous_physical_index');
    for (const [method, path, body] of [['PUT', '/orders', undefined], ['PUT', '/orders/_doc/mine?refresh=true', { body: 'mine' }], ['GET', '/orders/_search', undefined]] as const) {
      const res = await t.as('acme-x', method, path, body);
      assert.ok(res.status >= 400 && res.status < 500, `${method} ${path}: ${res.text}`);
      assert.ok(!/zanzibar|a-secret|t-acme/.test(res.text), res.text);
      assert.ok(!res.text.includes('"acme"'), res.text);
    }
    const raw = await t.as('acme-x', 'POST', '/_bulk?refresh=true', [{ index: { _index: 'orders', _id: 'b1' } }, { body: 'x' }]);
    assert.equal(raw.body.errors, true);
    const fine = await t.as(A, 'PUT', '/orders/_doc/1?refresh=true', { body: 'unambiguous' });
    assert.equal(fine.status, 201, fine.text);
    const other = await t.as(B, 'PUT', '/x-orders/_doc/1?refresh=true', { body: 'unambiguous' });
    assert.equal(other.status, 201, other.text);
  });
});
