import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StreamJsonError } from '../../src/stream/stream-json-error.ts';
import { cutChunks, markerRule, seededRandom, splitEvery, splitRandomly } from './support.ts';

const SAMPLES = [
  '{}',
  '[]',
  '0',
  '-0.5e+10',
  '"plain"',
  'true',
  ' null ',
  '{"a":[1,2,{"b":"c\\"d\\\\"}],"e":{"f":null,"g":false},"h":-12.5E-3}',
  '\t{ "k" : [ 1 , [ ] , { } , "x" ] }\r\n',
  '{"esc":"\\u00e9\\ud83d\\ude00\\n\\t\\/","utf8":"héllo 😀 中文"}',
  '[[[[[[[[[[["deep"]]]]]]]]]]]',
  '{"hits":"not an array","n":[0,1e5,2E-7,-0,10.25]}',
];
/** A rule set that never matches these samples, so scanning must be pure copying. */
const NON_MATCHING = [markerRule(['nope', '*']), markerRule(['a', 5])];

const words = ['a', 'hits', '_id', 'é', '😀', 'q"uote', 'back\\slash', 'brace{', ''];

function randomString(random: () => number): string {
  const w = words[Math.floor(random() * words.length)];
  return JSON.stringify(random() < 0.2 ? w + String.fromCharCode(Math.floor(random() * 0x3000)) : w);
}

function randomNumber(random: () => number): string {
  const forms = ['0', '-1', '42', '3.25', '-0.001', '1e9', '2.5E-3', '-7e+2', '123456789012345678901234'];
  return forms[Math.floor(random() * forms.length)];
}

function space(random: () => number): string {
  return random() < 0.7 ? '' : [' ', '\n', '\t', '\r\n  '][Math.floor(random() * 4)];
}

/** Random JSON text with random whitespace, so layouts JSON.stringify never produces are covered. */
function randomJson(random: () => number, depth: number): string {
  const pick = random();
  if (depth > 4 || pick < 0.35) {
    const scalars = [randomString, randomNumber, () => 'true', () => 'false', () => 'null'];
    return scalars[Math.floor(random() * scalars.length)](random);
  }
  const n = Math.floor(random() * 5);
  const items: string[] = [];
  for (let i = 0; i < n; i++) {
    const value = randomJson(random, depth + 1);
    items.push(pick < 0.65 ? value : `${randomString(random)}${space(random)}:${space(random)}${value}`);
  }
  const [open, close] = pick < 0.65 ? ['[', ']'] : ['{', '}'];
  return `${open}${space(random)}${items.join(`${space(random)},${space(random)}`)}${space(random)}${close}`;
}

describe('json cutter passthrough', () => {
  it('copies sample documents byte for byte when no rule matches, for every 2-way split', () => {
    for (const text of SAMPLES) {
      const buf = Buffer.from(text);
      assert.equal(cutChunks([buf], NON_MATCHING), text);
      for (let cut = 0; cut <= buf.length; cut++) {
        assert.equal(cutChunks([buf.subarray(0, cut), buf.subarray(cut)], NON_MATCHING), text, `split at ${cut}`);
      }
    }
  });

  it('copies sample documents byte for byte when fed one byte at a time', () => {
    for (const text of SAMPLES) assert.equal(cutChunks(splitEvery(Buffer.from(text), 1), []), text);
  });

  it('copies random documents byte for byte under random chunkings', () => {
    const random = seededRandom(20240611);
    for (let round = 0; round < 300; round++) {
      const text = randomJson(random, 0);
      const buf = Buffer.from(text);
      JSON.parse(text); // the generator itself must produce valid JSON
      assert.equal(cutChunks(splitRandomly(buf, random, 7), NON_MATCHING), text);
      assert.equal(cutChunks(splitEvery(buf, 1), NON_MATCHING), text);
    }
  });

  it('accepts exactly what JSON.parse accepts on randomly mutated documents', () => {
    const random = seededRandom(7);
    const junk = ['{', '}', '[', ']', ',', ':', '"', '\\', '-', '.', 'e', '0', '1', 'x', 't', ' ', '\u0001'];
    let rejected = 0;
    for (let round = 0; round < 2000; round++) {
      const text = randomJson(random, 0);
      const at = Math.floor(random() * (text.length + 1));
      const drop = random() < 0.5 ? 1 : 0;
      const mutated = text.slice(0, at) + junk[Math.floor(random() * junk.length)] + text.slice(at + drop);
      let parseOk = true;
      try {
        JSON.parse(mutated);
      } catch {
        parseOk = false;
      }
      // Compare bytes with bytes: a mutation can split a surrogate pair, which UTF-8 encodes as U+FFFD.
      const bytes = Buffer.from(mutated);
      const chunks = splitRandomly(bytes, random, 5);
      let cutOk = true;
      try {
        assert.equal(cutChunks(chunks, []), bytes.toString('utf8'));
      } catch (err) {
        assert.ok(err instanceof StreamJsonError, `unexpected error type for ${mutated}`);
        cutOk = false;
        rejected++;
      }
      assert.equal(cutOk, parseOk, `disagreement with JSON.parse on ${JSON.stringify(mutated)}`);
    }
    assert.ok(rejected > 100, 'the mutations should produce plenty of invalid documents');
  });
});
