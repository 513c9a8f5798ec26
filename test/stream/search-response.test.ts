import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  createMsearchResponseTransform,
  createSearchResponseTransform,
} from '../../src/stream/search-response.ts';
import type { JsonObject } from '../../src/core/json.ts';
import { StreamJsonError } from '../../src/stream/stream-json-error.ts';
import { seededRandom, splitEvery, splitRandomly, throughTransform } from './support.ts';

/** What the proxy does to a hit: map the physical index/id back, drop reserved fields. */
function tenantView(hit: JsonObject): JsonObject {
  const { _index, _id, _routing, ...rest } = hit;
  void _routing;
  const source = { ...(rest._source as JsonObject) };
  delete source._tenant;
  return { _index: String(_index).replace(/^shared-/, ''), _id: String(_id).replace(/^t1:/, ''), ...rest, _source: source };
}

const ENVELOPE_HEAD = '{"took":7,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},\n "hits":{"total":{"value":2,"relation":"eq"},"max_score":1.5,"hits":[ ';
const ENVELOPE_TAIL = ' ]},"aggregations":{"by_index":{"buckets":[{"key":"shared-1","doc_count":2,"hits":{"hits":[]}}]}}}';
const RAW_HITS = [
  '{"_index":"shared-1","_id":"t1:a","_routing":"t1","_score":1.5,"_source":{"_tenant":"t1","title":"\\"hits\\": {"}}',
  '{ "_index" : "shared-1", "_id" : "t1:b", "_score" : 0.5, "_source" : { "_tenant" : "t1", "t" : "é😀" } }',
];
const UPSTREAM = `${ENVELOPE_HEAD}${RAW_HITS.join(' ,\n')}${ENVELOPE_TAIL}`;
const EXPECTED =
  `${ENVELOPE_HEAD}` +
  '{"_index":"1","_id":"a","_score":1.5,"_source":{"title":"\\"hits\\": {"}} ,\n' +
  '{"_index":"1","_id":"b","_score":0.5,"_source":{"t":"é😀"}}' +
  `${ENVELOPE_TAIL}`;

describe('search response transform', () => {
  it('rewrites every hit and leaves the envelope bytes (including aggregations) unchanged', async () => {
    const out = await throughTransform([Buffer.from(UPSTREAM)], createSearchResponseTransform({ onHit: tenantView }));
    assert.equal(out, EXPECTED);
  });

  it('gives the same bytes for one-byte and random chunkings', async () => {
    const buf = Buffer.from(UPSTREAM);
    assert.equal(await throughTransform(splitEvery(buf, 1), createSearchResponseTransform({ onHit: tenantView })), EXPECTED);
    const random = seededRandom(3);
    for (let round = 0; round < 20; round++) {
      const chunks = splitRandomly(buf, random, 40);
      assert.equal(await throughTransform(chunks, createSearchResponseTransform({ onHit: tenantView })), EXPECTED);
    }
  });

  it('still finds the hits when upstream spells the keys with escapes', async () => {
    const upstream = '{"\\u0068its":{"hi\\u0074s":[{"_index":"shared-1","_id":"t1:z","_source":{"_tenant":"t1"}}]}}';
    const out = await throughTransform([Buffer.from(upstream)], createSearchResponseTransform({ onHit: tenantView }));
    assert.equal(out, '{"\\u0068its":{"hi\\u0074s":[{"_index":"1","_id":"z","_source":{}}]}}');
  });

  it('passes top-level scroll and PIT ids through their callbacks, not nested look-alikes', async () => {
    const upstream = '{"_scroll_id":"REAL==","pit_id":"PIT==","hits":{"hits":[{"_id":"t1:a","_scroll_id":"inner"}]}}';
    const transform = createSearchResponseTransform({
      onHit: (hit) => hit,
      onScrollId: (id) => `sealed(${id})`,
      onPitId: (id) => `pit(${id})`,
    });
    const out = await throughTransform(splitEvery(Buffer.from(upstream), 5), transform);
    assert.equal(out, '{"_scroll_id":"sealed(REAL==)","pit_id":"pit(PIT==)","hits":{"hits":[{"_id":"t1:a","_scroll_id":"inner"}]}}');
  });

  it('fails closed on a hit that is not an object and on a hit larger than maxHitBytes', async () => {
    const notObject = createSearchResponseTransform({ onHit: (h) => h });
    await assert.rejects(throughTransform([Buffer.from('{"hits":{"hits":["x"]}}')], notObject), (err: unknown) =>
      err instanceof StreamJsonError && err.reason === 'unexpected_shape');
    const small = createSearchResponseTransform({ onHit: (h) => h, maxHitBytes: 20 });
    await assert.rejects(throughTransform([Buffer.from(`{"hits":{"hits":[{"s":"${'x'.repeat(30)}"}]}}`)], small), (err: unknown) =>
      err instanceof StreamJsonError && err.reason === 'value_too_large');
  });
});

describe('msearch response transform', () => {
  it('rewrites the hits of each response with that response index and keeps error entries', async () => {
    const upstream =
      '{"took":3,"responses":[' +
      '{"took":1,"hits":{"total":{"value":1},"hits":[{"_id":"t1:a"},{"_id":"t1:b"}]},"status":200},' +
      '{"error":{"type":"x","reason":"boom"},"status":400},' +
      '{"took":2,"hits":{"hits":[{"_id":"t1:c"}]},"aggregations":{"hits":{"hits":[{"_id":"agg"}]}},"status":200}]}';
    const seen: [string, number][] = [];
    const transform = createMsearchResponseTransform({
      onHit: (hit, responseIndex) => {
        seen.push([String(hit._id), responseIndex]);
        return { _id: String(hit._id).slice(3), r: responseIndex };
      },
    });
    const out = await throughTransform(splitEvery(Buffer.from(upstream), 7), transform);
    assert.deepEqual(seen, [['t1:a', 0], ['t1:b', 0], ['t1:c', 2]]);
    assert.equal(
      out,
      '{"took":3,"responses":[' +
        '{"took":1,"hits":{"total":{"value":1},"hits":[{"_id":"a","r":0},{"_id":"b","r":0}]},"status":200},' +
        '{"error":{"type":"x","reason":"boom"},"status":400},' +
        '{"took":2,"hits":{"hits":[{"_id":"c","r":2}]},"aggregations":{"hits":{"hits":[{"_id":"agg"}]}},"status":200}]}',
    );
  });

  it('passes per-response PIT ids to onPitId with the response index', async () => {
    const upstream = '{"responses":[{"pit_id":"p0","hits":{"hits":[]}},{"pit_id":"p1","hits":{"hits":[]}}]}';
    const transform = createMsearchResponseTransform({ onHit: (h) => h, onPitId: (id, i) => `${id}@${i}` });
    const out = await throughTransform([Buffer.from(upstream)], transform);
    assert.equal(out, '{"responses":[{"pit_id":"p0@0","hits":{"hits":[]}},{"pit_id":"p1@1","hits":{"hits":[]}}]}');
  });
});
