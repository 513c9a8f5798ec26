import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, type RunningEngine } from '../../../src/engine/engine.ts';
import { call } from '../../helpers/http.ts';

interface ErrorBody {
  error: { type: string; reason: string; index?: string; root_cause: Record<string, unknown>[] };
  status: number;
}
interface WriteBody {
  _index: string;
  _seq_no: number;
  _primary_term: number;
  result: string;
}
interface BulkItem {
  _index: string;
  status: number;
  error?: { type: string; reason: string };
}

const notAlias = (name: string): string => `no such index [${name}] and [require_alias] request flag is [true] and [${name}] is not an alias`;

// `require_alias=true` (TransportBulkAction / TransportUpdateAction): only an alias is a valid target, and nothing is auto-created.
describe('engine require_alias', () => {
  let engine: RunningEngine;
  const req = <T = Record<string, unknown>>(method: string, path: string, body?: unknown, ndjson = false) => call<T>(engine.url, method, path, body, { ndjson });
  const exists = async (name: string): Promise<boolean> => (await req('HEAD', `/${name}`)).status === 200;

  before(async () => {
    engine = await startEngine({ port: 0 });
    await req('PUT', '/fleet-v1', { aliases: { fleet: {} }, mappings: { dynamic: 'strict', properties: { state: { type: 'keyword' } } } });
  });
  after(() => engine.close());

  it('refuses a missing name with 404 index_not_found_exception and creates nothing', async () => {
    for (const [method, path, body] of [
      ['PUT', '/lost/_doc/1?require_alias=true', { state: 'x' }],
      ['POST', '/lost/_doc?require_alias=true', { state: 'x' }],
      ['PUT', '/lost/_create/1?require_alias=true', { state: 'x' }],
      ['POST', '/lost/_update/1?require_alias=true', { doc: { state: 'x' }, doc_as_upsert: true }],
    ] as const) {
      const res = await req<ErrorBody>(method, path, body);
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.deepEqual(res.body.error.root_cause[0], { type: 'index_not_found_exception', reason: notAlias('lost'), index: 'lost', index_uuid: '_na_' });
      assert.equal(await exists('lost'), false, `${method} ${path} must not create the index`);
    }
    // without the flag the same write auto-creates the index, as before
    assert.equal((await req('PUT', '/autocreated/_doc/1', { state: 'x' })).status, 201);
    assert.equal(await exists('autocreated'), true);
  });

  it('refuses an existing concrete index too: the name must be an alias', async () => {
    const res = await req<ErrorBody>('PUT', '/fleet-v1/_doc/1?require_alias=true', { state: 'x' });
    assert.deepEqual([res.status, res.body.error.reason], [404, notAlias('fleet-v1')]);
    assert.equal((await req('GET', '/fleet-v1/_doc/1')).status, 404);
  });

  it('fails only the bulk items that need an alias, from the URL flag or the item', async () => {
    const res = await req<{ errors: boolean; items: Record<string, BulkItem>[] }>(
      'POST',
      '/_bulk?require_alias=true',
      [
        { index: { _index: 'fleet', _id: 'a' } }, { state: 'ok' },
        { index: { _index: 'gone', _id: 'b' } }, { state: 'no' },
        { create: { _index: 'gone2', _id: 'c', require_alias: false } }, { state: 'created' },
        { update: { _index: 'gone3', _id: 'd' } }, { doc: { state: 'no' }, doc_as_upsert: true },
        { delete: { _index: 'fleet', _id: 'zz' } },
      ],
      true,
    );
    const items = res.body.items.map((i) => Object.values(i)[0]);
    assert.equal(res.body.errors, true);
    assert.deepEqual(items.map((i) => [i._index, i.status]), [['fleet-v1', 201], ['gone', 404], ['gone2', 201], ['gone3', 404], ['fleet-v1', 404]]);
    assert.deepEqual(items[1].error, { type: 'index_not_found_exception', reason: notAlias('gone'), index: 'gone', index_uuid: '_na_' });
    assert.equal(items[3].error?.reason, notAlias('gone3'));
    assert.deepEqual([await exists('gone'), await exists('gone2'), await exists('gone3')], [false, true, false]);
    const perItem = await req<{ items: Record<string, BulkItem>[] }>('POST', '/_bulk', [{ index: { _index: 'gone4', _id: 'e', require_alias: true } }, { state: 'no' }], true);
    assert.equal(perItem.body.items[0].index.status, 404);
    assert.equal(await exists('gone4'), false);
  });

  it('keeps the fleet store flow: conditional writes through the alias, realtime reads, 409 on a stale seq_no', async () => {
    const first = await req<WriteBody>('PUT', '/fleet/_doc/tenant-a?refresh=wait_for&require_alias=true', { state: 'v1' });
    assert.deepEqual([first.status, first.body._index], [201, 'fleet-v1']);
    const read = await req<WriteBody & { _source: unknown }>('GET', '/fleet/_doc/tenant-a');
    assert.deepEqual([read.body._seq_no, read.body._primary_term, read.body._source], [first.body._seq_no, first.body._primary_term, { state: 'v1' }]);
    const cas = `if_seq_no=${first.body._seq_no}&if_primary_term=${first.body._primary_term}`;
    const second = await req<WriteBody>('PUT', `/fleet/_doc/tenant-a?${cas}&refresh=wait_for&require_alias=true`, { state: 'v2' });
    assert.deepEqual([second.status, second.body.result], [200, 'updated']);
    const stale = await req<ErrorBody>('PUT', `/fleet/_doc/tenant-a?${cas}&refresh=wait_for&require_alias=true`, { state: 'v3' });
    assert.deepEqual([stale.status, stale.body.error.type], [409, 'version_conflict_engine_exception']);
    assert.equal(stale.body.error.index, 'fleet-v1');
    // realtime: an unrefreshed write is visible to GET through the alias at once
    await req('PUT', '/fleet/_doc/tenant-b?require_alias=true', { state: 'fresh' });
    assert.deepEqual((await req<{ _source: unknown }>('GET', '/fleet/_doc/tenant-b')).body._source, { state: 'fresh' });
    const searched = await req<{ hits: { hits: { _id: string; _seq_no: number }[] } }>('POST', '/fleet/_search?seq_no_primary_term=true', { query: { ids: { values: ['tenant-a'] } } });
    assert.deepEqual(searched.body.hits.hits.map((h) => [h._id, h._seq_no]), [['tenant-a', second.body._seq_no]]);
    // strict mapping still applies through the alias
    assert.equal((await req('PUT', '/fleet/_doc/x?require_alias=true', { unknown: 1 })).status, 400);
  });

  it('updates through the alias with require_alias, and refuses the missing alias after the store is lost', async () => {
    const upd = await req<WriteBody>('POST', '/fleet/_update/tenant-a?require_alias=true&refresh=true', { doc: { state: 'v4' } });
    assert.deepEqual([upd.status, upd.body._index], [200, 'fleet-v1']);
    await req('DELETE', '/fleet-v1');
    const lost = await req<ErrorBody>('PUT', '/fleet/_doc/tenant-a?require_alias=true', { state: 'v5' });
    assert.deepEqual([lost.status, lost.body.error.reason], [404, notAlias('fleet')]);
    assert.equal(await exists('fleet'), false, 'a lost store is not re-created by a write with dynamic mapping');
  });
});
