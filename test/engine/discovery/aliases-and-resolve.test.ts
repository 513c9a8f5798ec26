import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, type RunningEngine } from '../../../src/engine/engine.ts';
import { call } from '../../helpers/http.ts';

// An engine without aliases or data streams answers these like an OpenSearch cluster without any.
describe('engine _alias and _resolve/index', () => {
  let engine: RunningEngine;
  const get = (path: string) => call<Record<string, unknown>>(engine.url, 'GET', path);

  before(async () => {
    engine = await startEngine({ port: 0 });
    await call(engine.url, 'PUT', '/logs-1');
    await call(engine.url, 'PUT', '/logs-2', { settings: { 'index.hidden': true } });
    await call(engine.url, 'PUT', '/other');
  });
  after(() => engine.close());

  it('lists every index with empty aliases when no alias name is given', async () => {
    assert.deepEqual((await get('/_alias')).body, { 'logs-1': { aliases: {} }, 'logs-2': { aliases: {} }, other: { aliases: {} } });
    assert.deepEqual((await get('/other/_alias')).body, { other: { aliases: {} } });
    assert.equal((await get('/nope/_alias')).status, 404);
  });

  it('answers 404 {error, status} for explicitly named aliases, {} for wildcards', async () => {
    const one = await get('/_alias/current');
    assert.deepEqual([one.status, one.body], [404, { error: 'alias [current] missing', status: 404 }]);
    const two = await get('/logs-1/_alias/b,a');
    assert.deepEqual([two.status, two.body], [404, { error: 'aliases [a,b] missing', status: 404 }]);
    const wild = await get('/_alias/cur*');
    assert.deepEqual([wild.status, wild.body], [200, {}]);
    assert.equal((await call(engine.url, 'HEAD', '/_alias/current')).status, 404);
  });

  it('resolves names and patterns to indices with attributes; missing names are just absent', async () => {
    const res = await get('/_resolve/index/logs-*,other,missing');
    assert.deepEqual(res.body, {
      indices: [{ name: 'logs-1', attributes: ['open'] }, { name: 'logs-2', attributes: ['hidden', 'open'] }, { name: 'other', attributes: ['open'] }],
      aliases: [],
      data_streams: [],
    });
    assert.deepEqual((await get('/_resolve/index/missing')).body, { indices: [], aliases: [], data_streams: [] });
  });
});
