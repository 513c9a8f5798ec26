import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { request } from 'undici';
import { hashPassword, hashToken } from '../../src/auth/index.ts';
import { startEngine, type RunningEngine } from '../../src/engine/engine.ts';
import { parseConfig } from '../../src/config/load.ts';
import { startProxy, type RunningProxy } from '../../src/server/proxy-server.ts';
import { call, type HttpResult } from '../helpers/http.ts';
import { quietPort } from '../helpers/quiet-port.ts';
import { startStack, type Stack } from '../helpers/stack.ts';

const MiB = 1024 * 1024;
const STACK_TRACE = /at .*\.ts:\d+/;

interface ErrorBody {
  error: { root_cause: { type: string; reason: string }[]; type: string; reason: string };
  status: number;
  osproxy: { code: string; retryable: boolean; request_id: string };
}
type Body = Partial<ErrorBody> & Record<string, unknown>;

/** OpenSearch's error shape plus osproxy's block, the request id matching the header, no stack trace. */
function assertError(res: HttpResult<Body>, status: number | number[], code?: string): ErrorBody {
  const allowed = Array.isArray(status) ? status : [status];
  assert.ok(allowed.includes(res.status), `expected ${allowed.join('|')}, got ${res.status}: ${res.text.slice(0, 300)}`);
  const body = res.body as ErrorBody;
  assert.equal(typeof body.error?.type, 'string', res.text.slice(0, 300));
  assert.equal(body.error.root_cause[0].type, body.error.type);
  assert.equal(body.error.root_cause[0].reason, body.error.reason);
  assert.ok(body.error.reason.length > 0);
  assert.equal(body.status, res.status);
  if (code !== undefined) assert.equal(body.osproxy?.code, code, res.text.slice(0, 300));
  else assert.equal(typeof body.osproxy?.code, 'string');
  assert.equal(typeof res.headers['x-request-id'], 'string');
  assert.equal(body.osproxy.request_id, res.headers['x-request-id']);
  assert.doesNotMatch(res.text, STACK_TRACE);
  assert.ok(res.text.length < 4096, `error body is ${res.text.length} bytes`);
  return body;
}

/** Sends raw bytes (call() only takes strings) and parses the answer like call(). */
async function sendRaw(url: string, method: string, body: Buffer | Readable, headers: Record<string, string>): Promise<HttpResult<Body>> {
  const res = await request(url, { method: method as 'PUT', body, headers });
  const text = await res.body.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // kept as text
  }
  return { status: res.statusCode, headers: res.headers, body: parsed as Body, text };
}

/** One HTTP/1.1 exchange over a bare socket, for requests undici refuses to send (lying lengths). */
async function rawExchange(url: string, head: string, payload: Buffer): Promise<{ statusLine: string; headers: string; body: string }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.on('error', () => {});
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(head);
  socket.write(payload);
  const deadline = Date.now() + 5_000;
  for (;;) {
    const text = Buffer.concat(chunks).toString('utf8');
    const end = text.indexOf('\r\n\r\n');
    const length = /content-length: (\d+)/i.exec(text.slice(0, end));
    if (end >= 0 && length !== null && text.length >= end + 4 + Number(length[1])) {
      socket.destroy();
      const [statusLine, ...rest] = text.slice(0, end).split('\r\n');
      return { statusLine, headers: rest.join('\n'), body: text.slice(end + 4, end + 4 + Number(length[1])) };
    }
    assert.ok(Date.now() < deadline, `no complete answer within 5 s: ${text.slice(0, 200)}`);
    await sleep(20);
  }
}

function nested(levels: number, leaf = '1'): string {
  return '{"a":'.repeat(levels) + leaf + '}'.repeat(levels);
}

