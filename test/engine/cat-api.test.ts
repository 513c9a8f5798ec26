import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, type RunningEngine } from '../../src/engine/engine.ts';
import { call } from '../helpers/http.ts';

type Row = Record<string, string | null>;
type ErrorBody = { error: { type: string; reason: string }; status: number };

// _cat/indices and _cat/count as RestTable renders them (h, s, v, bytes, format, help) and RestIndicesAction filters them.
describe('engine _cat/indices and _cat/count', () => {
  let engine: RunningEngine;
  const cat = <T = Row[]>(path: string) => call<T>(engine.url, 'GET', path);

  before(async () => {
    engine = await startEngine({ port: 0 });
    await call(engine.url, 'PUT', '/cat-a', { settings: { number_of_shards: 2, number_of_replicas: 0 } });
    await call(engine.url, 'PUT', '/cat-b', { settings: { number_of_replicas: 1, refresh_interval: '-1' } });
    for (let i = 0; i < 3; i++) await call(engine.url, 'PUT', `/cat-a/_doc/${i}`, { n: i, text: 'x'.repeat(400) });
    await call(engine.url, 'POST', '/cat-a/_refresh');
    await call(engine.url, 'PUT', '/cat-b/_doc/1?refresh=true', { n: 1 });
    await call(engine.url, 'PUT', '/cat-b/_doc/2', { n: 2 }); // not refreshed: not in docs.count yet
  });
  after(() => engine.close());

  it('selects columns with h (names, aliases, wildcards) and answers JSON strings', async () => {
    const res = await cat('/_cat/indices?format=json&h=index,health,dc,pri,rep&s=index');
    assert.deepEqual(res.body, [
      { index: 'cat-a', health: 'green', dc: '3', pri: '2', rep: '0' },
      { index: 'cat-b', health: 'yellow', dc: '1', pri: '1', rep: '1' },
    ]);
    const wild = await cat('/_cat/indices/cat-a?format=json&h=docs.*');
    assert.deepEqual(wild.body, [{ 'docs.count': '3', 'docs.deleted': '0' }]);
    const all = await cat('/_cat/indices/cat-a?format=json');
    assert.deepEqual(Object.keys(all.body[0]), ['health', 'status', 'index', 'uuid', 'pri', 'rep', 'docs.count', 'docs.deleted', 'store.size', 'pri.store.size']);
    const pri = await cat('/_cat/indices/cat-a?format=json&h=index,store.size&pri&bytes=b');
    assert.deepEqual(Object.keys(pri.body[0]), ['index', 'store.size', 'pri.store.size']);
  });

  it('sorts with s (numerically, by size, :desc) and rejects an unknown key like OpenSearch', async () => {
    const byDocs = await cat('/_cat/indices?format=json&h=index,docs.count&s=docs.count:desc');
    assert.deepEqual(byDocs.body.map((r) => r.index), ['cat-a', 'cat-b']);
    const bySize = await cat('/_cat/indices?format=json&h=index&s=store.size');
    assert.deepEqual(bySize.body.map((r) => r.index), ['cat-b', 'cat-a']);
    const bad = await cat<ErrorBody>('/_cat/indices?s=nope');
    assert.equal(bad.status, 500);
    assert.equal(bad.body.error.reason, 'Unable to sort by unknown sort key `nope`');
  });

  it('renders sizes per bytes= and as ByteSizeValue.toString otherwise', async () => {
    const b = await cat('/_cat/indices/cat-a?format=json&h=store.size&bytes=b');
    const bytes = Number(b.body[0]['store.size']);
    assert.ok(bytes > 1024 && bytes < 2048, String(bytes));
    const kb = await cat('/_cat/indices/cat-a?format=json&h=store.size&bytes=kb');
    assert.equal(kb.body[0]['store.size'], String(Math.floor(bytes / 1024)));
    const human = await cat('/_cat/indices/cat-a?format=json&h=store.size');
    assert.match(human.body[0]['store.size'] ?? '', /^1(\.\d)?kb$/);
    const small = await cat('/_cat/indices/cat-b?format=json&h=store.size');
    assert.match(small.body[0]['store.size'] ?? '', /^\d+b$/);
  });

  it('filters by health, consistently with _cluster/health', async () => {
    const yellow = await cat('/_cat/indices?format=json&h=index&health=yellow');
    assert.deepEqual(yellow.body, [{ index: 'cat-b' }]);
    const green = await cat('/_cat/indices?format=json&h=index&health=green');
    assert.deepEqual(green.body, [{ index: 'cat-a' }]);
    const health = async (path: string) => (await call<{ status: string }>(engine.url, 'GET', path)).body.status;
    assert.equal(await health('/_cluster/health/cat-a'), 'green');
    assert.equal(await health('/_cluster/health/cat-b'), 'yellow');
    assert.equal(await health('/_cluster/health'), 'yellow');
    const bad = await cat<ErrorBody>('/_cat/indices?health=blue');
    assert.deepEqual([bad.status, bad.body.error.reason], [400, 'unknown cluster health status [blue]']);
  });

  it('aligns text like RestTable: numbers right, v adds the header line, the last column unpadded', async () => {
    const res = await cat<string>('/_cat/indices?v&h=index,docs.count,health&s=index');
    assert.equal(res.headers['content-type'], 'text/plain; charset=UTF-8');
    assert.equal(res.body, 'index docs.count health\ncat-a          3 green\ncat-b          1 yellow\n');
    const json = await call<Row[]>(engine.url, 'GET', '/_cat/indices/cat-a?h=index', undefined, { headers: { accept: 'application/json' } });
    assert.deepEqual(json.body, [{ index: 'cat-a' }]);
    const help = await cat<string>('/_cat/indices?help');
    assert.match(help.body.split('\n')[0], /^health +\| h +\| current health status/);
  });

  it('_cat/count takes h, v, format and ts', async () => {
    const res = await cat('/_cat/count?format=json');
    assert.deepEqual(Object.keys(res.body[0]), ['epoch', 'timestamp', 'count']);
    assert.equal(res.body[0].count, '4');
    assert.match(res.body[0].timestamp ?? '', /^\d{2}:\d{2}:\d{2}$/);
    assert.deepEqual((await cat('/_cat/count/cat-b?format=json&h=dc')).body, [{ dc: '1' }]);
    assert.deepEqual((await cat('/_cat/count/cat-a?format=json&ts=false')).body, [{ count: '3' }]);
    const text = await cat<string>('/_cat/count/cat-a?v&h=count');
    assert.equal(text.body, 'count\n3\n');
  });
});
