import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, type RunningEngine } from '../../../src/engine/engine.ts';
import { call } from '../../helpers/http.ts';

// Shapes the proxy reads back from the engine: GET _settings (OpenSearch 2.17) and the PIT listing.
describe('engine _settings and PIT listing shapes', () => {
  let engine: RunningEngine;
  before(async () => {
    engine = await startEngine({ port: 0 });
    await call(engine.url, 'PUT', '/st', { settings: { number_of_shards: 2, refresh_interval: '5s' } });
  });
  after(() => engine.close());

  it('answers GET _settings like OpenSearch 2.17 (replication type, version.created) and filters by name', async () => {
    const res = await call<Record<string, { settings: { index: Record<string, unknown> } }>>(engine.url, 'GET', '/st/_settings');
    const index = res.body.st.settings.index;
    assert.deepEqual(index.replication, { type: 'DOCUMENT' });
    assert.deepEqual(index.version, { created: '136387827' });
    assert.equal(index.number_of_shards, '2');
    assert.equal(index.refresh_interval, '5s');
    assert.equal(index.provided_name, 'st');
    const named = await call<Record<string, unknown>>(engine.url, 'GET', '/st/_settings/index.number_*');
    assert.deepEqual(named.body, { st: { settings: { index: { number_of_shards: '2', number_of_replicas: '1' } } } });
    const flat = await call<Record<string, unknown>>(engine.url, 'GET', '/_settings/index.refresh_interval?flat_settings=true');
    assert.deepEqual(flat.body, { st: { settings: { 'index.refresh_interval': '5s' } } });
  });

  it('lists open PITs with pit_id, creation_time and keep_alive', async () => {
    const created = await call<{ pit_id: string; creation_time: number }>(engine.url, 'POST', '/st/_search/point_in_time?keep_alive=1m');
    const list = await call<{ pits: Record<string, unknown>[] }>(engine.url, 'GET', '/_search/point_in_time/_all');
    assert.deepEqual(list.body.pits, [{ pit_id: created.body.pit_id, creation_time: created.body.creation_time, keep_alive: 60000 }]);
  });
});
