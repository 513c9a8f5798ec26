import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, type RunningEngine } from '../../src/engine/engine.ts';
import { call } from '../helpers/http.ts';

interface ErrorBody {
  error: { type: string; reason: string; root_cause: { type: string }[] };
  status: number;
}

function assertOpenSearchError(res: { status: number; body: unknown }, status: number, type: string): void {
  assert.equal(res.status, status);
  const body = res.body as ErrorBody;
  assert.equal(body.status, status);
  assert.equal(body.error.type, type);
  assert.equal(body.error.root_cause[0].type, type);
  assert.equal(typeof body.error.reason, 'string');
}

describe('engine answers bad input with OpenSearch-shaped errors', () => {
  let engine: RunningEngine;
  before(async () => {
    engine = await startEngine({ port: 0 });
    await call(engine.url, 'PUT', '/films/_doc/1?refresh=true', { title: 'Drive' });
  });
  after(() => engine.close());

  it('malformed JSON body is a 400 parse error', async () => {
    assertOpenSearchError(await call(engine.url, 'PUT', '/films/_doc/2', '{"title": '), 400, 'parse_exception');
  });

  it('malformed NDJSON action line fails the bulk with 400', async () => {
    const res = await call(engine.url, 'POST', '/_bulk', '{"index":\n{"a":1}\n', { headers: { 'content-type': 'application/x-ndjson' } });
    assertOpenSearchError(res, 400, 'illegal_argument_exception');
  });

  it('unknown query type is a 400 parsing_exception naming it', async () => {
    const res = await call<ErrorBody>(engine.url, 'POST', '/films/_search', { query: { frobnicate: {} } });
    assertOpenSearchError(res, 400, 'parsing_exception');
    assert.match(res.body.error.reason, /frobnicate/);
  });

  it('unknown URL parameter is a 400 naming it', async () => {
    const res = await call<ErrorBody>(engine.url, 'GET', '/films/_doc/1?bogus=1');
    assertOpenSearchError(res, 400, 'illegal_argument_exception');
    assert.match(res.body.error.reason, /unrecognized parameter: \[bogus\]/);
  });

  it('unknown endpoint and wrong method are clear errors', async () => {
    assertOpenSearchError(await call(engine.url, 'GET', '/films/_nonsense/x/y'), 400, 'illegal_argument_exception');
    assertOpenSearchError(await call(engine.url, 'DELETE', '/_bulk'), 405, 'method_not_allowed');
  });

  it('missing index is a 404 index_not_found_exception', async () => {
    assertOpenSearchError(await call(engine.url, 'GET', '/nope/_search'), 404, 'index_not_found_exception');
    assertOpenSearchError(await call(engine.url, 'GET', '/nope/_doc/1'), 404, 'index_not_found_exception');
  });

  it('invalid index names are refused', async () => {
    assertOpenSearchError(await call(engine.url, 'PUT', '/UPPER'), 400, 'invalid_index_name_exception');
    // MetadataCreateIndexService.validateIndexOrAliasName: the file-name characters, then '#' and ':' on their own, before lower case.
    const reason = async (path: string): Promise<string> => (await call<{ error: { reason: string } }>(engine.url, 'PUT', path)).body.error.reason;
    assert.equal(await reason('/a%20B'), 'Invalid index name [a B], must not contain the following characters [ , ", *, \\, <, |, ,, >, /, ?]');
    assert.equal(await reason('/a%23b'), "Invalid index name [a#b], must not contain '#'");
    assert.equal(await reason('/A:b'), "Invalid index name [A:b], must not contain ':'");
  });

  it('a body over 100 MiB is refused with 413 and the engine stays up', async () => {
    const big = Buffer.alloc(100 * 1024 * 1024 + 16, 0x20);
    const res = await call(engine.url, 'POST', '/films/_search', big.toString());
    assert.equal(res.status, 413);
    assert.equal((await call(engine.url, 'GET', '/')).status, 200);
  });

  it('accepts a document close to 100 MiB', async () => {
    const text = 'x'.repeat(95 * 1024 * 1024);
    const res = await call(engine.url, 'PUT', '/bigdocs/_doc/1', { text });
    assert.equal(res.status, 201);
  });

  it('deeply nested JSON is refused without crashing', async () => {
    const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    const res = await call(engine.url, 'PUT', '/films/_doc/deep', deep);
    assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
    assert.equal((await call(engine.url, 'GET', '/')).status, 200);
  });
});
