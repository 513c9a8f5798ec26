import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { couldRender } from '../../src/tenancy/index.ts';

describe('couldRender: which tenant templates can produce a physical name', () => {
  it('finds the cross-tenant collisions of t-{tenant}-{lindex}', () => {
    assert.equal(couldRender('t-{tenant}-{lindex}', 'acme', 't-acme-x-orders'), true, 'acme’s x-orders');
    assert.equal(couldRender('t-{tenant}-{lindex}', 'acme-x', 't-acme-x-orders'), true, 'acme-x’s orders');
    assert.equal(couldRender('t-{tenant}-{lindex}', 'globex', 't-acme-x-orders'), false);
    assert.equal(couldRender('t-{tenant}-{lindex}', 'acme', 't-acme-_x'), false, 'the logical part must be a valid name');
  });

  it('handles templates without or with repeated placeholders and literal regex characters', () => {
    assert.equal(couldRender('{lindex}', 'acme', 'orders'), true);
    assert.equal(couldRender('osproxy-shared', 'acme', 'osproxy-shared'), true);
    assert.equal(couldRender('osproxy-shared', 'acme', 'osproxy-sharedx'), false);
    assert.equal(couldRender('a.{tenant}.{lindex}.{lindex}', 'acme', 'a.acme.x.x'), true);
    assert.equal(couldRender('a.{tenant}.{lindex}.{lindex}', 'acme', 'a.acme.x.y'), false);
    assert.equal(couldRender('a.{tenant}.{lindex}', 'acme', 'aXacme.x'), false);
  });
});
