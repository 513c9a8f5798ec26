import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, type RunningEngine } from '../../../src/engine/engine.ts';
import { call } from '../../helpers/http.ts';

interface ErrorBody {
  error: { type: string; reason: string; root_cause: { type: string; reason: string }[]; caused_by?: { type: string; reason: string } };
  status: number;
}

// The alias management API as OpenSearch 2.x answers it (TransportIndicesAliasesAction, MetadataIndexAliasesService).
describe('engine alias actions', () => {
  let engine: RunningEngine;
  const req = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => call<T>(engine.url, method, path, body);
  const aliases = async (): Promise<unknown> => (await req('GET', '/_alias')).body;

  before(async () => {
    engine = await startEngine({ port: 0 });
  });
  after(() => engine.close());
  beforeEach(async () => {
    await req('DELETE', '/*');
    await req('PUT', '/a');
    await req('PUT', '/b');
  });

  it('adds aliases from the create-index body and lists them under GET /{index} and GET _alias', async () => {
    const created = await req('PUT', '/c', { aliases: { current: {}, routed: { routing: '1', is_write_index: true, filter: { term: { k: 'v' } } } } });
    assert.equal(created.status, 200);
    const got = await req<Record<string, { aliases: unknown }>>('GET', '/c');
    assert.deepEqual(got.body.c.aliases, {
      current: {},
      routed: { filter: { term: { k: 'v' } }, index_routing: '1', search_routing: '1', is_write_index: true },
    });
    assert.deepEqual(await aliases(), { a: { aliases: {} }, b: { aliases: {} }, c: { aliases: got.body.c.aliases } });
  });

  it('applies add, remove and remove_index of one request together', async () => {
    await req('POST', '/_aliases', { actions: [{ add: { index: 'a', alias: 'live' } }] });
    const swap = await req('POST', '/_aliases', { actions: [{ remove: { index: 'a', alias: 'live' } }, { add: { indices: ['b'], aliases: ['live', 'other'] } }] });
    assert.deepEqual([swap.status, swap.body], [200, { acknowledged: true }]);
    assert.deepEqual(await aliases(), { a: { aliases: {} }, b: { aliases: { live: {}, other: {} } } });
    // remove_index replaces an index by an alias of the same name in one step
    const replace = await req('POST', '/_aliases', { actions: [{ remove_index: { index: 'a' } }, { add: { index: 'b', alias: 'a' } }] });
    assert.equal(replace.status, 200);
    assert.deepEqual(await aliases(), { b: { aliases: { a: {}, live: {}, other: {} } } });
    assert.equal((await req('GET', '/a/_doc/1')).status, 404);
  });

  it('changes nothing when one action of the request fails', async () => {
    await req('POST', '/_aliases', { actions: [{ add: { index: 'a', alias: 'live' } }] });
    const res = await req<ErrorBody>('POST', '/_aliases', {
      actions: [{ remove: { index: 'a', alias: 'live' } }, { add: { index: 'b', alias: 'live' } }, { add: { index: 'missing', alias: 'x' } }],
    });
    assert.equal(res.status, 404);
    assert.equal(res.body.error.type, 'index_not_found_exception');
    const write = await req<ErrorBody>('POST', '/_aliases', { actions: [{ add: { index: 'a', alias: 'w', is_write_index: true } }, { add: { index: 'b', alias: 'w', is_write_index: true } }] });
    assert.deepEqual([write.status, write.body.error.type, write.body.error.reason], [500, 'illegal_state_exception', 'alias [w] has more than one write index [a,b]']);
    assert.deepEqual(await aliases(), { a: { aliases: { live: {} } }, b: { aliases: {} } });
  });

  it('answers 404 aliases_not_found_exception when a request removes nothing', async () => {
    const res = await req<ErrorBody>('POST', '/_aliases', { actions: [{ remove: { index: 'a', alias: 'nope' } }] });
    assert.equal(res.status, 404);
    assert.deepEqual(res.body.error.root_cause[0], { type: 'aliases_not_found_exception', reason: 'aliases [nope] missing', 'resource.type': 'aliases', 'resource.id': 'nope' });
    const del = await req<ErrorBody>('DELETE', '/a/_alias/nope');
    assert.deepEqual([del.status, del.body.error.reason], [404, 'aliases [nope] missing']);
    // ...but a missing remove next to an add that does something is no error (unless must_exist)
    assert.equal((await req('POST', '/_aliases', { actions: [{ remove: { index: 'a', alias: 'nope' } }, { add: { index: 'a', alias: 'x' } }] })).status, 200);
  });

  it('removes aliases by pattern and refuses a must_exist remove of a missing alias', async () => {
    await req('POST', '/_aliases', { actions: [{ add: { index: 'a', aliases: ['l1', 'l2', 'keep'] } }] });
    assert.equal((await req('POST', '/_aliases', { actions: [{ remove: { index: 'a', alias: 'l*' } }] })).status, 200);
    assert.deepEqual(await aliases(), { a: { aliases: { keep: {} } }, b: { aliases: {} } });
    const must = await req<ErrorBody>('POST', '/_aliases', {
      actions: [{ add: { index: 'b', alias: 'y' } }, { remove: { index: 'a', alias: 'keep' } }, { remove: { index: 'a', alias: 'keep', must_exist: true } }],
    });
    assert.deepEqual([must.status, must.body.error.reason], [400, 'required alias [keep] does not exist']);
  });

  it('refuses alias names that are index names or invalid, and index expressions naming aliases', async () => {
    const same = await req<ErrorBody>('POST', '/_aliases', { actions: [{ add: { index: 'a', alias: 'b' } }] });
    assert.deepEqual([same.status, same.body.error.type, same.body.error.reason], [400, 'invalid_alias_name_exception', 'Invalid alias name [b], an index exists with the same name as the alias']);
    const bad = await req<ErrorBody>('PUT', '/a/_alias/_x');
    assert.deepEqual([bad.status, bad.body.error.reason], [400, "Invalid alias name [_x]: must not start with '_', '-', or '+'"]);
    await req('PUT', '/a/_alias/live');
    const viaAlias = await req<ErrorBody>('POST', '/_aliases', { actions: [{ add: { index: 'live', alias: 'x' } }] });
    assert.deepEqual([viaAlias.status, viaAlias.body.error.reason], [400, 'The provided expression [live] matches an alias, specify the corresponding concrete indices instead.']);
    const create = await req<ErrorBody>('PUT', '/live');
    assert.deepEqual([create.status, create.body.error.reason], [400, 'Invalid index name [live], already exists as alias']);
    const named = await req<ErrorBody>('PUT', '/c', { aliases: { a: {} } });
    assert.deepEqual([named.status, named.body.error.type], [400, 'invalid_alias_name_exception']);
  });

  it('reports malformed requests as OpenSearch parses them', async () => {
    const none = await req<ErrorBody>('POST', '/_aliases', { actions: [] });
    assert.deepEqual([none.status, none.body.error.reason], [400, 'No action specified']);
    const noAlias = await req<ErrorBody>('POST', '/_aliases', { actions: [{ add: { index: 'a' } }] });
    assert.equal(noAlias.body.error.type, 'x_content_parse_exception');
    assert.equal(noAlias.body.error.reason, '[aliases] failed to parse field [actions]');
    assert.deepEqual(noAlias.body.error.caused_by, { type: 'illegal_argument_exception', reason: 'One of [alias] or [aliases] is required' });
    const both = await req<ErrorBody>('POST', '/_aliases', { actions: [{ add: { index: 'a', indices: ['b'], alias: 'x' } }] });
    assert.match(JSON.stringify(both.body.error), /Only one of \[index\] and \[indices\] is supported/);
    const unknown = await req<ErrorBody>('POST', '/_aliases', { actions: [{ rename: { index: 'a' } }] });
    assert.equal(unknown.body.error.caused_by?.reason, '[alias_action] unknown field [rename]');
  });

  it('PUT and DELETE /{index}/_alias/{name}, with the _aliases spellings and a body', async () => {
    assert.deepEqual((await req('PUT', '/a,b/_alias/both')).body, { acknowledged: true });
    assert.equal((await req('POST', '/a/_aliases/routed', { routing: 7, is_write_index: false })).status, 200);
    assert.equal((await req('PUT', '/_alias/frombody', { index: 'b' })).status, 200);
    assert.deepEqual(await aliases(), { a: { aliases: { both: {}, routed: { index_routing: '7', search_routing: '7', is_write_index: false } } }, b: { aliases: { both: {}, frombody: {} } } });
    assert.equal((await req('DELETE', '/_all/_aliases/both')).status, 200);
    assert.equal((await req('DELETE', '/a/_alias/routed')).status, 200);
    assert.deepEqual(await aliases(), { a: { aliases: {} }, b: { aliases: { frombody: {} } } });
  });

  it('drops the aliases of a deleted index', async () => {
    await req('PUT', '/a/_alias/live');
    assert.equal((await req<ErrorBody>('DELETE', '/live')).status, 400, 'DELETE refuses an alias name');
    await req('DELETE', '/a');
    assert.equal((await req('HEAD', '/live')).status, 404);
    assert.equal((await req('GET', '/_alias/live')).status, 404);
    await req('PUT', '/live');
    assert.equal((await req('HEAD', '/live')).status, 200, 'the name is free for an index again');
  });
});
