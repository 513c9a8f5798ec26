import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeId, decodeSharedId, encodeId, encodeSharedId, splitSharedId } from '../../src/tenancy/index.ts';
import { LOGS, ORDERS, assertRefused } from './support.ts';

describe('id codec', () => {
  it('shared ids are {tenant}:{lindex}:{id} and round-trip ids with colons and unicode', () => {
    assert.equal(encodeId(ORDERS, 'acme', '42'), 'acme:orders:42');
    for (const id of ['42', 'a:b:c', ':', '::leading', 'trailing:', 'ünïcødé:😀', ' spaced id ']) {
      const physical = encodeId(ORDERS, 'acme', id);
      assert.equal(decodeId(ORDERS, 'acme', physical), id);
      assert.deepEqual(splitSharedId(physical), { tenant: 'acme', lindex: 'orders', id });
    }
  });

  it('decoding refuses ids of another tenant or another logical index', () => {
    assert.equal(decodeSharedId('globex:orders:42', 'acme', 'orders'), undefined);
    assert.equal(decodeSharedId('acme:items:42', 'acme', 'orders'), undefined);
    assert.equal(decodeSharedId('acme:orders', 'acme', 'orders'), undefined);
    assert.equal(decodeSharedId('42', 'acme', 'orders'), undefined);
    assert.equal(splitSharedId(':orders:1'), undefined);
    assert.equal(splitSharedId('acme::1'), undefined);
  });

  it('a client id that looks like another tenant’s physical id stays inside our prefix', () => {
    const physical = encodeSharedId('acme', 'orders', 'globex:orders:1');
    assert.equal(physical, 'acme:orders:globex:orders:1');
    assert.equal(decodeSharedId(physical, 'acme', 'orders'), 'globex:orders:1');
  });

  it('dedicated placements keep ids untouched', () => {
    assert.equal(encodeId(LOGS, 'acme', 'a:b'), 'a:b');
    assert.equal(decodeId(LOGS, 'acme', 'a:b'), 'a:b');
  });

  it('refuses empty ids and ids too long once prefixed', () => {
    assertRefused(() => encodeId(ORDERS, 'acme', ''), 'invalid_id');
    encodeId(ORDERS, 'acme', 'x'.repeat(512 - 'acme:orders:'.length));
    const e = assertRefused(() => encodeId(ORDERS, 'acme', 'x'.repeat(512)), 'id_too_long');
    assert.match(e.reason, /no longer than 500 bytes but was: 512/);
  });
});
