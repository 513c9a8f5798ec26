import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, type RunningEngine } from '../../../src/engine/engine.ts';
import { call } from '../../helpers/http.ts';

interface SearchBody {
  hits: { total: { value: number }; hits: { _id: string }[] };
}
interface ErrorBody {
  error: { type: string; reason: string; caused_by?: { reason: string } };
  status: number;
}

const ARBITRARY = { nested: { deep: [1, 'two', { three: true }] }, when: '2024-01-01', n: 5, text: 'hello world' };

// ObjectMapper `enabled: false`: the content stays in _source and is never parsed, indexed or mapped.
describe('engine mappings with enabled: false', () => {
  let engine: RunningEngine;
  const req = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => call<T>(engine.url, method, path, body);
  const hits = async (index: string, query: unknown): Promise<string[]> =>
    (await req<SearchBody>('POST', `/${index}/_search`, { query })).body.hits.hits.map((h) => h._id).sort();

  before(async () => {
    engine = await startEngine({ port: 0 });
    const created = await req('PUT', '/store', {
      mappings: { dynamic: 'strict', properties: { name: { type: 'keyword' }, state: { type: 'object', enabled: false }, blob: { enabled: false } } },
    });
    assert.equal(created.status, 200);
    assert.equal((await req('PUT', '/store/_doc/1', { name: 'a', state: ARBITRARY, blob: 'just a string' })).status, 201);
    assert.equal((await req('PUT', '/store/_doc/2', { name: 'b', state: [1, { x: 'y' }, null], blob: { any: { thing: [] } } })).status, 201);
    assert.equal((await req('PUT', '/store/_doc/3?refresh=true', { name: 'c' })).status, 201);
  });
  after(() => engine.close());

  it('accepts any JSON under a disabled object of a strict mapping and keeps it in _source', async () => {
    const got = await req<{ _source: unknown }>('GET', '/store/_doc/1');
    assert.deepEqual(got.body._source, { name: 'a', state: ARBITRARY, blob: 'just a string' });
    const strict = await req<ErrorBody>('PUT', '/store/_doc/4', { name: 'd', other: 1 });
    assert.deepEqual([strict.status, strict.body.error.type], [400, 'strict_dynamic_mapping_exception']);
  });

  it('renders the object as {"type":"object","enabled":false} and maps nothing under it', async () => {
    const res = await req<Record<string, { mappings: unknown }>>('GET', '/store/_mapping');
    assert.deepEqual(res.body.store.mappings, {
      dynamic: 'strict',
      properties: { blob: { type: 'object', enabled: false }, name: { type: 'keyword' }, state: { type: 'object', enabled: false } },
    });
  });

  it('finds nothing inside it, and exists on it is false', async () => {
    assert.deepEqual(await hits('store', { term: { 'state.text': 'hello' } }), []);
    assert.deepEqual(await hits('store', { match: { 'state.text': 'hello world' } }), []);
    assert.deepEqual(await hits('store', { range: { 'state.n': { gte: 0 } } }), []);
    assert.deepEqual(await hits('store', { query_string: { query: 'hello' } }), []);
    assert.deepEqual(await hits('store', { exists: { field: 'state' } }), []);
    assert.deepEqual(await hits('store', { exists: { field: 'state.n' } }), []);
    assert.deepEqual(await hits('store', { exists: { field: 'blob' } }), []);
    assert.deepEqual(await hits('store', { exists: { field: 'name' } }), ['1', '2', '3']);
  });

  it('refuses to flip enabled on an existing object with a mapper_exception', async () => {
    const res = await req<ErrorBody>('PUT', '/store/_mapping', { properties: { state: { type: 'object', enabled: true } } });
    assert.deepEqual([res.status, res.body.error.type, res.body.error.reason], [500, 'mapper_exception', "the [enabled] parameter can't be updated for the object mapping [state]"]);
    assert.equal((await req('PUT', '/store/_mapping', { properties: { state: { type: 'object', enabled: false } } })).status, 200);
    const bad = await req<ErrorBody>('PUT', '/bad', { mappings: { properties: { o: { type: 'object', enabled: 'nope' } } } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.reason, 'Failed to parse mapping [_doc]: Could not convert [enabled.enabled] to boolean');
  });

  it('disables the whole document with enabled: false on the root mapping', async () => {
    await req('PUT', '/raw', { mappings: { enabled: false } });
    assert.equal((await req('PUT', '/raw/_doc/1?refresh=true', { a: 'x', b: { c: 1 } })).status, 201);
    const mapping = await req<Record<string, { mappings: unknown }>>('GET', '/raw/_mapping');
    assert.deepEqual(mapping.body.raw.mappings, { enabled: false });
    assert.deepEqual(await hits('raw', { match_all: {} }), ['1']);
    assert.deepEqual(await hits('raw', { term: { a: 'x' } }), []);
    assert.deepEqual((await req<{ _source: unknown }>('GET', '/raw/_doc/1')).body._source, { a: 'x', b: { c: 1 } });
  });

  it('indexes nothing under a disabled object or root even where properties are mapped', async () => {
    await req('PUT', '/mapped', { mappings: { properties: { o: { type: 'object', enabled: false, properties: { x: { type: 'keyword' } } } } } });
    await req('PUT', '/mapped/_doc/1?refresh=true', { o: { x: 'v' } });
    const mapping = await req<Record<string, { mappings: unknown }>>('GET', '/mapped/_mapping');
    assert.deepEqual(mapping.body.mapped.mappings, { properties: { o: { enabled: false, properties: { x: { type: 'keyword' } } } } });
    assert.deepEqual(await hits('mapped', { term: { 'o.x': 'v' } }), []);
    await req('PUT', '/rawmapped', { mappings: { enabled: false, properties: { a: { type: 'keyword' } } } });
    await req('PUT', '/rawmapped/_doc/1?refresh=true', { a: 'x' });
    assert.deepEqual(await hits('rawmapped', { term: { a: 'x' } }), []);
    assert.deepEqual(await hits('rawmapped', { exists: { field: 'a' } }), []);
  });
});
