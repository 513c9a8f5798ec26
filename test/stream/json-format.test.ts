import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFilterPath } from '../../src/engine/rest/filter-path.ts';
import { prettyJson } from '../../src/engine/rest/pretty-json.ts';
import { parseFilterPath } from '../../src/stream/filter-path.ts';
import { JsonFormatter } from '../../src/stream/json-format.ts';

/*
 * The proxy's streaming filter_path/pretty formatter writes what OpenSearch writes for the same
 * body (the engine's whole-body implementation, which mirrors OpenSearch's, is the reference),
 * whatever the chunking.
 */

const DOCS: unknown[] = [
  { took: 3, timed_out: false, _shards: { total: 1, failures: [] }, hits: { total: { value: 2, relation: 'eq' }, max_score: 1.5, hits: [{ _index: 'o', _id: '1', _source: { a: 1, b: { c: 'x', d: [1, 2, { e: null }] } } }, { _index: 'o', _id: '2', _source: {} }] }, aggregations: { x: { buckets: [] } } },
  [1, 2, 3], { a: {} }, { 'we"ird\\key': { 'é': 1 } }, { a: [], b: [[], [{}]] }, { s: 'a "quoted" \\ string \u00e9 \ud83d\ude00', n: -1.5e-7, t: true, f: false, z: null },
];
const FILTERS = [undefined, 'hits.total', 'took,hits.hits._id', '-hits.hits._source', 'hits.hits._source.b.d.e', '**._id', 'nothing', 'hits.*.value', '-took,-hits', 'hits.hits._source,-hits.hits._source.b', '_shards.failures', 'aggregations.**', '*', 'a', 'b', 'we"ird\\key', '**.e', 'hits.hits', 's,n', '-s'];

function formatInChunks(text: string, filter: string | undefined, pretty: boolean, chunk: number): string {
  const f = new JsonFormatter({ filter: parseFilterPath(filter), pretty });
  const bytes = Buffer.from(text);
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) out.push(...f.push(Buffer.from(bytes.subarray(i, i + chunk))));
  out.push(...f.end());
  return Buffer.concat(out).toString('utf8');
}

describe('the streaming filter_path / pretty formatter', () => {
  it('writes exactly what a whole-body filter and Jackson’s pretty printer write, in any chunking', () => {
    let cases = 0;
    for (const doc of DOCS) {
      for (const filter of FILTERS) {
        for (const pretty of [false, true]) {
          const filtered = filter === undefined ? doc : applyFilterPath(doc as never, filter);
          const expected = pretty ? prettyJson(filtered as never) : JSON.stringify(filtered);
          for (const chunk of [1, 2, 7, 4096]) {
            assert.equal(formatInChunks(JSON.stringify(doc), filter, pretty, chunk), expected, `${JSON.stringify(filter)} pretty=${pretty} chunk=${chunk}`);
            cases++;
          }
        }
      }
    }
    assert.ok(cases > 900);
  });

  it('knows OpenSearch’s shapes by heart', () => {
    const body = JSON.stringify({ took: 1, hits: { total: { value: 3 }, hits: [{ _id: 'a' }] } });
    assert.equal(JsonFormatter.format(Buffer.from(body), { filter: parseFilterPath('hits.total') }).toString(), '{"hits":{"total":{"value":3}}}');
    assert.equal(JsonFormatter.format(Buffer.from(body), { filter: parseFilterPath('nothing') }).toString(), '{}');
    assert.equal(JsonFormatter.format(Buffer.from('{"a":[],"b":{}}'), { pretty: true }).toString(), '{\n  "a" : [ ],\n  "b" : { }\n}\n');
    // Upstream whitespace is not kept.
    assert.equal(JsonFormatter.format(Buffer.from('{ "a" : [ 1 , 2 ] }'), {}).toString(), '{"a":[1,2]}');
  });

  it('fails on invalid or truncated JSON, and on a value over the cap', () => {
    assert.throws(() => JsonFormatter.format(Buffer.from('{"a":1'), {}), /ended inside a value/);
    assert.throws(() => JsonFormatter.format(Buffer.from('{"a" 1}'), {}), /unexpected byte/);
    assert.throws(() => JsonFormatter.format(Buffer.from(`{"a":"${'x'.repeat(100)}"}`), { maxValueBytes: 50 }), /larger than 50 bytes/);
  });
});
