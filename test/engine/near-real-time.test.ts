import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEngine, type RunningEngine } from '../../src/engine/engine.ts';
import { call } from '../helpers/http.ts';

interface SearchBody {
  hits: { total: { value: number }; hits: { _id: string }[] };
}

describe('engine near-real-time search', () => {
  let engine: RunningEngine;
  const count = async (index: string): Promise<number> =>
    (await call<SearchBody>(engine.url, 'GET', `/${index}/_search`)).body.hits.total.value;

  before(async () => {
    engine = await startEngine({ port: 0 });
    await call(engine.url, 'PUT', '/manual', { settings: { refresh_interval: '-1' } });
  });
  after(() => engine.close());

  it('hides unrefreshed writes from search while GET is realtime', async () => {
    await call(engine.url, 'PUT', '/manual/_doc/1', { t: 'a' });
    assert.equal(await count('manual'), 0);
    const get = await call(engine.url, 'GET', '/manual/_doc/1');
    assert.equal(get.status, 200);
    assert.equal((await call(engine.url, 'GET', '/manual/_doc/1?realtime=false')).status, 404);
  });

  it('shows writes after POST _refresh', async () => {
    await call(engine.url, 'POST', '/manual/_refresh');
    assert.equal(await count('manual'), 1);
  });

  it('refresh=true forces a refresh and says so; refresh=wait_for returns once visible', async () => {
    const forced = await call(engine.url, 'PUT', '/manual/_doc/2?refresh=true', { t: 'b' });
    assert.equal(forced.body.forced_refresh, true);
    assert.equal(await count('manual'), 2);
    const waited = await call(engine.url, 'PUT', '/manual/_doc/3?refresh=wait_for', { t: 'c' });
    assert.equal(waited.body.forced_refresh, undefined);
    assert.equal(await count('manual'), 3);
  });

  it('refreshes on the default 1 s interval', async () => {
    const created = Date.now();
    await call(engine.url, 'PUT', '/auto/_doc/1', { t: 'a' });
    const before = await count('auto');
    // Invisible until the first refresh, a second after the index was created (unless a loaded
    // machine took that long to get here: then the refresh may rightly have happened).
    if (Date.now() - created < 900) assert.equal(before, 0);
    let seen = before;
    for (const deadline = Date.now() + 10_000; seen === 0 && Date.now() < deadline; ) {
      await sleep(100);
      seen = await count('auto');
    }
    assert.equal(seen, 1);
  });
});
