import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call } from '../../helpers/http.ts';
import { spawnEngine } from '../../helpers/engine-process.ts';

const EXPECTED = {
  'store-1': { aliases: {} },
  'store-2': { aliases: { store: { is_write_index: true }, reds: { filter: { term: { k: 'red' } } } } },
};

// Aliases are cluster metadata: with --data they survive restarts like indexes and documents.
describe('engine alias persistence with --data', () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** Creates indexes and aliases, moves the alias with remove_index in the mix, and writes through it. */
  async function populate(url: string): Promise<void> {
    await call(url, 'PUT', '/store-1', { aliases: { store: {} } });
    await call(url, 'PUT', '/store-2');
    await call(url, 'PUT', '/old');
    const swap = await call(url, 'POST', '/_aliases', {
      actions: [
        { remove: { index: 'store-1', alias: 'store' } },
        { add: { index: 'store-2', alias: 'store', is_write_index: true } },
        { add: { index: 'store-2', alias: 'reds', filter: { term: { k: 'red' } } } },
        { remove_index: { index: 'old' } },
      ],
    });
    assert.equal(swap.status, 200);
    assert.equal((await call(url, 'PUT', '/store/_doc/1?require_alias=true', { k: 'red' })).status, 201);
  }

  async function check(url: string): Promise<void> {
    assert.deepEqual((await call(url, 'GET', '/_alias')).body, EXPECTED);
    assert.equal((await call(url, 'HEAD', '/old')).status, 404);
    const doc = await call<{ _index: string }>(url, 'GET', '/store/_doc/1');
    assert.equal(doc.body._index, 'store-2');
    assert.equal((await call(url, 'PUT', '/store/_doc/2?require_alias=true', { k: 'blue' })).status, 201);
  }

  for (const stop of ['stop', 'kill'] as const) {
    it(`keeps aliases across ${stop === 'stop' ? 'a clean restart (snapshot)' : 'kill -9 (write-ahead log replay)'}`, async () => {
      const data = mkdtempSync(join(tmpdir(), 'osproxy-engine-alias-'));
      dirs.push(data);
      const first = await spawnEngine(['--data', data]);
      await populate(first.url);
      await (stop === 'stop' ? first.stop() : first.kill());
      const second = await spawnEngine(['--data', data]);
      try {
        await check(second.url);
      } finally {
        await second.stop();
      }
    });
  }
});
