/**
 * The cursor horizon: what an instance reports of its open cursors, which holds back the removal
 * of a migration's source until no scroll or PIT can read it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CursorHorizon } from '../../src/ops/cursor-horizon.ts';
import type { Target } from '../../src/tenancy/names.ts';

const target = (lindex: string, physicalIndex: string, cluster = 'default'): Target => ({ lindex, physicalIndex, cluster, placement: 'shared' }) as Target;
const all = (): boolean => true;

describe('cursor horizon', () => {
  it('reports the latest expiry per tenant, index and location; a continuation extends it', () => {
    const h = new CursorHorizon();
    h.extend('acme', 'default', 'u1', [target('orders', 'shared-a')], 1_000, 0);
    h.extend('acme', 'default', 'u2', [target('orders', 'shared-a')], 5_000, 0);
    h.extend('acme', 'default', 'u1', [target('orders', 'shared-a')], 10_000, 2_000);
    assert.deepEqual(h.report(all, 3_000), [{ tenant: 'acme', index: 'orders', location: 'default/shared-a', until: 12_000 }]);
  });

  it('forgets a cleared cursor and drops expired ones', () => {
    const h = new CursorHorizon();
    h.extend('acme', 'default', 'u1', [target('orders', 'shared-a')], 1_000, 0);
    h.extend('acme', 'second', 'u1', [target('orders', 'orders', 'second')], 60_000, 0);
    h.forget('second', 'u1');
    assert.deepEqual(h.report(all, 500).map((c) => c.location), ['default/shared-a']);
    assert.deepEqual(h.report(all, 1_000), [], 'expired at its keep-alive');
  });

  it('reports only the indexes asked about, and never mixes tenants', () => {
    const h = new CursorHorizon();
    h.extend('acme', 'default', 'u1', [target('orders', 'shared-a'), target('logs', 'shared-b')], 1_000, 0);
    h.extend('globex', 'default', 'u2', [target('orders', 'shared-a')], 9_000, 0);
    const acmeOrders = h.report((t, i) => t === 'acme' && i === 'orders', 10);
    assert.deepEqual(acmeOrders, [{ tenant: 'acme', index: 'orders', location: 'default/shared-a', until: 1_000 }]);
  });
});
