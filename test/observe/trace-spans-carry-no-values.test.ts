import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call } from '../helpers/http.ts';
import { startOtlpReceiver, waitFor, type OtlpReceiver } from '../helpers/otlp-receiver.ts';
import { startStack, type Stack } from '../helpers/stack.ts';

/*
 * The canary rule: exported spans carry the request's shape only. A document value, a document
 * id, query text and a query string, each a distinctive canary, go through every kind of request
 * that carries them (index, get, bulk, search by q= and by body, update, delete, a miss), in both
 * placements; the receiver's raw bytes never contain any of them, and every attribute is one of
 * the shape-level keys.
 */

const VALUE = 'canary-7f3a9';
const DOC_ID = 'doc-c4n4ry-b2e81';
const QUERY_WORD = 'qcanary-5d0c4';
const MISSING_ID = 'missing-c4n4ry-9aa10';
const CANARIES = [VALUE, DOC_ID, QUERY_WORD, MISSING_ID];

const SHAPE_KEYS = new Set(['http.request.method', 'http.route', 'http.response.status_code', 'osproxy.endpoint', 'osproxy.tenant', 'osproxy.placement', 'osproxy.epoch', 'osproxy.request_id', 'osproxy.stage']);

describe('exported spans never carry a document value, id or query', () => {
  let receiver: OtlpReceiver;
  let stack: Stack;

  before(async () => {
    receiver = await startOtlpReceiver();
    stack = await startStack({
      tenants: ['acme', 'globex'],
      tenantExtra: { globex: { placement: { kind: 'index' } } },
      extra: { observe: { traces: { otlp_endpoint: receiver.url, export_interval_ms: 20 } } },
    });
  });
  after(async () => {
    await stack.close();
    await receiver.close();
  });

  it('holds for every request that carries one, in shared and index placement', async () => {
    const requestIds: string[] = [];
    let n = 0;
    const send = async (tenant: string, method: string, path: string, body?: unknown, ndjson = false): Promise<number> => {
      const id = `canary-test-${n++}`.replace('canary', 'shape');
      requestIds.push(id);
      const res = await call(stack.url, method, path, body, { ndjson, headers: { ...stack.auth[tenant], 'x-request-id': id } });
      return res.status;
    };
    for (const tenant of ['acme', 'globex']) {
      assert.equal(await send(tenant, 'PUT', `/notes/_doc/${DOC_ID}?refresh=true`, { text: VALUE, tag: QUERY_WORD }), 201);
      assert.equal(await send(tenant, 'GET', `/notes/_doc/${DOC_ID}`), 200);
      assert.equal(await send(tenant, 'GET', `/notes/_doc/${MISSING_ID}`), 404);
      assert.equal(await send(tenant, 'POST', '/_bulk?refresh=true', [{ index: { _index: 'notes', _id: `${DOC_ID}-2` } }, { text: `${VALUE} again` }], true), 200);
      assert.equal(await send(tenant, 'GET', `/notes/_search?q=text:${VALUE}`), 200);
      assert.equal(await send(tenant, 'GET', `/notes/_search?q=${QUERY_WORD}&_source_includes=text`), 200);
      assert.equal(await send(tenant, 'POST', '/notes/_search', { query: { bool: { must: [{ match: { text: VALUE } }], filter: [{ ids: { values: [DOC_ID] } }] } } }), 200);
      assert.equal(await send(tenant, 'POST', '/notes/_count', { query: { term: { tag: QUERY_WORD } } }), 200);
      assert.equal(await send(tenant, 'POST', `/notes/_update/${DOC_ID}`, { doc: { text: `${VALUE} updated` } }), 200);
      // A malformed query that echoes its text back in the error still exports only shape.
      assert.equal(await send(tenant, 'POST', '/notes/_search', { query: { [QUERY_WORD]: { text: VALUE } } }), 400);
      assert.equal(await send(tenant, 'DELETE', `/notes/_doc/${DOC_ID}`), 200);
    }
    await waitFor('every request’s root span', () => requestIds.every((id) => receiver.spans.some((s) => s.attributes['osproxy.request_id'] === id)));

    const bytes = Buffer.concat(receiver.raw).toString('utf8');
    for (const canary of CANARIES) assert.ok(!bytes.includes(canary), `${canary} appeared in an exported span`);
    const keys = new Set(receiver.spans.flatMap((s) => Object.keys(s.attributes)));
    assert.deepEqual([...keys].filter((k) => !SHAPE_KEYS.has(k)), [], 'only shape-level attribute keys');
    const names = new Set(receiver.spans.map((s) => s.name));
    for (const name of names) assert.match(name, /^(osproxy [a-z_]+|auth|resolve|rewrite|upstream|transform|send)$/);
  });
});
