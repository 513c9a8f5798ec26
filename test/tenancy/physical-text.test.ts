import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../src/core/json.ts';
import { parseLogicalMapping } from '../../src/tenancy/mapping/logical-mapping.ts';
import { PhysicalNamer } from '../../src/tenancy/mapping/physical-names.ts';
import { renamedDocumentText } from '../../src/tenancy/mapping/physical-text.ts';

const mapping = parseLogicalMapping({
  properties: {
    title: { type: 'text', fields: { keyword: { type: 'keyword' } } },
    n: { type: 'long' },
    where: { type: 'geo_point' },
    user: { properties: { name: { type: 'keyword' }, tags: { type: 'keyword' }, deep: { properties: { x: { type: 'long' } } } } },
    blob: { type: 'object', enabled: false },
  },
});
const namer = new PhysicalNamer('acme');
const TAIL = '"_tenant":"acme","_lindex":"orders","_lid":"7"';

/** What the object path produces: the reference the text path must equal. */
function viaObject(text: string): JsonObject {
  return { ...namer.document(JSON.parse(text) as JsonObject, mapping), _tenant: 'acme', _lindex: 'orders', _lid: '7' };
}

describe('renaming a document’s keys in its text', () => {
  it('equals the object path for every shape of known keys', () => {
    const docs = [
      '{"title":"a","n":1}',
      ' { "title" : "a \\" } { [ , ] \\\\" , "n" : -1.5e3 , "where" : {"lat": 1, "lon": 2} } ',
      '{"user":{"name":"x","tags":["a","b"],"deep":{"x":3}}}',
      '{"user":[{"name":"x"},{"deep":[{"x":1},{"x":2}]},null,{}]}',
      '{"user":null,"title":null,"n":[1,[2,[3]]]}',
      '{"blob":{"anything":{"goes":[1,{"here":true}]}},"title":"\\u00e9t\\u00e9"}',
      '{"user":{}}',
    ];
    for (const text of docs) {
      const renamed = renamedDocumentText(text, mapping.properties, namer, TAIL);
      assert.ok(renamed !== undefined, text);
      assert.deepEqual(JSON.parse(renamed), viaObject(text), text);
    }
  });

  it('appends the reserved fields to an empty object without a stray comma', () => {
    assert.equal(renamedDocumentText(' {} ', mapping.properties, namer, TAIL)?.trim(), `{${TAIL}}`);
  });

  it('hands anything unusual to the general path', () => {
    for (const text of ['{"unknown":1}', '{"user":{"other":1}}', '{"user.name":"x"}', '{"ti\\u0074le":"x"}', '{"__proto__":1}', '{"title":"a","constructor":1}', '[1]']) {
      assert.equal(renamedDocumentText(text, mapping.properties, namer, TAIL), undefined, text);
    }
  });
});
