import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, type RunningEngine } from '../../../src/engine/engine.ts';
import { call } from '../../helpers/http.ts';

type Props = Record<string, Record<string, unknown>>;
type Body = Record<string, unknown> & { error?: { type: string; reason: string; root_cause: { type: string; reason: string }[]; caused_by?: { type: string } } };
const TEXT = { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } };

// Root mapping parameters date_detection, numeric_detection and dynamic_date_formats (RootObjectMapper,
// DocumentParser.createBuilderFromDynamicValue).
describe('engine dynamic field detection', () => {
  let engine: RunningEngine;
  const mapping = async (index: string): Promise<Record<string, unknown> & { properties: Props }> => {
    const res = await call<Record<string, { mappings: Record<string, unknown> & { properties: Props } }>>(engine.url, 'GET', `/${index}/_mapping`);
    return res.body[index].mappings;
  };
  const sample = { iso: '2015-01-01', month: '2015-01', slash: '2015/09/02', spaced: '2015-01-01 12:00:00', n: '42', f: '1.5', e: '1e3', t: 'hello' };

  before(async () => {
    engine = await startEngine({ port: 0 });
  });
  after(() => engine.close());

  it('detects dates by default with the two default dynamic formats, never numbers', async () => {
    await call(engine.url, 'PUT', '/dd-default/_doc/1?refresh=true', sample);
    const m = await mapping('dd-default');
    assert.deepEqual(m.properties.iso, { type: 'date' });
    assert.deepEqual(m.properties.month, { type: 'date' });
    assert.deepEqual(m.properties.slash, { type: 'date', format: 'yyyy/MM/dd HH:mm:ss||yyyy/MM/dd||epoch_millis' });
    for (const k of ['spaced', 'n', 'f', 'e', 't']) assert.deepEqual(m.properties[k], TEXT, k);
    assert.deepEqual(Object.keys(m.properties), ['e', 'f', 'iso', 'month', 'n', 'slash', 'spaced', 't']);
    const hits = await call<{ hits: { total: { value: number } } }>(engine.url, 'POST', '/dd-default/_search', {
      query: { range: { slash: { gte: '2015/09/01', lte: '2015/09/03' } } },
    });
    assert.equal(hits.body.hits.total.value, 1);
  });

  it('maps date-looking strings as text with date_detection false', async () => {
    await call(engine.url, 'PUT', '/dd-off', { mappings: { date_detection: false } });
    await call(engine.url, 'PUT', '/dd-off/_doc/1', sample);
    const m = await mapping('dd-off');
    assert.equal(m.date_detection, false);
    for (const k of ['iso', 'month', 'slash']) assert.deepEqual(m.properties[k], TEXT, k);
  });

  it('maps numeric strings as long/float with numeric_detection true (dates still detected)', async () => {
    await call(engine.url, 'PUT', '/dd-num', { mappings: { numeric_detection: 'true' } });
    const put = await call<Body>(engine.url, 'PUT', '/dd-num/_doc/1', sample);
    assert.equal(put.status, 201);
    const m = await mapping('dd-num');
    assert.equal(m.numeric_detection, true);
    assert.deepEqual([m.properties.n, m.properties.f, m.properties.e], [{ type: 'long' }, { type: 'float' }, { type: 'float' }]);
    assert.deepEqual(m.properties.iso, { type: 'date' });
    assert.deepEqual(m.properties.t, TEXT);
  });

  it('uses custom dynamic_date_formats only, and a put mapping can switch detection off later', async () => {
    await call(engine.url, 'PUT', '/dd-custom', { mappings: { dynamic_date_formats: 'MM/dd/yyyy' } });
    await call(engine.url, 'PUT', '/dd-custom/_doc/1', { us: '12/31/2020', iso: '2015-01-01' });
    let m = await mapping('dd-custom');
    assert.deepEqual(m.dynamic_date_formats, ['MM/dd/yyyy']);
    assert.deepEqual(m.properties.us, { type: 'date', format: 'MM/dd/yyyy' });
    assert.deepEqual(m.properties.iso, TEXT);
    const off = await call<Body>(engine.url, 'PUT', '/dd-custom/_mapping', { date_detection: false });
    assert.equal(off.status, 200);
    await call(engine.url, 'PUT', '/dd-custom/_doc/2', { later: '01/02/2021' });
    m = await mapping('dd-custom');
    assert.deepEqual(m.properties.later, TEXT);
  });

  it('honours dynamic false (unmapped, kept in _source) and renders dynamic as a string', async () => {
    await call(engine.url, 'PUT', '/dd-false', { mappings: { dynamic: false, properties: { a: { type: 'keyword' } } } });
    const put = await call<Body>(engine.url, 'PUT', '/dd-false/_doc/1?refresh=true', { a: 'x', b: 'y' });
    assert.equal(put.status, 201);
    const m = await mapping('dd-false');
    assert.equal(m.dynamic, 'false');
    assert.deepEqual(Object.keys(m.properties), ['a']);
    const doc = await call<{ _source: Record<string, unknown> }>(engine.url, 'GET', '/dd-false/_doc/1');
    assert.equal(doc.body._source.b, 'y');
  });

  it('refuses bad root parameters with the wrapped mapper_parsing_exception', async () => {
    const bool = await call<Body>(engine.url, 'PUT', '/dd-bad', { mappings: { date_detection: 'yes' } });
    assert.equal(bool.status, 400);
    assert.equal(bool.body.error?.type, 'mapper_parsing_exception');
    assert.equal(bool.body.error?.reason, 'Failed to parse mapping [_doc]: Could not convert [date_detection] to boolean');
    assert.equal(bool.body.error?.root_cause[0].type, 'mapper_parsing_exception');
    assert.equal(bool.body.error?.caused_by?.type, 'illegal_argument_exception');
    const epoch = await call<Body>(engine.url, 'PUT', '/dd-bad', { mappings: { dynamic_date_formats: ['epoch_millis'] } });
    assert.equal(epoch.status, 400);
    assert.equal(epoch.body.error?.root_cause[0].reason, 'Epoch [epoch_millis] is not supported as dynamic date format');
    assert.equal((await call(engine.url, 'HEAD', '/dd-bad')).status, 404);
  });
});
