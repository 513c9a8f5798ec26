/**
 * Field quotas in shared placement (issue 11): a tenant's logical index holds at most
 * `tenancy.field_quota_per_index` fields, refused with a 400 naming only the tenant's own numbers;
 * a shared index takes a logical index only while every hosted quota fits its total fields limit,
 * so no tenant can push it into `index.mapping.total_fields.limit` for the others.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call } from '../helpers/http.ts';
import { startStack, type Stack } from '../helpers/stack.ts';

type Body = { error?: { type: string; reason: string }; osproxy?: { code: string }; errors?: boolean; items?: { index: { status: number; error?: { reason: string } } }[] };
type Mappings = Record<string, { mappings: { properties?: Record<string, unknown> } }>;

/** Three logical indexes at this quota fit a shared index of the smallest allowed limit; a fourth does not. */
const QUOTA = 300;
const LIMIT = 1000;

function wideDoc(prefix: string, n: number): Record<string, number> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, i]));
}

describe('field quotas: per logical index, and shared indexes never reach their limit', () => {
  let stack: Stack;
  const as = (tenant: string, method: string, path: string, body?: unknown) =>
    call<Body>(stack.url, method, path, body, { headers: stack.auth[tenant], ndjson: Array.isArray(body) });
  const physical = async (index: string): Promise<number> => {
    const res = await call<Mappings>(stack.engine.url, 'GET', `/${index}/_mapping`);
    return Object.keys(res.body[index]?.mappings.properties ?? {}).length;
  };

  before(async () => {
    stack = await startStack({ tenants: ['acme', 'globex', 'initech', 'umbrella'], extra: { tenancy: { field_quota_per_index: QUOTA, shared_total_fields_limit: LIMIT } } });
  });
  after(() => stack.close());

  it('a write past the quota is a 400 with the tenant’s own limit, and nothing is stored', async () => {
    assert.equal((await as('acme', 'PUT', '/orders/_doc/1?refresh=true', wideDoc('f', QUOTA - 10))).status, 201);
    const over = await as('acme', 'PUT', '/orders/_doc/2?refresh=true', wideDoc('g', 20));
    assert.equal(over.status, 400, JSON.stringify(over.body));
    assert.equal(over.body.error?.type, 'illegal_argument_exception');
    assert.equal(over.body.error?.reason, `Limit of total fields [${QUOTA}] has been exceeded`);
    assert.equal((await as('acme', 'GET', '/orders/_doc/2')).status, 404);
    const explicit = await as('acme', 'PUT', '/orders/_mapping', { properties: Object.fromEntries(Object.keys(wideDoc('h', 11)).map((f) => [f, { type: 'long' }])) });
    assert.equal(explicit.status, 400);
    assert.equal(explicit.body.error?.reason, `Limit of total fields [${QUOTA}] has been exceeded`);
    const bulk = await as('acme', 'POST', '/_bulk', [{ index: { _index: 'orders', _id: '3' } }, wideDoc('k', 11), { index: { _index: 'orders', _id: '4' } }, { f1: 7 }]);
    assert.equal(bulk.body.items?.[0].index.status, 400);
    assert.equal(bulk.body.items?.[1].index.status, 201, 'the next document, within the quota, is stored');
  });

  it('another tenant next to a full one still adds fields, its own quota intact', async () => {
    assert.equal((await as('globex', 'PUT', '/orders/_doc/1?refresh=true', wideDoc('x', QUOTA))).status, 201);
    const mapping = await as('globex', 'GET', '/orders/_mapping');
    assert.equal(Object.keys((mapping.body as unknown as Mappings).orders.mappings.properties ?? {}).length, QUOTA);
  });

  it('a third logical index goes to the next shared index; none reaches its limit whatever the tenants write', async () => {
    for (const tenant of ['initech', 'umbrella']) {
      const res = await as(tenant, 'PUT', '/orders/_doc/1?refresh=true', wideDoc('y', QUOTA));
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    const first = await physical('osproxy-shared-orders');
    const second = await physical('osproxy-shared-orders-1');
    assert.ok(second > 0, 'the pool grew');
    assert.ok(first <= LIMIT && second <= LIMIT, `fields ${first} and ${second} within ${LIMIT}`);
    // Every tenant at its quota: one more field is the tenant's own 400, never the shared index's limit.
    for (const tenant of ['globex', 'initech', 'umbrella']) {
      const res = await as(tenant, 'PUT', '/orders/_doc/2', { one_more: 1 });
      assert.equal(res.body.error?.reason, `Limit of total fields [${QUOTA}] has been exceeded`);
      assert.doesNotMatch(JSON.stringify(res.body), new RegExp(`\\[${LIMIT}\\]|osproxy-shared`));
    }
  });
});
