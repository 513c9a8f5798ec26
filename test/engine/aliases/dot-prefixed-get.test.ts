import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, type RunningEngine } from '../../../src/engine/engine.ts';
import { call } from '../../helpers/http.ts';

describe('GET _alias/{name} looks at every index, dot-prefixed ones included (strictExpandHidden)', () => {
  let engine: RunningEngine;
  before(async () => {
    engine = await startEngine({ port: 0 });
    assert.equal((await call(engine.url, 'PUT', '/.store-v1', { aliases: { '.store': {} } })).status, 200);
  });
  after(() => engine.close());

  it('finds the alias of a dot-prefixed index by its name', async () => {
    const res = await call(engine.url, 'GET', '/_alias/.store');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { '.store-v1': { aliases: { '.store': {} } } });
    assert.equal((await call(engine.url, 'HEAD', '/_alias/.store')).status, 200);
  });

  it('still answers 404 for a name no index has', async () => {
    const res = await call(engine.url, 'GET', '/_alias/.nothing');
    assert.equal(res.status, 404);
    assert.equal(res.body.error, 'alias [.nothing] missing');
  });
});
