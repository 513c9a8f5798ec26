/**
 * A single document write (`PUT /{i}/_doc/{id}`) to an index already registered takes the byte
 * pass (ops/doc.ts fromBytes); at observe level `rewrite` every write takes the general path
 * (JSON.parse, assertNoReservedFields, the renamers), as does a write that registers its index.
 * The same body must get the same answer and be stored the same either way: two stacks, one at
 * each level, are sent the same bodies (whitespace, escapes, reserved and malformed ones
 * included), and a second tenant's reads see none of it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { call } from '../helpers/http.ts';
import { startStack, type Stack } from '../helpers/stack.ts';
import { DOCUMENT_TEXTS } from './document-texts.ts';

type Answer = { status: number; body: Record<string, unknown> };

/** Bodies as sent: the bulk test's documents, and the empty and blank bodies a single write can have. */
const BODIES: string[] = [...DOCUMENT_TEXTS, '', '   '];

/** What a tenant can see of an answer: its status and body, the per-stack sequence numbers left out. */
function comparable(a: Answer): unknown {
  const { _seq_no: _s, _primary_term: _p, ...rest } = a.body;
  const error = rest.error as { type?: string; reason?: string } | undefined;
  return { status: a.status, ...(error === undefined ? rest : { error: { type: error.type, reason: error.reason } }) };
}

describe('single document writes: the byte pass answers and stores as the general path does', () => {
  let fast: Stack;
  let general: Stack;
  const put = (stack: Stack, path: string, body: string, contentType = 'application/json') =>
    call<Record<string, unknown>>(stack.url, 'PUT', path, body, { headers: { ...stack.auth.acme, 'content-type': contentType } });
  const stored = async (stack: Stack, lindex: string, id: string) => {
    const path = lindex === 'orders' ? `/osproxy-shared-orders/_doc/acme:orders:${id}?routing=acme` : `/t-acme-${lindex}/_doc/${id}`;
    const res = await call<{ _source?: unknown }>(stack.engine.url, 'GET', path);
    return res.body._source;
  };

  before(async () => {
    const tenantExtra = { acme: { indices: { ded: { kind: 'index' } } } };
    [fast, general] = await Promise.all([startStack({ tenantExtra }), startStack({ tenantExtra, extra: { observe: { level: 'rewrite' } } })]);
    for (const stack of [fast, general]) {
      for (const lindex of ['orders', 'ded']) {
        const res = await put(stack, `/${lindex}/_doc/seed?refresh=true`, '{"n":0,"title":"seed","user":{"name":"s","tags":["t"]}}');
        assert.equal(res.status, 201, res.text);
      }
    }
  });
  after(() => Promise.all([fast.close(), general.close()]));

  for (const lindex of ['orders', 'ded']) {
    it(`${lindex}: every body gets the same answer and is stored alike at both levels`, async () => {
      for (const [k, body] of BODIES.entries()) {
        const path = `/${lindex}/_doc/d${k}?refresh=true`;
        const [a, b] = await Promise.all([put(fast, path, body), put(general, path, body)]);
        assert.deepEqual(comparable(a), comparable(b), `${lindex}: ${JSON.stringify(body)}`);
        assert.deepEqual(await stored(fast, lindex, `d${k}`), await stored(general, lindex, `d${k}`), `${lindex}: ${JSON.stringify(body)}`);
      }
    });
  }

  it('checks the content type, the id and UTF-8 as the general path does', async () => {
    const cases: [string, string, string | Buffer][] = [
      ['/orders/_doc/ct', 'application/xml', '{"n":1}'],
      ['/orders/_doc/ct2', 'application/xml', ''],
      [`/orders/_doc/${'x'.repeat(600)}`, 'application/json', '{"n":1}'],
      [`/orders/_doc/${'x'.repeat(600)}`, 'application/json', '{"n":'],
      ['/orders/_doc/utf', 'application/json', Buffer.concat([Buffer.from('{"title":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')])],
    ];
    for (const [path, type, body] of cases) {
      const answers = await Promise.all(
        [fast, general].map(async (stack) => {
          const res = await request(`${stack.url}${path}`, { method: 'PUT', body, headers: { ...stack.auth.acme, 'content-type': type } });
          return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
        }),
      );
      assert.deepEqual(comparable(answers[0]), comparable(answers[1]), `${path.slice(0, 40)} ${type}`);
      assert.ok(answers[0].status >= 400, `${path.slice(0, 40)} is refused`);
    }
  });

  it('writes through the byte pass stay the tenant\'s own: another tenant sees none of them', async () => {
    const written = await put(fast, '/orders/_doc/mine?refresh=true', '{"title":"acme-only-canary","n":99}');
    assert.equal(written.status, 201, written.text);
    const own = await call<{ _source: unknown }>(fast.url, 'GET', '/orders/_doc/mine', undefined, { headers: fast.auth.acme });
    assert.deepEqual(own.body._source, { title: 'acme-only-canary', n: 99 });
    const other = await call<{ found?: boolean }>(fast.url, 'GET', '/orders/_doc/mine', undefined, { headers: fast.auth.globex });
    assert.equal(other.status, 404, other.text);
    const search = await call<{ hits: { total: { value: number } } }>(fast.url, 'POST', '/orders/_search', { query: { match: { title: 'acme-only-canary' } } }, { headers: fast.auth.globex });
    assert.equal(search.status === 404 ? 0 : search.body.hits.total.value, 0, search.text);
  });
});
