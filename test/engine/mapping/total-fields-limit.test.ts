import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, type RunningEngine } from '../../../src/engine/engine.ts';
import { call } from '../../helpers/http.ts';

type Body = Record<string, unknown> & { error?: { type: string; reason: string } };
interface BulkItem {
  status: number;
  error?: { type: string; reason: string };
}
const LIMIT_KEY = 'index.mapping.total_fields.limit';

// index.mapping.total_fields.limit as MappingLookup.checkFieldLimit enforces it on every mapping update.
describe('engine index.mapping.total_fields.limit', () => {
  let engine: RunningEngine;
  const fieldNames = async (index: string): Promise<string[]> => {
    const res = await call<Record<string, { mappings: { properties?: Record<string, unknown> } }>>(engine.url, 'GET', `/${index}/_mapping`);
    return Object.keys(res.body[index].mappings.properties ?? {});
  };

  before(async () => {
    engine = await startEngine({ port: 0 });
  });
  after(() => engine.close());

  it('counts multi-fields and objects, and fails a dynamic update past the limit with a 400', async () => {
    await call(engine.url, 'PUT', '/lim', { settings: { [LIMIT_KEY]: 4 } });
    assert.equal((await call(engine.url, 'PUT', '/lim/_doc/1', { title: 'x' })).status, 201); // title + title.keyword
    assert.equal((await call(engine.url, 'PUT', '/lim/_doc/2', { o: { p: 1 } })).status, 201); // o + o.p
    const over = await call<Body>(engine.url, 'PUT', '/lim/_doc/3', { n: 1 });
    assert.equal(over.status, 400);
    assert.deepEqual(over.body.error, {
      root_cause: [{ type: 'illegal_argument_exception', reason: 'Limit of total fields [4] has been exceeded' }],
      type: 'illegal_argument_exception',
      reason: 'Limit of total fields [4] has been exceeded',
    });
    assert.equal((await call(engine.url, 'GET', '/lim/_doc/3')).status, 404);
    assert.deepEqual(await fieldNames('lim'), ['o', 'title']);
    assert.equal((await call(engine.url, 'PUT', '/lim/_doc/4', { title: 'known fields only', o: { p: 2 } })).status, 201);
  });

  it('fails only the bulk item that would exceed it', async () => {
    const lines = [{ index: { _index: 'lim', _id: 'b1' } }, { brand_new: true }, { index: { _index: 'lim', _id: 'b2' } }, { title: 'fine' }];
    const res = await call<{ errors: boolean; items: Record<string, BulkItem>[] }>(engine.url, 'POST', '/_bulk', lines, { ndjson: true });
    assert.equal(res.body.errors, true);
    const [first, second] = res.body.items.map((i) => i.index);
    assert.equal(first.status, 400);
    assert.equal(first.error?.type, 'illegal_argument_exception');
    assert.equal(first.error?.reason, 'Limit of total fields [4] has been exceeded');
    assert.equal(second.status, 201);
  });

  it('applies to explicit mappings: put mapping and create index', async () => {
    const put = await call<Body>(engine.url, 'PUT', '/lim/_mapping', { properties: { extra: { type: 'keyword' } } });
    assert.equal(put.status, 400);
    assert.equal(put.body.error?.reason, 'Limit of total fields [4] has been exceeded');
    const create = await call<Body>(engine.url, 'PUT', '/lim-create', {
      settings: { index: { mapping: { total_fields: { limit: 1 } } } },
      mappings: { properties: { a: { type: 'long' }, b: { type: 'long' } } },
    });
    assert.equal(create.status, 400);
    assert.equal(create.body.error?.reason, 'Limit of total fields [1] has been exceeded');
    assert.equal((await call(engine.url, 'HEAD', '/lim-create')).status, 404);
  });

  it('is a dynamic index setting: raising it lets the update through, GET _settings shows it', async () => {
    const raise = await call<Body>(engine.url, 'PUT', '/lim/_settings', { index: { mapping: { total_fields: { limit: 10 } } } });
    assert.equal(raise.status, 200);
    assert.equal((await call(engine.url, 'PUT', '/lim/_doc/3', { n: 1 })).status, 201);
    const got = await call<Record<string, { settings: Record<string, unknown> }>>(engine.url, 'GET', '/lim/_settings?flat_settings=true');
    assert.equal(got.body.lim.settings[LIMIT_KEY], '10');
    const bad = await call<Body>(engine.url, 'PUT', '/lim/_settings', { [LIMIT_KEY]: -1 });
    assert.deepEqual([bad.status, bad.body.error?.reason], [400, `Failed to parse value [-1] for setting [${LIMIT_KEY}] must be >= 0`]);
    const text = await call<Body>(engine.url, 'PUT', '/lim/_settings', { [LIMIT_KEY]: 'many' });
    assert.deepEqual([text.status, text.body.error?.reason], [400, `Failed to parse value [many] for setting [${LIMIT_KEY}]`]);
  });

  it('defaults to 1000 fields', async () => {
    const doc = (from: number, count: number): Record<string, number> => Object.fromEntries(Array.from({ length: count }, (_, i) => [`f${from + i}`, i]));
    assert.equal((await call(engine.url, 'PUT', '/lim-default/_doc/1', doc(0, 1000))).status, 201);
    const over = await call<Body>(engine.url, 'PUT', '/lim-default/_doc/2', doc(1000, 1));
    assert.deepEqual([over.status, over.body.error?.reason], [400, 'Limit of total fields [1000] has been exceeded']);
  });
});
