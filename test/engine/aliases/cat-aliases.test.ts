import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, type RunningEngine } from '../../../src/engine/engine.ts';
import { call } from '../../helpers/http.ts';

// _cat/aliases as RestAliasAction builds its table.
describe('engine _cat/aliases', () => {
  let engine: RunningEngine;

  before(async () => {
    engine = await startEngine({ port: 0 });
    await call(engine.url, 'PUT', '/i1', { aliases: { plain: {}, fancy: { filter: { term: { a: 'b' } }, index_routing: '1', search_routing: '2,3', is_write_index: true } } });
    await call(engine.url, 'PUT', '/i2', { aliases: { plain: {} } });
  });
  after(() => engine.close());

  it('lists one row per alias and index with - for unset properties', async () => {
    const res = await call<Record<string, string>[]>(engine.url, 'GET', '/_cat/aliases?format=json&s=alias,index');
    assert.deepEqual(res.body, [
      { alias: 'fancy', index: 'i1', filter: '*', 'routing.index': '1', 'routing.search': '2,3', is_write_index: 'true' },
      { alias: 'plain', index: 'i1', filter: '-', 'routing.index': '-', 'routing.search': '-', is_write_index: '-' },
      { alias: 'plain', index: 'i2', filter: '-', 'routing.index': '-', 'routing.search': '-', is_write_index: '-' },
    ]);
  });

  it('filters by alias name or pattern and answers an empty table for unknown names', async () => {
    const one = await call<Record<string, string>[]>(engine.url, 'GET', '/_cat/aliases/fan*?format=json&h=alias,index');
    assert.deepEqual(one.body, [{ alias: 'fancy', index: 'i1' }]);
    const none = await call(engine.url, 'GET', '/_cat/aliases/nope?v');
    assert.deepEqual([none.status, none.text.split('\n')[0].split(/\s+/)], [200, ['alias', 'index', 'filter', 'routing.index', 'routing.search', 'is_write_index']]);
  });
});
