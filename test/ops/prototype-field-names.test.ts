/**
 * Field names that are also names of Object.prototype (`constructor`, `toString`, `__proto__`
 * aside) are ordinary fields: they enter the tenant's logical mapping (and its field quota) like
 * any other, in shared placement, and another tenant sees none of them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call } from '../helpers/http.ts';
import { startStack, type Stack } from '../helpers/stack.ts';

describe('fields named like Object.prototype members', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ extra: { control: { store: 'memory' } } });
  });
  after(() => stack.close());

  it('are mapped, searchable and shown in _mapping, for their tenant only', async () => {
    const put = await call(stack.url, 'PUT', '/protos/_doc/1?refresh=true', { constructor: 'x', a: { toString: 1, valueOf: 'v' } }, { headers: stack.auth.acme });
    assert.equal(put.status, 201, put.text);
    const bulk = await call(stack.url, 'POST', '/_bulk?refresh=true', [{ index: { _index: 'protos', _id: '2' } }, { constructor: 'y', hasOwnProperty: true }], { headers: stack.auth.acme, ndjson: true });
    assert.equal(bulk.status, 200, bulk.text);
    const mapping = await call<Record<string, { mappings: { properties: Record<string, { properties?: Record<string, unknown> }> } }>>(stack.url, 'GET', '/protos/_mapping', undefined, { headers: stack.auth.acme });
    const props = mapping.body.protos.mappings.properties;
    assert.deepEqual(Object.keys(props).sort(), ['a', 'constructor', 'hasOwnProperty']);
    assert.deepEqual(Object.keys(props.a.properties ?? {}).sort(), ['toString', 'valueOf']);
    const found = await call<{ hits: { total: { value: number } } }>(stack.url, 'POST', '/protos/_search', { query: { term: { 'constructor.keyword': 'y' } } }, { headers: stack.auth.acme });
    assert.equal(found.body.hits.total.value, 1, found.text);
    const theirs = await call(stack.url, 'PUT', '/protos/_doc/1?refresh=true', { other: 1 }, { headers: stack.auth.globex });
    assert.equal(theirs.status, 201);
    const globex = await call<Record<string, { mappings: { properties: Record<string, unknown> } }>>(stack.url, 'GET', '/protos/_mapping', undefined, { headers: stack.auth.globex });
    assert.deepEqual(Object.keys(globex.body.protos.mappings.properties), ['other']);
  });
});
