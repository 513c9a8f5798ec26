import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Json } from '../../src/core/json.ts';
import { assertNoReservedFields, injectReservedFields, isReservedField, stripReservedFields } from '../../src/tenancy/index.ts';
import { RESERVED, assertRefused } from './support.ts';

describe('reserved fields', () => {
  it('accepts documents without reserved fields', () => {
    assertNoReservedFields({ a: 1, tenant: 'x', b: [{ c: { _tenantx: 1 } }], '_lindex_': 2 }, RESERVED, 'document');
  });

  it('refuses a reserved key at the top level, naming the field and where', () => {
    const e = assertRefused(() => assertNoReservedFields({ _tenant: 'globex' }, RESERVED, 'document'), 'reserved_field');
    assert.match(e.reason, /\[_tenant\] in the document/);
    assert.ok(!e.reason.includes('globex'), 'no document values in the reason');
  });

  it('refuses reserved keys at any depth, under arrays and in dotted forms', () => {
    const cases: [Json, string][] = [
      [{ a: { b: { _lindex: 'x' } } }, 'doc'],
      [{ a: [{ b: 1 }, [{ _tenant: 1 }]] }, 'upsert'],
      [{ '_tenant.x': 1 }, 'document'],
      [{ 'a._lindex': 1 }, 'document'],
      [[{ _tenant: 1 }], 'script.params'],
    ];
    for (const [doc, where] of cases) {
      const e = assertRefused(() => assertNoReservedFields(doc, RESERVED, where), 'reserved_field');
      assert.ok(e.reason.includes(`in the ${where}`), e.reason);
    }
  });

  it('catches escaped key spellings, which JSON.parse has already decoded', () => {
    const raw = '{"title":"t","_ten\\u0061nt":"globex"}';
    assert.ok(raw.includes('\\u0061'), 'the raw text carries the escape');
    assertRefused(() => assertNoReservedFields(JSON.parse(raw) as Json, RESERVED, 'document'), 'reserved_field');
    const nested = '{"a":[{"b":{"\\u005flindex":"x"}}]}';
    assertRefused(() => assertNoReservedFields(JSON.parse(nested) as Json, RESERVED, 'doc'), 'reserved_field');
  });

  it('survives very deep documents without overflowing the stack', () => {
    let doc: Json = { _tenant: 1 };
    for (let i = 0; i < 100_000; i++) doc = { a: doc };
    assertRefused(() => assertNoReservedFields(doc, RESERVED, 'document'), 'reserved_field');
  });

  it('honours configured names', () => {
    const custom = { tenant: 'tnt', lindex: 'lix' };
    assertNoReservedFields({ _tenant: 1 }, custom, 'document');
    assertRefused(() => assertNoReservedFields({ x: { lix: 1 } }, custom, 'document'), 'reserved_field');
  });

  it('injects reserved fields into a copy', () => {
    const doc = { a: 1 };
    assert.deepEqual(injectReservedFields(doc, 'acme', 'orders', RESERVED), { a: 1, _tenant: 'acme', _lindex: 'orders' });
    assert.deepEqual(doc, { a: 1 });
  });

  it('strips reserved fields and their dotted forms, keeping look-alikes', () => {
    const fields = { _tenant: ['acme'], '_tenant.keyword': ['acme'], _lindex: ['orders'], _tenantx: [1], title: ['t'] };
    assert.deepEqual(stripReservedFields(fields, RESERVED), { _tenantx: [1], title: ['t'] });
    assert.ok(isReservedField('_lindex.raw', RESERVED));
    assert.ok(!isReservedField('a._lindex', RESERVED));
  });
});
