import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JsonCutter } from '../../src/stream/json-cutter.ts';
import { observeRule } from '../../src/stream/observe-rule.ts';
import type { CutRule, JsonPath } from '../../src/stream/path-rules.ts';
import { cutChunks, markerRule, seededRandom, splitEvery, splitRandomly } from './support.ts';

/** Runs the input whole, byte by byte, and under every 2-way split; all must give `expected`. */
function assertCutEverywhere(input: string, rules: readonly CutRule[], expected: string): void {
  const buf = Buffer.from(input);
  assert.equal(cutChunks([buf], rules), expected);
  assert.equal(cutChunks(splitEvery(buf, 1), rules), expected);
  for (let cut = 0; cut <= buf.length; cut++) {
    assert.equal(cutChunks([buf.subarray(0, cut), buf.subarray(cut)], rules), expected, `split at ${cut}`);
  }
}

describe('json cutter rules', () => {
  it('matches paths deeper than its first frames: the frames grow with the nesting, keys and indexes kept', () => {
    // 40 levels of objects and arrays in turn: past the 16 frames a cutter starts with, and twice grown.
    const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
    const path: (string | number)[] = keys.flatMap((k) => [k, 0]);
    const open = keys.map((k) => `{"${k}":[`).join('');
    const close = ']}'.repeat(keys.length);
    const input = `${open}{"deep":"value","other":1}${close}`;
    const expected = `${open}{"deep":"<${[...path, 'deep'].join('.')}>","other":1}${close}`;
    assertCutEverywhere(input, [markerRule([...path, 'deep'])], expected);
    assert.equal(cutChunks([Buffer.from(input)], [markerRule([...path, 'other', 'nope'])]), input, 'a path that goes nowhere changes nothing');
  });

  it('replaces matched values of every kind and copies the bytes around them unchanged', () => {
    const input = '{ "a" : {"x":1} , "b":[1, 2] ,"c":"s","d":-1.5e3,"e":true,"f":null }';
    const rules = ['a', 'b', 'c', 'd', 'e', 'f'].map((k) => markerRule([k]));
    const expected = '{ "a" : "<a>" , "b":"<b>" ,"c":"<c>","d":"<d>","e":"<e>","f":"<f>" }';
    assertCutEverywhere(input, rules, expected);
  });

  it('hands the rule the exact raw bytes of the value and its decoded path', () => {
    const seen: [string, JsonPath][] = [];
    const rule = observeRule(['list', '*', 'v'], (raw, path) => seen.push([raw.toString(), path]));
    const input = '{"list":[{"v":{ "k" : [1,"]"] }},{"w":0},{"v":12}]}';
    assert.equal(cutChunks(splitEvery(Buffer.from(input), 3), [rule]), input);
    assert.deepEqual(seen, [
      ['{ "k" : [1,"]"] }', ['list', 0, 'v']],
      ['12', ['list', 2, 'v']],
    ]);
  });

  it('matches keys after decoding escapes, so an escaped spelling cannot dodge a rule', () => {
    const input = '{"h\\u0069ts":{"\\u0068its":[{"_id":"x"}]},"hit\\u0073x":[1]}';
    const expected = '{"h\\u0069ts":{"\\u0068its":["<hits.hits.0>"]},"hit\\u0073x":[1]}';
    assertCutEverywhere(input, [markerRule(['hits', 'hits', '*'])], expected);
  });

  it('is not confused by strings that contain key names, braces, brackets or escaped quotes', () => {
    const input =
      '{"note":"\\"hits\\": {[", "hits\\"":{"hits":[0]}, "hits":{"q":"}]\\\\","hits":[{"s":"\\"}"},"]"]}}';
    const expected = '{"note":"\\"hits\\": {[", "hits\\"":{"hits":[0]}, "hits":{"q":"}]\\\\","hits":["<hits.hits.0>","<hits.hits.1>"]}}';
    assertCutEverywhere(input, [markerRule(['hits', 'hits', '*'])], expected);
  });

  it('keeps multi-byte UTF-8 intact when chunks split characters, inside and outside matched values', () => {
    const input = '{"é😀":"中文","hits":{"hits":[{"t":"naïve 😀"}]},"z":"€"}';
    const rule: CutRule = {
      path: ['hits', 'hits', '*'],
      onValue: (raw) => JSON.stringify({ seen: (JSON.parse(raw.toString()) as { t: string }).t }),
    };
    assertCutEverywhere(input, [rule], '{"é😀":"中文","hits":{"hits":[{"seen":"naïve 😀"}]},"z":"€"}');
  });

  it('lets the first matching rule win and never matches inside a cut value', () => {
    const calls: string[] = [];
    const outer: CutRule = { path: ['a', '*'], onValue: (raw) => (calls.push(`outer ${raw}`), '0') };
    const inner: CutRule = { path: ['a', 'b', 'c'], onValue: (raw) => (calls.push(`inner ${raw}`), '1') };
    const shadowed: CutRule = { path: ['a', 'b'], onValue: () => (calls.push('shadowed'), '2') };
    assert.equal(cutChunks([Buffer.from('{"a":{"b":{"c":5}}}')], [outer, inner, shadowed]), '{"a":{"b":0}}');
    assert.deepEqual(calls, ['outer {"c":5}']);
  });

  it("treats '*' as any key or index and a number segment as one array index", () => {
    const input = '{"o":{"x":1,"y":2},"arr":[10,20,30]}';
    assert.equal(cutChunks([Buffer.from(input)], [markerRule(['o', '*']), markerRule(['arr', 1])]),
      '{"o":{"x":"<o.x>","y":"<o.y>"},"arr":[10,"<arr.1>",30]}');
  });

  it('can cut the root value and scalars that end exactly at the end of input', () => {
    assert.equal(cutChunks([Buffer.from(' [1] ')], [markerRule([])]), ' "<>" ');
    assert.equal(cutChunks(splitEvery(Buffer.from('-12.5e7'), 1), [markerRule([])]), '"<>"');
  });

  it('copies unmatched regions as views of the input, not copies', () => {
    const cutter = new JsonCutter([markerRule(['x'])]);
    const chunk = Buffer.from('{"a":[1,2,3],"x":9,"b":4}');
    const out = cutter.push(chunk);
    assert.equal(out[0].buffer, chunk.buffer);
    assert.equal(Buffer.concat([...out, ...cutter.end()]).toString(), '{"a":[1,2,3],"x":"<x>","b":4}');
  });

  it('agrees with a JSON.parse-based rewrite on random hit lists under random chunkings', () => {
    const random = seededRandom(99);
    for (let round = 0; round < 50; round++) {
      const hits = Array.from({ length: Math.floor(random() * 6) }, (_, i) => ({ _id: `d${i}`, _source: { t: 'x"}'.repeat(i) } }));
      const body = { took: 3, hits: { total: hits.length, hits }, aggregations: { a: { buckets: [{ hits: [1] }] } } };
      const rule: CutRule = { path: ['hits', 'hits', '*'], onValue: (raw) => `{"id":${JSON.stringify(JSON.parse(raw.toString())._id)}}` };
      const expected = JSON.stringify({ ...body, hits: { ...body.hits, hits: hits.map((h) => ({ id: h._id })) } });
      assert.equal(cutChunks(splitRandomly(Buffer.from(JSON.stringify(body)), random, 9), [rule]), expected);
    }
  });
});
