import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../src/core/json.ts';
import type { OpContext } from '../../src/ops/context.ts';
import { mapDocResponse, tenantSource } from '../../src/ops/doc-response.ts';
import { DEFAULT_RESERVED_FIELDS, stripReservedFields } from '../../src/tenancy/reserved-fields.ts';
import { logicalKey, logicalSource } from '../../src/tenancy/mapping/physical-names.ts';
import { resolveTarget, type Target } from '../../src/tenancy/names.ts';

const ctx = { scope: { reserved: { ...DEFAULT_RESERVED_FIELDS } } } as unknown as OpContext;
const dedicated: Target = resolveTarget('acme', 'orders', { kind: 'index' });
// Only whether `fields` is set matters to the mapping: the names come from the stored keys.
const shared: Target = { ...resolveTarget('acme', 'orders', { kind: 'shared' }), fields: {} as Target['fields'] };

/** The mapping as it was written before it was made one pass: copy, delete, strip, rename. */
function reference(body: JsonObject, target: Target, id: string): JsonObject {
  const source = (s: JsonObject): JsonObject => {
    const own = stripReservedFields(s, DEFAULT_RESERVED_FIELDS);
    return target.fields === undefined ? own : (logicalSource(own) as JsonObject);
  };
  const out: JsonObject = { ...body, _index: target.lindex, _id: id };
  delete out._routing;
  if (typeof out._source === 'object' && out._source !== null && !Array.isArray(out._source)) out._source = source(out._source as JsonObject);
  if (typeof out.get === 'object' && out.get !== null && !Array.isArray(out.get)) {
    const get: JsonObject = { ...(out.get as JsonObject) };
    delete get._routing;
    if (typeof get._source === 'object' && get._source !== null) get._source = source(get._source as JsonObject);
    out.get = get;
  }
  return out;
}

const physical = (name: string): string => `${name}__osx_abcdefghij`;

const BODIES: JsonObject[] = [
  {
    _index: 'osproxy-shared-orders',
    _id: 'acme:orders:1',
    _version: 3,
    _seq_no: 7,
    _primary_term: 1,
    _routing: 'acme',
    found: true,
    _source: { [physical('title')]: 'x', [physical('user')]: { [physical('name')]: 'n', tags: [{ [physical('k')]: 1 }] }, _tenant: 'acme', _lindex: 'orders', _lid: '1', '_tenant.keyword': 'a', _tenantish: 'kept', [`${physical('a')}.${'b__osx_none'}`]: 2 },
  },
  { _index: 'i', _id: 'p', result: 'created', _shards: { total: 2, successful: 1, failed: 0 }, _version: 1 },
  { result: 'updated', get: { _routing: 'acme', found: true, _source: { [physical('v')]: 1, _tenant: 'acme' } }, _id: 'p' },
  { _id: 'p', found: false },
  { _source: { __proto__: { polluted: true }, [physical('x')]: null } as unknown as JsonObject, _index: 'i' },
  { _source: 'not an object', _routing: 'r' },
];

test('a document answer is mapped in one pass exactly as the copy-delete-strip-rename it replaces', () => {
  for (const target of [shared, dedicated]) {
    for (const body of BODIES) {
      const parsed = JSON.parse(JSON.stringify(body)) as JsonObject; // as it comes from the upstream
      const mine = mapDocResponse(parsed, target, '1', ctx);
      assert.equal(JSON.stringify(mine), JSON.stringify(reference(JSON.parse(JSON.stringify(body)) as JsonObject, target, '1')), `${target.placement}: ${JSON.stringify(body)}`);
    }
  }
});

test('a stored source loses its reserved fields and gets the tenant\'s names back; __proto__ stays a plain key', () => {
  const source = JSON.parse(`{"${physical('a')}":1,"_tenant":"acme","_lid":"1","_lindex.x":2,"__proto__":{"p":1}}`) as JsonObject;
  const mapped = tenantSource(ctx, shared, source);
  assert.equal(JSON.stringify(mapped), '{"a":1,"__proto__":{"p":1}}');
  assert.equal(Object.getPrototypeOf(mapped), Object.prototype, 'no prototype was set from the document');
  assert.equal(logicalKey(physical('a')), 'a');
  assert.equal(logicalKey(physical('a')), 'a', 'memoised answers are the same');
  assert.equal(logicalKey('plain'), 'plain');
});
