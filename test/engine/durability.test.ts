import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call } from '../helpers/http.ts';
import { spawnEngine } from '../helpers/engine-process.ts';

interface GetBody {
  found: boolean;
  _source?: Record<string, unknown>;
  _version?: number;
  _seq_no?: number;
}

describe('engine persistence with --data', () => {
  const dirs: string[] = [];
  const newDir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'osproxy-engine-'));
    dirs.push(d);
    return d;
  };
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('keeps every acknowledged write across a clean restart', async () => {
    const data = newDir();
    const first = await spawnEngine(['--data', data]);
    await call(first.url, 'PUT', '/keep', { mappings: { properties: { code: { type: 'keyword' } } } });
    await call(first.url, 'PUT', '/keep/_doc/a', { code: 'A', n: 1 });
    await call(first.url, 'PUT', '/keep/_doc/a', { code: 'A', n: 2 });
    await call(first.url, 'PUT', '/keep/_doc/b', { code: 'B' });
    await call(first.url, 'DELETE', '/keep/_doc/b');
    await call(first.url, 'POST', '/keep/_update/a', { doc: { extra: true } });
    const lines = Array.from({ length: 50 }, (_, i) => [{ index: { _index: 'keep', _id: `bulk-${i}` } }, { i }]).flat();
    await call(first.url, 'POST', '/_bulk', lines, { ndjson: true });
    const before = await call<GetBody>(first.url, 'GET', '/keep/_doc/a');
    await first.stop();

    const second = await spawnEngine(['--data', data]);
    try {
      const a = await call<GetBody>(second.url, 'GET', '/keep/_doc/a');
      assert.deepEqual(a.body._source, { code: 'A', n: 2, extra: true });
      assert.equal(a.body._version, before.body._version);
      assert.equal((await call(second.url, 'GET', '/keep/_doc/b')).status, 404);
      const count = await call<{ count: number }>(second.url, 'GET', '/keep/_count');
      assert.equal(count.body.count, 51);
      const mapping = await call<Record<string, { mappings: { properties: Record<string, { type: string }> } }>>(second.url, 'GET', '/keep/_mapping');
      assert.equal(mapping.body.keep.mappings.properties.code.type, 'keyword');
      const next = await call<{ _seq_no: number }>(second.url, 'PUT', '/keep/_doc/c', { code: 'C' });
      assert.ok(next.body._seq_no > (before.body._seq_no ?? 0), 'sequence numbers continue after restart');
    } finally {
      await second.stop();
    }
  });

  it('keeps every acknowledged write across kill -9', async () => {
    const data = newDir();
    const first = await spawnEngine(['--data', data]);
    const acked: string[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await call(first.url, 'PUT', `/crash/_doc/${i}`, { i });
      if (res.status === 201) acked.push(String(i));
    }
    const bulk = Array.from({ length: 100 }, (_, i) => [{ create: { _index: 'crash', _id: `b${i}` } }, { i }]).flat();
    const bulkRes = await call<{ errors: boolean }>(first.url, 'POST', '/_bulk', bulk, { ndjson: true });
    assert.equal(bulkRes.body.errors, false);
    await call(first.url, 'DELETE', '/crash/_doc/0');
    await first.kill();

    const second = await spawnEngine(['--data', data]);
    try {
      const ids = [...acked.slice(1), ...Array.from({ length: 100 }, (_, i) => `b${i}`)];
      const mget = await call<{ docs: { found: boolean; _id: string }[] }>(second.url, 'POST', '/crash/_mget', { ids });
      const missing = mget.body.docs.filter((d) => !d.found).map((d) => d._id);
      assert.deepEqual(missing, []);
      assert.equal((await call(second.url, 'GET', '/crash/_doc/0')).status, 404, 'the acknowledged delete survives too');
    } finally {
      await second.stop();
    }
  });
});