describe('bad input gets a clear 4xx in OpenSearch error shape, and the proxy stays up', () => {
  let stack: Stack;
  const as = (tenant: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    call<Body>(stack.url, method, path, body, { headers: { ...stack.auth[tenant], ...headers } });
  const acme = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => as('acme', method, path, body, headers);
  const NDJSON = { 'content-type': 'application/x-ndjson' };

  before(async () => {
    const ownToken = { name: 'acme-test', token_sha256: hashToken('acme-token'), roles: ['read', 'write', 'manage'] };
    const reader = { name: 'acme-reader', token_sha256: hashToken('acme-reader-token'), roles: ['read'] };
    const user = { name: 'acme-user', username: 'wile', password_scrypt: await hashPassword('coyote') };
    stack = await startStack({ tenantExtra: { acme: { principals: [ownToken, reader, user] } } });
    assert.equal((await acme('PUT', '/orders/_doc/seed?refresh=true', { item: 'anvil', qty: 1 })).status, 201);
  });
  after(() => stack.close());
  afterEach(async () => {
    const alive = await acme('GET', '/');
    assert.equal(alive.status, 200, 'the proxy still answers GET / for a tenant');
    assert.equal(stack.proxy.services.budget.inUse, 0, 'no buffered bytes left charged to the in-flight budget');
  });

  describe('malformed JSON', () => {
    it('a truncated body is a 400 parse error', async () => {
      assertError(await acme('PUT', '/orders/_doc/t1', '{"item": "anvil", "qty": 1'), 400, 'malformed_json');
      assertError(await acme('POST', '/orders/_search', '{"query": {"match_all": {}'), 400, 'malformed_json');
    });

    it('trailing garbage after the object is a 400', async () => {
      assertError(await acme('PUT', '/orders/_doc/t2', '{"item": "anvil"} {"more": 1}'), 400, 'malformed_json');
      assertError(await acme('POST', '/orders/_search', '{"size": 1} xyz'), 400, 'malformed_json');
    });

    it('a body that is JSON but not an object is a 400', async () => {
      assertError(await acme('PUT', '/orders/_doc/t3', '[1, 2, 3]'), 400, 'body_not_object');
      assertError(await acme('PUT', '/orders/_doc/t3', '"just a string"'), 400, 'body_not_object');
    });

    it('an empty object key in a document is refused (upstream error relayed, osproxy block added)', async () => {
      const body = assertError(await acme('PUT', '/orders/_doc/t4', '{"": 1}'), 400);
      assert.equal(body.error.type, 'mapper_parsing_exception');
      assert.doesNotMatch(JSON.stringify(body), /osproxy-shared|acme:orders/);
      assert.equal((await acme('GET', '/orders/_doc/t4')).status, 404);
    });
  });

  describe('content types', () => {
    it('text/html on a JSON endpoint is refused', async () => {
      assertError(await acme('PUT', '/orders/_doc/c1', '{"item": "anvil"}', { 'content-type': 'text/html' }), [400, 406], 'unsupported_content_type');
    });

    it('a form-encoded body on a JSON endpoint is refused', async () => {
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      assertError(await acme('POST', '/orders/_search', 'query=anvil', form), [400, 406], 'unsupported_content_type');
      assertError(await acme('POST', '/_bulk', '{"index":{"_index":"orders"}}\n{"a":1}\n', form), [400, 406], 'unsupported_content_type');
      assert.equal((await acme('GET', '/orders/_doc/c1')).status, 404);
    });
  });

  describe('deep nesting', () => {
    it('a document nested 10,000 levels deep is a 400, not a crash', async () => {
      assertError(await acme('PUT', '/orders/_doc/deep', nested(10_000)), 400, 'json_too_deep');
      assertError(await acme('POST', '/orders/_update/seed', `{"doc":${nested(10_000)}}`), 400, 'json_too_deep');
      // Just under the byte-level cap the engine's mapping depth limit answers, still a 400.
      assertError(await acme('PUT', '/orders/_doc/deep', nested(999)), 400);
      assertError(await acme('PUT', '/orders/_doc/deep', `{"list":${'['.repeat(999)}1${']'.repeat(999)}}`), 400);
    });

    it('a search query nested 10,000 levels deep is a 400', async () => {
      assertError(await acme('POST', '/orders/_search', `{"query":${nested(10_000)}}`), 400, 'json_too_deep');
      const bools = '{"bool":{"must":'.repeat(5_000) + '{"match_all":{}}' + '}}'.repeat(5_000);
      assertError(await acme('POST', '/orders/_search', `{"query":${bools}}`), 400, 'json_too_deep');
      assertError(await acme('POST', '/orders/_count', `{"query":${nested(10_000)}}`), 400, 'json_too_deep');
    });

    it('a query within the byte-level cap but past the query-depth cap is still a short 400', async () => {
      const bools = '{"bool":{"must":'.repeat(400) + '{"match_all":{}}' + '}}'.repeat(400);
      assertError(await acme('POST', '/orders/_search', `{"query":${bools}}`), 400);
    });

    it('in a bulk, a deep document line fails that item only and a deep action line fails the request', async () => {
      const lines = `{"index":{"_index":"orders","_id":"bd1"}}\n${nested(10_000)}\n{"index":{"_index":"orders","_id":"bd2"}}\n{"item":"ok"}\n`;
      const res = await acme('POST', '/_bulk?refresh=true', lines, NDJSON);
      assert.equal(res.status, 200, res.text.slice(0, 300));
      const items = res.body.items as { index: { _id: string; status: number; error?: { type: string } } }[];
      assert.equal(res.body.errors, true);
      assert.deepEqual(items.map((i) => [i.index._id, i.index.status]), [['bd1', 400], ['bd2', 201]]);
      assert.doesNotMatch(res.text, STACK_TRACE);
      const action = `{"index":{"_index":"orders","_id":"bd3","_source":${nested(10_000)}}}\n{"item":"x"}\n`;
      assertError(await acme('POST', '/_bulk', action, NDJSON), 400, 'malformed_bulk');
    });
  });

  describe('invalid UTF-8 and over-long ids', () => {
    it('an id with invalid percent-encoded UTF-8 in the URL is a 400', async () => {
      assertError(await acme('GET', '/orders/_doc/%C3%28'), 400, 'invalid_path');
      assertError(await acme('PUT', '/orders/_doc/%C3%28', { item: 'x' }), 400, 'invalid_path');
      assertError(await acme('PUT', '/orders/_doc/%E0%A4%A', { item: 'x' }), 400, 'invalid_path');
      assertError(await acme('PUT', '/ord%FFers/_doc/1', { item: 'x' }), 400, 'invalid_path');
    });

    it('invalid UTF-8 bytes in a body are a 400, never stored as replacement characters', async () => {
      const bad = Buffer.concat([Buffer.from('{"item":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
      const headers = { ...stack.auth.acme, 'content-type': 'application/json' };
      assertError(await sendRaw(`${stack.url}/orders/_doc/u1`, 'PUT', bad, headers), 400, 'invalid_utf8');
      assert.equal((await acme('GET', '/orders/_doc/u1')).status, 404);
      const search = Buffer.concat([Buffer.from('{"query":{"match":{"item":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}}}')]);
      assertError(await sendRaw(`${stack.url}/orders/_search`, 'POST', search, headers), 400, 'invalid_utf8');
      const bulk = Buffer.concat([Buffer.from('{"index":{"_index":"orders","_id":"u2"}}\n{"item":"'), Buffer.from([0x80]), Buffer.from('"}\n')]);
      assertError(await sendRaw(`${stack.url}/_bulk`, 'POST', bulk, { ...headers, ...NDJSON }), 400, 'invalid_utf8');
      assert.equal((await acme('GET', '/orders/_doc/u2')).status, 404);
    });

    it('a 600-byte id is a 400 naming the limit, for writes and reads', async () => {
      const id = 'x'.repeat(600);
      const put = assertError(await acme('PUT', `/orders/_doc/${id}`, { item: 'x' }), 400, 'id_too_long');
      assert.match(put.error.reason, /no longer than \d+ bytes but was: 600/);
      assertError(await acme('GET', `/orders/_doc/${id}`), 400, 'id_too_long');
      assertError(await acme('DELETE', `/orders/_doc/${id}`), 400, 'id_too_long');
      // 300 two-byte characters are 600 bytes: the limit counts bytes, not characters.
      assertError(await acme('PUT', `/orders/_doc/${encodeURIComponent('é'.repeat(300))}`, { item: 'x' }), 400, 'id_too_long');
    });
  });

  describe('endpoints, parameters and index names', () => {
    it('an unknown endpoint is 400 unsupported_endpoint naming it', async () => {
      const nodes = assertError(await acme('GET', '/_nodes/stats'), 400, 'unsupported_endpoint');
      assert.match(nodes.error.reason, /\[GET \/_nodes\/stats\]/);
      const frob = assertError(await acme('POST', '/orders/_frobnicate', {}), 400, 'unsupported_endpoint');
      assert.match(frob.error.reason, /\[POST \/\{index\}\/_frobnicate\]/);
      const cluster = assertError(await acme('PUT', '/_cluster/settings', { persistent: {} }), 400, 'unsupported_endpoint');
      assert.match(cluster.error.reason, /_cluster\/settings/);
    });

    it('an unknown URL parameter is 400 unsupported_parameter naming it', async () => {
      const res = assertError(await acme('GET', '/orders/_doc/seed?frobnicate=1'), 400, 'unsupported_parameter');
      assert.match(res.error.reason, /\[frobnicate\]/);
      const search = assertError(await acme('POST', '/orders/_search?scroll_size=5', {}), 400, 'unsupported_parameter');
      assert.match(search.error.reason, /\[scroll_size\]/);
    });

    it('bad index names are 400', async () => {
      const upper = assertError(await acme('PUT', '/UPPER/_doc/1', { item: 'x' }), 400, 'invalid_index_name');
      assert.match(upper.error.reason, /lowercase/);
      assertError(await acme('PUT', '/_bad', {}), 400);
      assertError(await acme('PUT', '/_bad/_doc/1', { item: 'x' }), 400);
      assertError(await acme('PUT', '/a:b/_doc/1', { item: 'x' }), 400, 'invalid_index_name');
      assertError(await acme('PUT', '/a%2Fb/_doc/1', { item: 'x' }), 400);
      assertError(await acme('GET', '/UPPER/_search'), 400, 'invalid_index_name');
    });
  });

  describe('authentication and authorization', () => {
    it('no credentials is 401 with a WWW-Authenticate challenge', async () => {
      const res = await call<Body>(stack.url, 'GET', '/orders/_doc/seed');
      assertError(res, 401, 'missing_credentials');
      assert.match(String(res.headers['www-authenticate']), /Basic/);
    });

    it('a bad bearer token is 401', async () => {
      const res = await call<Body>(stack.url, 'GET', '/', undefined, { headers: { authorization: 'Bearer not-a-token' } });
      assertError(res, 401, 'invalid_credentials');
      assert.ok(res.headers['www-authenticate'] !== undefined);
      assertError(await call<Body>(stack.url, 'GET', '/', undefined, { headers: { authorization: 'Bearer' } }), 401);
      assertError(await call<Body>(stack.url, 'GET', '/', undefined, { headers: { authorization: 'Negotiate abc' } }), 401);
    });

    it('Basic with a wrong password is 401; the right one works', async () => {
      const basic = (user: string, pw: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}` });
      assertError(await call<Body>(stack.url, 'GET', '/', undefined, { headers: basic('wile', 'roadrunner') }), 401, 'invalid_credentials');
      assertError(await call<Body>(stack.url, 'GET', '/', undefined, { headers: { authorization: 'Basic !!!not-base64' } }), 401);
      assert.equal((await call<Body>(stack.url, 'GET', '/', undefined, { headers: basic('wile', 'coyote') })).status, 200);
    });

    it('x-osproxy-tenant naming a tenant the token may not use is 403 (a malformed one is 400)', async () => {
      const res = assertError(await acme('GET', '/orders/_doc/seed', undefined, { 'x-osproxy-tenant': 'globex' }), 403, 'tenant_forbidden');
      assert.doesNotMatch(res.error.reason, /acme/);
      assertError(await acme('GET', '/', undefined, { 'x-osproxy-tenant': 'Not A Tenant!' }), 400, 'invalid_tenant_header');
      assert.equal((await acme('GET', '/orders/_doc/seed', undefined, { 'x-osproxy-tenant': 'acme' })).status, 200);
    });

    it('a read-only principal may read but not write or manage (403)', async () => {
      const reader = { authorization: 'Bearer acme-reader-token' };
      const read = (method: string, path: string, body?: unknown) => call<Body>(stack.url, method, path, body, { headers: reader });
      assert.equal((await read('GET', '/orders/_doc/seed')).status, 200);
      assert.equal((await read('POST', '/orders/_search', { query: { match_all: {} } })).status, 200);
      assertError(await read('PUT', '/orders/_doc/r1', { item: 'x' }), 403, 'role_missing');
      assertError(await read('POST', '/orders/_update/seed', { doc: { qty: 9 } }), 403, 'role_missing');
      assertError(await read('DELETE', '/orders/_doc/seed'), 403, 'role_missing');
      assertError(await read('POST', '/_bulk', '{"delete":{"_index":"orders","_id":"seed"}}\n'), 403, 'role_missing');
      assertError(await read('DELETE', '/orders'), 403, 'role_missing');
      assert.equal((await acme('GET', '/orders/_doc/seed')).body.found, true);
    });
  });

  describe('bulk', () => {
    it('a malformed action line fails the whole request with 400 and writes nothing', async () => {
      const body = '{"index":{"_index":"orders","_id":"m1"}}\n{"item":"a"}\n{not json\n{"item":"b"}\n';
      const res = assertError(await acme('POST', '/_bulk?refresh=true', body, NDJSON), 400, 'malformed_bulk');
      assert.match(res.error.reason, /line \[3\]/);
      assertError(await acme('POST', '/_bulk', '{"frobnicate":{"_index":"orders"}}\n{}\n', NDJSON), 400, 'malformed_bulk');
      assert.equal((await acme('GET', '/orders/_doc/m1')).status, 404);
    });

    it('a bad document line fails that item only', async () => {
      const body = [
        '{"index":{"_index":"orders","_id":"b1"}}', '{"item":"one"}',
        '{"index":{"_index":"orders","_id":"b2"}}', '{bad json',
        '{"index":{"_index":"orders","_id":"b3"}}', '{"item":"three"}',
      ].join('\n') + '\n';
      const res = await acme('POST', '/_bulk?refresh=true', body, NDJSON);
      assert.equal(res.status, 200, res.text.slice(0, 300));
      const items = res.body.items as { index: { _id: string; status: number; error?: { type: string; reason: string } } }[];
      assert.equal(res.body.errors, true);
      assert.deepEqual(items.map((i) => [i.index._id, i.index.status]), [['b1', 201], ['b2', 400], ['b3', 201]]);
      assert.equal(typeof items[1].index.error?.type, 'string');
      assert.equal((await acme('GET', '/orders/_doc/b1')).status, 200);
      assert.equal((await acme('GET', '/orders/_doc/b2')).status, 404);
      assert.equal((await acme('GET', '/orders/_doc/b3')).status, 200);
    });
  });
});

describe('body size caps', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ extra: { limits: { max_body_bytes: MiB } } });
  });
  after(() => stack.close());
  const alive = async (): Promise<void> => {
    assert.equal((await call(stack.url, 'GET', '/', undefined, { headers: stack.auth.acme })).status, 200);
  };
  const headers = (): Record<string, string> => ({ ...stack.auth.acme, 'content-type': 'application/json' });

  it('a 2 MiB body with its content-length is 413 body_too_large', async () => {
    const doc = `{"blob":"${'x'.repeat(2 * MiB)}"}`;
    const res = await sendRaw(`${stack.url}/orders/_doc/big`, 'PUT', Buffer.from(doc), headers());
    const body = assertError(res, 413, 'body_too_large');
    assert.match(body.error.reason, /1048576/);
    await alive();
    assert.equal((await call(stack.url, 'GET', '/orders/_doc/big', undefined, { headers: stack.auth.acme })).status, 404);
  });

  it('a 2 MiB chunked body (no content-length) is 413 too', async () => {
    const chunk = 'x'.repeat(64 * 1024);
    const stream = Readable.from((function* () {
      yield '{"blob":"';
      for (let i = 0; i < 32; i++) yield chunk;
      yield '"}';
    })());
    assertError(await sendRaw(`${stack.url}/orders/_doc/big`, 'PUT', stream, headers()), 413, 'body_too_large');
    const bulkStream = Readable.from((function* () {
      for (let i = 0; i < 4_000; i++) yield `{"index":{"_index":"orders"}}\n{"blob":"${'y'.repeat(512)}"}\n`;
    })());
    // `_bulk` is streamed line by line (SPEC §4.5): the body cap does not apply, only the per-line cap.
    const bulkRes = await sendRaw(`${stack.url}/_bulk`, 'POST', bulkStream, { ...headers(), 'content-type': 'application/x-ndjson' });
    assert.equal(bulkRes.status, 200, bulkRes.text.slice(0, 300));
    assert.equal((bulkRes.body.items as unknown[]).length, 4_000);
    assert.equal(bulkRes.body.errors, false);
    await alive();
    assert.equal(stack.proxy.services.budget.inUse, 0);
  });

  it('a content-length claiming 2 MiB is refused at once, without waiting for the bytes', async () => {
    const head = `PUT /orders/_doc/liar HTTP/1.1\r\nHost: x\r\nAuthorization: ${stack.auth.acme.authorization}\r\nContent-Type: application/json\r\nContent-Length: ${2 * MiB}\r\n\r\n`;
    const started = Date.now();
    const res = await rawExchange(stack.url, head, Buffer.from('{"blob":"x'));
    assert.match(res.statusLine, /^HTTP\/1\.1 413 /);
    assert.equal((JSON.parse(res.body) as ErrorBody).osproxy.code, 'body_too_large');
    // Not waiting for the 2 MiB (that would only end at the headers timeout): well under rawExchange's 5 s.
    assert.ok(Date.now() - started < 4_000, `answered after ${Date.now() - started} ms`);
    await alive();
  });

  it('a content-length smaller than the bytes sent: the declared bytes are the body, the rest is refused', async () => {
    const head = `PUT /orders/_doc/liar HTTP/1.1\r\nHost: x\r\nAuthorization: ${stack.auth.acme.authorization}\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n`;
    const res = await rawExchange(stack.url, head, Buffer.from(`{"blob":"${'x'.repeat(2 * MiB)}"}`));
    // Node reads 16 bytes as the body and the rest as a next request that does not parse: whichever
    // answer comes first, it is a shaped 400 (the truncated body, or the bytes that are not HTTP).
    assert.match(res.statusLine, /^HTTP\/1\.1 400 /);
    const body = JSON.parse(res.body) as ErrorBody;
    assert.ok(['malformed_json', 'malformed_http'].includes(body.osproxy.code), body.osproxy.code);
    assert.match(res.headers, new RegExp(`x-request-id: ${body.osproxy.request_id}`, 'i'));
    assert.doesNotMatch(res.body, STACK_TRACE);
    await alive();
    assert.equal((await call(stack.url, 'GET', '/orders/_doc/liar', undefined, { headers: stack.auth.acme })).status, 404);
  });

  it('bytes that are not HTTP, and oversized headers, get a shaped 400/431 with a request id', async () => {
    const garbage = await rawExchange(stack.url, 'HELLO THERE\r\n\r\n', Buffer.alloc(0));
    assert.match(garbage.statusLine, /^HTTP\/1\.1 400 /);
    const body = JSON.parse(garbage.body) as ErrorBody;
    assert.equal(body.osproxy.code, 'malformed_http');
    assert.equal(body.error.root_cause[0].type, body.error.type);
    assert.match(garbage.headers, new RegExp(`x-request-id: ${body.osproxy.request_id}`, 'i'));
    const huge = `GET / HTTP/1.1\r\nHost: x\r\nAuthorization: ${stack.auth.acme.authorization}\r\nX-Big: ${'b'.repeat(32 * 1024)}\r\n\r\n`;
    const overflow = await rawExchange(stack.url, huge, Buffer.alloc(0));
    assert.match(overflow.statusLine, /^HTTP\/1\.1 431 /);
    assert.equal((JSON.parse(overflow.body) as ErrorBody).status, 431);
    await alive();
  });

  it('a max_body_bytes above max_inflight_bytes is a config error (such bodies could never be admitted)', () => {
    assert.throws(
      () => parseConfig({ clusters: { default: { url: 'http://127.0.0.1:9' } }, limits: { max_body_bytes: 2 * MiB, max_inflight_bytes: MiB } }),
      /limits\.max_body_bytes/,
    );
  });
});

describe('the in-flight byte cap', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ extra: { limits: { max_body_bytes: 32 * 1024, max_inflight_bytes: 64 * 1024 } } });
  });
  after(() => stack.close());

  /** A ~24 KiB document sent in three slow pieces, so that several are buffered at once. */
  function slowDocument(): Readable {
    return Readable.from((async function* () {
      yield '{"blob":"';
      for (let i = 0; i < 3; i++) {
        yield 'y'.repeat(8 * 1024);
        await sleep(100);
      }
      yield '"}';
    })());
  }

  it('several concurrent slow bodies: some are answered 429 with Retry-After, the others succeed', async () => {
    const headers = { ...stack.auth.acme, 'content-type': 'application/json' };
    const results = await Promise.all(Array.from({ length: 8 }, () => sendRaw(`${stack.url}/orders/_doc`, 'POST', slowDocument(), headers)));
    const statuses = results.map((r) => r.status).sort();
    assert.ok(statuses.every((s) => s === 201 || s === 429), `statuses ${statuses.join(',')}`);
    const rejected = results.filter((r) => r.status === 429);
    assert.ok(rejected.length > 0, 'at least one request was over the in-flight budget');
    assert.ok(rejected.length < results.length, 'at least one request was admitted');
    for (const r of rejected) {
      const body = assertError(r, 429, 'inflight_bytes_exhausted');
      assert.equal(body.osproxy.retryable, true);
      assert.ok(Number(r.headers['retry-after']) >= 1, 'Retry-After is set');
    }
    assert.equal(stack.proxy.services.budget.inUse, 0, 'every buffered byte was given back');
    assert.equal((await call(stack.url, 'GET', '/', undefined, { headers: stack.auth.acme })).status, 200);
    const retry = await call(stack.url, 'POST', '/orders/_doc', { blob: 'small' }, { headers: stack.auth.acme });
    assert.equal(retry.status, 201, 'once the burst is over, a retry is admitted');
  });
});

describe('an upstream that is down', () => {
  let proxy: RunningProxy;
  let engine: RunningEngine | undefined;
  let port: number;
  const auth = { authorization: 'Bearer acme-token' };

  before(async () => {
    // Nobody listens on it (connecting is refused), and no connection takes it meanwhile (it is
    // outside the ephemeral range), so the engine can bind it later.
    port = await quietPort();
    const config = parseConfig({
      listeners: [{ host: '127.0.0.1', port: 0 }],
      clusters: { default: { url: `http://127.0.0.1:${port}`, retries: 0, connect_timeout_ms: 1_000, breaker: { failure_threshold: 3, reset_ms: 1_000 } } },
      // The data cluster is what is down here; the control state is this instance's own.
      control: { store: 'memory' },
      tenants: { acme: { principals: [{ name: 'acme-test', token_sha256: hashToken('acme-token') }] } },
    });
    proxy = await startProxy(config, { log: pino({ level: 'silent' }) });
  });
  after(async () => {
    await proxy.close(1_000);
    await engine?.close();
  });

  const timed = async (method: string, path: string, body?: unknown): Promise<HttpResult<Body>> => {
    const started = Date.now();
    const res = await call<Body>(proxy.urls[0], method, path, body, { headers: auth });
    assert.ok(Date.now() - started < 5_000, `${method} ${path} took ${Date.now() - started} ms`);
    return res;
  };

  it('answers 502 upstream_connect_failed, then 503 upstream_breaker_open with Retry-After, then recovers', async () => {
    // The registry's background reload shares the breaker, so count answers rather than requests.
    const failed: HttpResult<Body>[] = [];
    let open: HttpResult<Body> | undefined;
    for (let i = 0; i < 10 && open === undefined; i++) {
      const res = await timed('GET', '/');
      if (res.status === 503) open = res;
      else failed.push(res);
    }
    assert.ok(failed.length >= 1, 'the first answer is a connect failure, not an open breaker');
    for (const res of failed) {
      const body = assertError(res, 502, 'upstream_connect_failed');
      assert.equal(body.osproxy.retryable, true);
      assert.doesNotMatch(res.text, new RegExp(String(port)), 'the upstream address is not revealed');
    }
    assert.ok(open !== undefined, 'the breaker opened');
    assertError(open, 503, 'upstream_breaker_open');
    assert.ok(Number(open.headers['retry-after']) >= 1, 'Retry-After is set');
    const breaker = proxy.services.clusters.get('default')?.breaker;
    // Open, or already letting a probe through (reset_ms may have passed on a loaded machine).
    assert.notEqual(breaker?.state, 'closed');
    const health = await timed('GET', '/_cluster/health');
    assertError(health, 503, 'upstream_breaker_open');
    assert.ok(Number(health.headers['retry-after']) >= 1);

    engine = await startEngine({ port });
    let back: HttpResult<Body> | undefined;
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(100)) {
      back = await timed('GET', '/');
      if (back.status === 200) break;
      assertError(back, [502, 503]);
    }
    assert.equal(back?.status, 200, back?.text);
    assert.equal(breaker?.state, 'closed');
    assert.equal((await timed('PUT', '/orders/_doc/1?refresh=true', { item: 'anvil' })).status, 201);
  });
});
