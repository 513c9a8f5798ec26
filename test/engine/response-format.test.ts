import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, type RunningEngine } from '../../src/engine/engine.ts';
import { call } from '../helpers/http.ts';

// filter_path and pretty apply to every JSON response (not to errors' filtering), as in OpenSearch.
describe('engine filter_path and pretty', () => {
  let engine: RunningEngine;
  const get = (path: string) => call<unknown>(engine.url, 'GET', path);

  before(async () => {
    engine = await startEngine({ port: 0 });
    await call(engine.url, 'PUT', '/fmt/_doc/1?refresh=true', { title: 'Drive', year: 2011 });
  });
  after(() => engine.close());

  it('filters a document GET, a mapping, search hits and _cat JSON', async () => {
    assert.deepEqual((await get('/fmt/_doc/1?filter_path=_source.title,found')).body, { found: true, _source: { title: 'Drive' } });
    assert.deepEqual((await get('/fmt/_mapping?filter_path=*.mappings.properties.year')).body, { fmt: { mappings: { properties: { year: { type: 'long' } } } } });
    assert.deepEqual((await get('/fmt/_search?filter_path=hits.hits._id,hits.total.value')).body, { hits: { total: { value: 1 }, hits: [{ _id: '1' }] } });
    assert.deepEqual((await get('/fmt/_search?filter_path=**._source')).body, { hits: { hits: [{ _source: { title: 'Drive', year: 2011 } }] } });
    assert.deepEqual((await get('/_cat/indices?format=json&filter_path=index')).body, [{ index: 'fmt' }]);
  });

  it('excludes paths given with a leading -', async () => {
    const res = await get('/fmt/_doc/1?filter_path=-_source,-_seq_no,-_primary_term,-_version');
    assert.deepEqual(res.body, { _index: 'fmt', _id: '1', found: true });
    const both = await get('/fmt/_search?filter_path=hits.hits,-hits.hits._source.year');
    assert.deepEqual(both.body, { hits: { hits: [{ _index: 'fmt', _id: '1', _score: 1, _source: { title: 'Drive' } }] } });
  });

  it('does not filter error responses', async () => {
    const res = await call<{ error: { type: string }; status: number }>(engine.url, 'GET', '/missing/_search?filter_path=hits');
    assert.equal(res.status, 404);
    assert.equal(res.body.error.type, 'index_not_found_exception');
    assert.equal(res.body.status, 404);
  });

  it('pretty-prints like Jackson (key : value, empty { } and [ ]) with a final newline', async () => {
    const res = await call(engine.url, 'GET', '/fmt/_doc/1?pretty&filter_path=_id,_source');
    assert.equal(res.text, '{\n  "_id" : "1",\n  "_source" : {\n    "title" : "Drive",\n    "year" : 2011\n  }\n}\n');
    const empty = await call(engine.url, 'POST', '/fmt/_search?pretty&filter_path=hits.hits', { query: { match_none: {} } });
    assert.equal(empty.text, '{\n  "hits" : {\n    "hits" : [ ]\n  }\n}\n');
    const cat = await call(engine.url, 'GET', '/_cat/count?format=json&h=count&pretty');
    assert.equal(cat.text, '[\n  {\n    "count" : "1"\n  }\n]\n');
    const plain = await call(engine.url, 'GET', '/fmt/_doc/1?filter_path=_id&pretty=false');
    assert.equal(plain.text, '{"_id":"1"}');
  });
});
