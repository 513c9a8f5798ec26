/**
 * The parsed-tree rewrite of a small search answer (src/ops/hit-tree.ts) against the byte cutter
 * it stands in for: for every answer it takes, both give the same JSON value; every answer it
 * declines (aggregations, an unexpected shape, malformed JSON) is left to the cutter.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../src/core/json.ts';
import { mappedErrorRule } from '../../src/ops/hit-stream.ts';
import { rewrittenHitTree, type HitTreeContext } from '../../src/ops/hit-tree.ts';
import { JsonCutter, searchResponseRules } from '../../src/stream/index.ts';
import { resolveTarget } from '../../src/tenancy/names.ts';

const target = resolveTarget('acme', 'orders', { kind: 'index' });
const PHYSICAL = target.physicalIndex;

/** A stand-in for the tenant mapping: it must be applied to each top-level hit, and to nothing else. */
function onHit(hit: JsonObject): JsonObject {
  return { ...hit, _index: `mapped:${String(hit._index)}`, mapped: true };
}

const ctx: HitTreeContext = { ids: { onScrollId: (id) => `sealed-scroll:${id}`, onPitId: (id) => `sealed-pit:${id}` }, targets: [target], mapHit: onHit };

function cut(text: string): unknown {
  const rules = searchResponseRules({ ...ctx.ids, onHit, extraRules: [mappedErrorRule(['_shards', 'failures'], () => [target])] });
  const cutter = new JsonCutter(rules, { maxValueBytes: 1 << 20 });
  const out = [...cutter.push(Buffer.from(text)), ...cutter.end()];
  return JSON.parse(Buffer.concat(out).toString('utf8'));
}

const hit = (id: string, extra = ''): string => `{"_index":"${PHYSICAL}","_id":"${id}","_score":1.0,"_source":{"n":${id.length},"t":"é😀 \\"q\\""}${extra}}`;
const envelope = (hits: string, tail = ''): string =>
  `{"took":3,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},"hits":{"total":{"value":2,"relation":"eq"},"max_score":1.0,"hits":[${hits}]}${tail}}`;

const TAKEN: Record<string, string> = {
  'two hits': envelope(`${hit('a')},${hit('b')}`),
  'no hits': envelope(''),
  'a hits section without a list': '{"took":1,"hits":{"total":{"value":0,"relation":"eq"}}}',
  'no hits section (size 0, a count-like answer)': '{"took":1,"timed_out":false}',
  'a scroll id and a pit id': envelope(hit('a'), ',"_scroll_id":"c2Nyb2xs","pit_id":"cGl0"'),
  'inner hits stay inside their hit': envelope(hit('a', `,"inner_hits":{"x":{"hits":{"hits":[${hit('inner')}]}}}`)),
  'shard failures naming the physical index': envelope(hit('a')).replace('"failed":0}', `"failed":1,"failures":[{"shard":0,"index":"${PHYSICAL}","reason":{"type":"query_shard_exception","reason":"failed on [${PHYSICAL}]","index":"${PHYSICAL}"}}]}`),
  'a __proto__ key in a source and in the answer': envelope(hit('a').replace('"n":1', '"__proto__":{"polluted":true},"n":1'), ',"__proto__":{"x":1}'),
  'whitespace and escapes everywhere': ` { "took" : 1 ,\n "hits" : { "hits" : [ ${hit('a\\u0041')} ] } , "k\\"ey" : "\\u00e9" } `,
};

describe('search answers rewritten as a parsed tree', () => {
  for (const [name, text] of Object.entries(TAKEN)) {
    it(`gives the cutter's value: ${name}`, () => {
      const tree = rewrittenHitTree(text, ctx);
      assert.notEqual(tree, undefined, 'the tree takes this answer');
      assert.deepEqual(JSON.parse(tree as string), cut(text));
    });
  }

  it('maps every top-level hit exactly once and seals both cursor ids', () => {
    const out = JSON.parse(rewrittenHitTree(TAKEN['a scroll id and a pit id'], ctx) as string) as { hits: { hits: JsonObject[] }; _scroll_id: string; pit_id: string };
    assert.deepEqual(out.hits.hits.map((h) => [h._index, h.mapped]), [[`mapped:${PHYSICAL}`, true]]);
    assert.equal(out._scroll_id, 'sealed-scroll:c2Nyb2xs');
    assert.equal(out.pit_id, 'sealed-pit:cGl0');
  });

  it('names no physical index in mapped shard failures', () => {
    const out = JSON.parse(rewrittenHitTree(TAKEN['shard failures naming the physical index'], ctx) as string) as { _shards: { failures: unknown[] } };
    assert.equal(out._shards.failures.length, 1);
    assert.ok(!JSON.stringify(out._shards).includes(PHYSICAL), JSON.stringify(out._shards));
  });

  const DECLINED: Record<string, string> = {
    // 64-bit integers in aggregations would be rounded by a double: only the cutter copies them exactly.
    'aggregations': envelope(hit('a'), ',"aggregations":{"ids":{"buckets":[{"key":9007199254740993,"doc_count":1}]}}'),
    'hits as a list': '{"hits":[]}',
    'a hit list that is an object': '{"hits":{"hits":{"0":{}}}}',
    'a hit that is not an object': envelope('"a"'),
    'a scroll id that is not a string': envelope('', ',"_scroll_id":7'),
    'shards that are not an object': '{"_shards":"x","hits":{"hits":[]}}',
    'an answer that is not an object': '[1,2]',
    'malformed JSON': envelope(hit('a')).slice(0, -1),
  };
  for (const [name, text] of Object.entries(DECLINED)) {
    it(`leaves it to the cutter: ${name}`, () => assert.equal(rewrittenHitTree(text, ctx), undefined));
  }
});
