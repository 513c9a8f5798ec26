import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TenancyConfigError, resolveTarget, validateLogicalIndexName } from '../../src/tenancy/index.ts';
import { assertRefused } from './support.ts';

describe('physical names', () => {
  it('shared placement uses osproxy-shared-{lindex} and routes by tenant by default', () => {
    assert.deepEqual(resolveTarget('acme', 'orders', { kind: 'shared' }), {
      lindex: 'orders', placement: 'shared', cluster: 'default', physicalIndex: 'osproxy-shared-orders', routing: 'tenant',
    });
  });

  it('a single shared index for everything works, and routing can be turned off', () => {
    const t = resolveTarget('acme', 'orders', { kind: 'shared', index_template: 'osproxy-shared', routing: 'none' });
    assert.equal(t.physicalIndex, 'osproxy-shared');
    assert.equal(t.routing, 'none');
  });

  it('dedicated index placement uses t-{tenant}-{lindex} and no routing', () => {
    const t = resolveTarget('acme', 'orders', { kind: 'index' });
    assert.equal(t.physicalIndex, 't-acme-orders');
    assert.equal(t.routing, 'none');
  });

  it('cluster placement keeps the logical name on the named cluster', () => {
    const t = resolveTarget('acme', 'orders', { kind: 'cluster', cluster: 'big-1' });
    assert.deepEqual([t.cluster, t.physicalIndex, t.placement], ['big-1', 'orders', 'cluster']);
  });

  it('templates that could merge tenants in a dedicated index, or unknown placeholders, are config errors', () => {
    assert.throws(() => resolveTarget('acme', 'orders', { kind: 'index', index_template: 'dedicated-{lindex}' }), TenancyConfigError);
    assert.throws(() => resolveTarget('acme', 'orders', { kind: 'shared', index_template: 'x-{tenantid}' }), TenancyConfigError);
    assert.throws(() => resolveTarget('acme', 'orders', { kind: 'cluster' }), TenancyConfigError);
    assert.throws(() => resolveTarget('Acme', 'orders', { kind: 'shared' }), TenancyConfigError);
  });

  it('accepts valid logical index names', () => {
    for (const name of ['orders', 'a', 'orders-2024.01', 'é', 'x'.repeat(255)]) validateLogicalIndexName(name);
  });

  it('refuses invalid OpenSearch names, dot-prefixed names and names with a colon', () => {
    const bad = ['', 'Orders', 'a\\b', 'a/b', 'a*', 'a?', 'a"b', 'a<b', 'a>b', 'a|b', 'a b', 'a,b', 'a#b', '_a', '-a', '+a', '.', '..', '.hidden', 'remote:orders', 'x'.repeat(256), 'é'.repeat(128)];
    for (const name of bad) assertRefused(() => validateLogicalIndexName(name), 'invalid_index_name', 'invalid_index_name_exception');
    assertRefused(() => resolveTarget('acme', '.kibana', { kind: 'shared' }), 'invalid_index_name', 'invalid_index_name_exception');
  });
});
