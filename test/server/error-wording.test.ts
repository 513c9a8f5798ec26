import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call, type HttpResult } from '../helpers/http.ts';
import { startStack, type Stack } from '../helpers/stack.ts';

/*
 * Errors a tenant meets in its first hour say what OpenSearch would say, or, where osproxy's
 * rules differ, what the rule is and why (SPEC §4.7).
 */

interface ErrorBody {
  error: { type: string; reason: string; root_cause: { type: string; reason: string }[] };
  status: number;
  osproxy?: { code: string };
}

function errorOf(res: HttpResult, status: number): ErrorBody {
  assert.equal(res.status, status, res.text);
  return res.body as ErrorBody;
}

describe('error wording through the proxy', () => {
  let stack: Stack;
  const as = (who: string, method: string, path: string, body?: unknown): Promise<HttpResult> => call(stack.url, method, path, body, { headers: stack.auth[who] });

  before(async () => {
    stack = await startStack({ tenantExtra: { globex: { indices: { orders: { kind: 'index' } } } } });
    for (const who of ['acme', 'globex']) assert.equal((await as(who, 'PUT', '/orders/_doc/1?refresh=true', { item: 'anvil' })).status, 201);
  });
  after(() => stack.close());

  it('an unknown query type is OpenSearch’s parsing_exception, with its suggestion, in every placement', async () => {
    for (const who of ['acme', 'globex']) {
      const viaProxy = errorOf(await as(who, 'POST', '/orders/_search', { query: { mtch: { item: 'anvil' } } }), 400);
      assert.equal(viaProxy.error.type, 'parsing_exception');
      assert.equal(viaProxy.error.reason, 'unknown query [mtch] did you mean [match]?');
      assert.deepEqual(viaProxy.error.root_cause.map((c) => [c.type, c.reason]), [['parsing_exception', 'unknown query [mtch] did you mean [match]?']]);
      assert.equal(viaProxy.osproxy?.code, 'unknown_query');
      assert.ok(!JSON.stringify(viaProxy).includes('osproxy does not'), 'not phrased as an osproxy limitation');
    }
    const several = errorOf(await as('acme', 'POST', '/orders/_count', { query: { trm: { item: 'anvil' } } }), 400);
    assert.equal(several.error.reason, 'unknown query [trm] did you mean any of [term, terms]?');
    const none = errorOf(await as('acme', 'POST', '/orders/_search', { query: { zzzzzz: {} } }), 400);
    assert.equal(none.error.reason, 'unknown query [zzzzzz]');
    // The engine (OpenSearch-compatible) agrees on the type and the start of the reason.
    const direct = errorOf(await call(stack.engine.url, 'POST', '/t-globex-orders/_search', { query: { mtch: { item: 'anvil' } } }), 400);
    assert.equal(direct.error.type, 'parsing_exception');
    assert.match(direct.error.reason, /^unknown query \[mtch\]/);
  });

  it('a known query type osproxy cannot scope says so, and why', async () => {
    const refused = errorOf(await as('acme', 'POST', '/orders/_search', { query: { xy_shape: { geometry: { shape: { type: 'point', coordinates: [1, 2] } } } } }), 400);
    assert.equal(refused.error.type, 'illegal_argument_exception');
    assert.match(refused.error.reason, /\[query\] uses the query type \[xy_shape\], which osproxy does not serve to tenants: it cannot be proven to stay inside the tenant's documents/);
  });

  it('the id length limit names osproxy’s limit, OpenSearch’s 512 and the reason for the difference', async () => {
    const id = 'x'.repeat(505);
    const shared = errorOf(await as('acme', 'PUT', `/orders/_doc/${id}`, { item: 'x' }), 400);
    assert.equal(shared.osproxy?.code, 'id_too_long');
    assert.equal(
      shared.error.reason,
      'id is too long, must be no longer than 500 bytes but was: 505. OpenSearch allows 512 bytes, but in shared placement osproxy stores each id as '
        + '[{tenant}:{index}:{id}], and [acme:orders:] takes 12 of them',
    );
    // 500 bytes are fine in shared placement; a dedicated index has OpenSearch's own limit and wording.
    assert.equal((await as('acme', 'PUT', `/orders/_doc/${'y'.repeat(500)}`, { item: 'x' })).status, 201);
    assert.equal((await as('globex', 'PUT', `/orders/_doc/${id}`, { item: 'x' })).status, 201);
    const dedicated = errorOf(await as('globex', 'PUT', `/orders/_doc/${'z'.repeat(513)}`, { item: 'x' }), 400);
    assert.equal(dedicated.error.reason, `id [${'z'.repeat(513)}] is too long, must be no longer than 512 bytes but was: 513`);
  });
});
