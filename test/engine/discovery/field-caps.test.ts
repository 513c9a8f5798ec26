import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, type RunningEngine } from '../../../src/engine/engine.ts';
import { call } from '../../helpers/http.ts';

type Caps = Record<string, Record<string, Record<string, unknown>>>;
interface FieldCaps {
  indices: string[];
  fields: Caps;
  error?: { type: string; reason: string };
}

// _field_caps as TransportFieldCapabilitiesIndexAction + FieldCapabilities.Builder answer it.
describe('engine _field_caps', () => {
  let engine: RunningEngine;
  const caps = (path: string, body?: unknown) => call<FieldCaps>(engine.url, body === undefined ? 'GET' : 'POST', path, body);

  before(async () => {
    engine = await startEngine({ port: 0 });
    await call(engine.url, 'PUT', '/fc-a', {
      mappings: { properties: { title: { type: 'text', fields: { raw: { type: 'keyword' } } }, n: { type: 'long', meta: { unit: 'ms' } }, user: { properties: { name: { type: 'keyword' } } } } },
    });
    await call(engine.url, 'PUT', '/fc-b', { mappings: { properties: { n: { type: 'keyword', index: false }, ts: { type: 'date' } } } });
    await call(engine.url, 'PUT', '/fc-b/_doc/1?refresh=true', { n: 'x', ts: '2024-01-01' });
  });
  after(() => engine.close());

  it('answers indices and fields with type, searchable, aggregatable (and meta) per field and type', async () => {
    const res = await caps('/fc-a/_field_caps?fields=title*,n,user.*');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      indices: ['fc-a'],
      fields: {
        n: { long: { type: 'long', searchable: true, aggregatable: true, meta: { unit: ['ms'] } } },
        title: { text: { type: 'text', searchable: true, aggregatable: false } },
        'title.raw': { keyword: { type: 'keyword', searchable: true, aggregatable: true } },
        user: { object: { type: 'object', searchable: false, aggregatable: false } },
        'user.name': { keyword: { type: 'keyword', searchable: true, aggregatable: true } },
      },
    });
  });

  it('lists the indices of each type when a field has several types (and with include_unmapped)', async () => {
    const res = await caps('/fc-*/_field_caps?fields=n');
    assert.deepEqual(res.body.indices, ['fc-a', 'fc-b']);
    assert.deepEqual(res.body.fields.n, {
      long: { type: 'long', searchable: true, aggregatable: true, indices: ['fc-a'], meta: { unit: ['ms'] } },
      keyword: { type: 'keyword', searchable: false, aggregatable: true, indices: ['fc-b'] },
    });
    const mixed = await caps('/_field_caps?fields=ts&include_unmapped=true');
    assert.deepEqual(mixed.body.fields.ts, {
      date: { type: 'date', searchable: true, aggregatable: true, indices: ['fc-b'] },
      unmapped: { type: 'unmapped', searchable: false, aggregatable: false, indices: ['fc-a'] },
    });
  });

  it('reports metadata fields for patterns that match them', async () => {
    const res = await caps('/fc-a/_field_caps?fields=_*');
    assert.deepEqual(res.body.fields._seq_no, { _seq_no: { type: '_seq_no', searchable: true, aggregatable: true } });
    assert.deepEqual(res.body.fields._source, { _source: { type: '_source', searchable: false, aggregatable: false } });
    assert.deepEqual(res.body.fields._id, { _id: { type: '_id', searchable: true, aggregatable: true } });
    assert.equal(res.body.fields.title, undefined);
  });

  it('takes an index_filter body and validates like OpenSearch', async () => {
    const filtered = await caps('/fc-*/_field_caps?fields=n', { index_filter: { range: { ts: { gte: '2023-01-01' } } } });
    assert.deepEqual(filtered.body.indices, ['fc-b']);
    const none = await caps('/fc-a/_field_caps');
    assert.deepEqual([none.status, none.body.error?.reason], [400, "Validation Failed: 1: specified fields can't be null or empty;"]);
    const bad = await caps('/fc-a/_field_caps?fields=n', { fields: ['n'] });
    assert.deepEqual([bad.status, bad.body.error?.reason], [400, 'request does not support [fields]']);
    const missing = await caps('/nope/_field_caps?fields=n');
    assert.equal(missing.status, 404);
  });
});
