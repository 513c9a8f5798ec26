import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Lru } from '../../src/auth/lru.ts';

describe('the bounded LRU behind the credential caches', () => {
  it('holds at most its size: the oldest entries leave first', () => {
    const lru = new Lru<number, string>(8);
    for (let i = 0; i < 20; i++) lru.set(i, `v${i}`);
    assert.equal(lru.size, 8);
    for (let i = 0; i < 12; i++) assert.equal(lru.get(i), undefined, `entry ${i} was evicted`);
    for (let i = 12; i < 20; i++) assert.equal(lru.get(i), `v${i}`);
  });

  it('keeps an entry read at least once per half-size insertions, however many others come', () => {
    const lru = new Lru<string, number>(8);
    lru.set('hot', 1);
    for (let i = 0; i < 200; i++) {
      lru.set(`cold-${i}`, i);
      if (i % 4 === 3) assert.equal(lru.get('hot'), 1, `hot survived ${i + 1} insertions`);
    }
    assert.equal(lru.size, 8);
  });

  it('evicts an entry not read for a full size of insertions', () => {
    const lru = new Lru<string, number>(8);
    lru.set('once', 1);
    assert.equal(lru.get('once'), 1);
    for (let i = 0; i < 8; i++) lru.set(`other-${i}`, i);
    assert.equal(lru.get('once'), undefined);
  });

  it('a set of a present key replaces its value without growing; delete and clear remove', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('a', 2);
    assert.equal(lru.size, 1);
    assert.equal(lru.get('a'), 2);
    lru.set('b', 3);
    lru.delete('a');
    assert.equal(lru.get('a'), undefined);
    lru.clear();
    assert.equal(lru.size, 0);
  });

  it('refuses a size that is not a positive integer', () => {
    assert.throws(() => new Lru(0), RangeError);
    assert.throws(() => new Lru(1.5), RangeError);
  });
});
