import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, type RunningEngine } from '../../../src/engine/engine.ts';
import { shardFor } from '../../../src/engine/store/murmur3.ts';
import { call } from '../../helpers/http.ts';

interface Hit {
  _index: string;
  _id: string;
  _seq_no?: number;
  _primary_term?: number;
  sort?: number[];
}
interface SearchBody {
  hits: { total: { value: number }; hits: Hit[] };
}
interface ErrorBody {
  error: { type: string; reason: string };
}

// Every API that takes an index name takes an alias and answers with the concrete index, as OpenSearch does.
describe('engine alias resolution', () => {
  let engine: RunningEngine;
  const req = <T = Record<string, unknown>>(method: string, path: string, body?: unknown, ndjson = false) => call<T>(engine.url, method, path, body, { ndjson });
  const search = async (path: string, body?: unknown): Promise<SearchBody> => (await req<SearchBody>('POST', path, body)).body;

  before(async () => {
    engine = await startEngine({ port: 0 });
    await req('PUT', '/store-1', { aliases: { store: {} }, mappings: { properties: { k: { type: 'keyword' }, n: { type: 'long' } } } });
  });
  after(() => engine.close());

  it('writes, reads and deletes documents through the alias, naming the concrete index', async () => {
    const put = await req<Hit>('PUT', '/store/_doc/1?refresh=true', { k: 'a', n: 1 });
    assert.deepEqual([put.status, put.body._index], [201, 'store-1']);
    assert.equal(put.headers.location, '/store-1/_doc/1');
    assert.equal((await req<Hit>('POST', '/store/_doc', { k: 'auto', n: 9 })).body._index, 'store-1');
    assert.equal((await req('PUT', '/store/_create/1', { k: 'dup' })).status, 409);
    assert.equal((await req<Hit>('PUT', '/store/_create/2', { k: 'b', n: 2 })).body._index, 'store-1');
    const upd = await req<Hit>('POST', '/store/_update/2', { doc: { n: 3 } });
    assert.deepEqual([upd.status, upd.body._index], [200, 'store-1']);
    const got = await req<Hit & { _source: unknown }>('GET', '/store/_doc/2');
    assert.deepEqual([got.body._index, got.body._source], ['store-1', { k: 'b', n: 3 }]);
    assert.deepEqual((await req('GET', '/store/_source/2')).body, { k: 'b', n: 3 });
    assert.equal((await req('HEAD', '/store/_doc/2')).status, 200);
    const del = await req<Hit>('DELETE', '/store/_doc/2');
    assert.deepEqual([del.status, del.body._index], [200, 'store-1']);
    assert.equal((await req('HEAD', '/store')).status, 200);
    assert.deepEqual(Object.keys((await req('GET', '/store')).body), ['store-1']);
    assert.deepEqual(Object.keys((await req('GET', '/store/_mapping')).body), ['store-1']);
  });

  it('searches, counts and sorts on _seq_no through the alias and by a pattern over alias names', async () => {
    await req('POST', '/store/_refresh');
    const res = await search('/store/_search?seq_no_primary_term=true', { query: { range: { _seq_no: { gte: 0 } } }, sort: [{ _seq_no: 'desc' }] });
    assert.ok(res.hits.hits.length >= 2);
    assert.ok(res.hits.hits.every((h) => h._index === 'store-1' && typeof h._seq_no === 'number' && h._primary_term === 1));
    assert.ok((res.hits.hits[0].sort?.[0] ?? 0) > (res.hits.hits[1].sort?.[0] ?? 0));
    const count = await req<{ count: number }>('GET', '/store/_count');
    assert.equal(count.body.count, res.hits.total.value);
    assert.equal((await search('/sto*/_search')).hits.total.value, res.hits.total.value, 'a wildcard matching the alias name does not count docs twice');
    assert.equal((await search('/store,store-1/_search')).hits.total.value, res.hits.total.value, 'the alias and its index name one index');
  });

  it('takes the alias in _bulk (path and item), _mget and _msearch', async () => {
    const bulk = await req<{ errors: boolean; items: Record<string, Hit & { status: number }>[] }>(
      'POST',
      '/store/_bulk?refresh=true',
      [{ index: { _id: 'b1' } }, { k: 'x' }, { create: { _index: 'store', _id: 'b2' } }, { k: 'y' }, { update: { _index: 'store', _id: 'b1' } }, { doc: { n: 5 } }, { delete: { _index: 'store', _id: 'b2' } }],
      true,
    );
    assert.equal(bulk.body.errors, false);
    assert.deepEqual(bulk.body.items.map((i) => Object.values(i)[0]._index), ['store-1', 'store-1', 'store-1', 'store-1']);
    const mget = await req<{ docs: (Hit & { found: boolean })[] }>('POST', '/_mget', { docs: [{ _index: 'store', _id: 'b1' }, { _index: 'store', _id: 'b2' }] });
    assert.deepEqual(mget.body.docs.map((d) => [d._index, d.found]), [['store-1', true], ['store-1', false]]);
    const ms = await req<{ responses: SearchBody[] }>('POST', '/_msearch', [{ index: 'store' }, { query: { ids: { values: ['b1'] } } }], true);
    assert.deepEqual(ms.body.responses[0].hits.hits.map((h) => h._index), ['store-1']);
  });

  it('refreshes, maps and runs by-query requests through the alias', async () => {
    await req('PUT', '/store/_doc/q1', { k: 'dbq', n: 1 });
    const refreshed = await req<{ _shards: { successful: number } }>('POST', '/store/_refresh');
    assert.equal(refreshed.body._shards.successful, 1);
    assert.equal((await req('PUT', '/store/_mapping', { properties: { extra: { type: 'keyword' } } })).status, 200);
    const mapping = await req<Record<string, { mappings: { properties: Record<string, unknown> } }>>('GET', '/store/_mapping');
    assert.ok('extra' in mapping.body['store-1'].mappings.properties);
    const ubq = await req<{ updated: number }>('POST', '/store/_update_by_query?refresh=true', { query: { term: { k: 'dbq' } } });
    assert.equal(ubq.body.updated, 1);
    const dbq = await req<{ deleted: number }>('POST', '/store/_delete_by_query?refresh=true', { query: { term: { k: 'dbq' } } });
    assert.equal(dbq.body.deleted, 1);
  });

  it('needs a write index to write through an alias of several indexes, and one index to GET', async () => {
    await req('PUT', '/logs-1', { aliases: { logs: {} } });
    await req('PUT', '/logs-2', { aliases: { logs: {} } });
    const noWrite = await req<ErrorBody>('PUT', '/logs/_doc/1', { m: 1 });
    assert.equal(noWrite.status, 400);
    assert.equal(
      noWrite.body.error.reason,
      'no write index is defined for alias [logs]. The write index may be explicitly disabled using is_write_index=false or the alias points to multiple indices without one being designated as a write index',
    );
    const bulk = await req<{ items: { index: { _index: string; status: number } }[] }>('POST', '/_bulk', [{ index: { _index: 'logs', _id: '1' } }, { m: 1 }], true);
    assert.deepEqual([bulk.body.items[0].index._index, bulk.body.items[0].index.status], ['logs', 400]);
    await req('POST', '/_aliases', { actions: [{ add: { index: 'logs-2', alias: 'logs', is_write_index: true } }] });
    assert.equal((await req<Hit>('PUT', '/logs/_doc/1?refresh=true', { m: 1 })).body._index, 'logs-2');
    const get = await req<ErrorBody>('GET', '/logs/_doc/1');
    assert.deepEqual([get.status, get.body.error.reason], [400, "alias [logs] has more than one index associated with it [logs-1, logs-2], can't execute a single index op"]);
    assert.equal((await search('/logs/_search')).hits.total.value, 1);
    // is_write_index=false on the only index leaves the alias without a write index
    await req('PUT', '/solo', { aliases: { ro: { is_write_index: false } } });
    assert.equal((await req('PUT', '/ro/_doc/1', {})).status, 400);
  });

  it('routes writes and GETs through an alias with index routing, and refuses a conflicting routing', async () => {
    await req('PUT', '/people', { settings: { number_of_shards: 3 }, mappings: { properties: { team: { type: 'keyword' } } } });
    for (const [id, team] of [['1', 'red'], ['2', 'blue'], ['3', 'red']]) await req('PUT', `/people/_doc/${id}`, { team });
    await req('POST', '/_aliases', { actions: [{ add: { index: 'people', alias: 'r7', routing: '7' } }] });
    const routed = await req<Hit>('PUT', '/r7/_doc/9?refresh=true', { team: 'green' });
    assert.equal(routed.status, 201);
    assert.equal((await req<{ _routing: string }>('GET', '/people/_doc/9?routing=7')).body._routing, '7');
    assert.equal((await req('GET', '/r7/_doc/9')).status, 200);
    assert.equal((await req<{ docs: { found: boolean }[] }>('POST', '/_mget', { docs: [{ _index: 'r7', _id: '9' }] })).body.docs[0].found, true);
    const clash = await req<ErrorBody>('PUT', '/r7/_doc/10?routing=8', {});
    assert.equal(clash.body.error.reason, 'Alias [r7] has index routing associated with it [7], and was provided with routing value [8], rejecting operation');
    assert.equal((await req('DELETE', '/r7/_doc/9')).status, 200);
  });

  it('applies alias filters to searches and counts, and alias search routing to searches', async () => {
    await req('PUT', '/teams', { settings: { number_of_shards: 3 }, mappings: { properties: { team: { type: 'keyword' } } } });
    for (const [id, team] of [['1', 'red'], ['2', 'blue'], ['3', 'red']]) await req('PUT', `/teams/_doc/${id}`, { team });
    await req('PUT', '/teams/_doc/9?routing=7', { team: 'green' });
    await req('POST', '/_aliases', { actions: [{ add: { index: 'teams', alias: 'reds', filter: { term: { team: 'red' } } } }, { add: { index: 'teams', alias: 't7', routing: '7' } }] });
    await req('POST', '/teams/_refresh');
    assert.deepEqual((await search('/reds/_search', { sort: ['_id'] })).hits.hits.map((h) => h._id), ['1', '3']);
    assert.equal((await req<{ count: number }>('POST', '/reds/_count', { query: { match_all: {} } })).body.count, 2);
    assert.equal((await search('/reds,teams/_search')).hits.total.value, 4, 'reached directly too: no filter');
    const ms = await req<{ responses: SearchBody[] }>('POST', '/_msearch', [{ index: 'reds' }, { query: { match_all: {} } }], true);
    assert.equal(ms.body.responses[0].hits.total.value, 2);
    const shardOf7 = ['1', '2', '3', '9'].filter((id) => shardFor(id === '9' ? '7' : id, 3) === shardFor('7', 3));
    assert.ok(shardOf7.length < 4, 'some documents live on other shards');
    assert.deepEqual((await search('/t7/_search')).hits.hits.map((h) => h._id).sort(), shardOf7, 'the alias searches the shard of its routing only');
    const dbq = await req<{ deleted: number }>('POST', '/reds/_delete_by_query?refresh=true', { query: { match_all: {} } });
    assert.equal(dbq.body.deleted, 2, 'by-query requests honour the alias filter');
    const bad = await req<ErrorBody>('POST', '/_aliases', { actions: [{ add: { index: 'teams', alias: 'broken', filter: { nope: {} } } }] });
    assert.deepEqual([bad.status, bad.body.error.reason], [400, 'failed to parse filter for alias [broken]']);
  });
});
