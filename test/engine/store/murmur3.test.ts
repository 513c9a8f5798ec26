import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { murmur3x86, shardFor } from '../../../src/engine/store/murmur3.ts';

describe('murmur3 x86_32', () => {
  it('matches the reference vectors', () => {
    assert.equal(murmur3x86(Buffer.from(''), 0), 0);
    assert.equal(murmur3x86(Buffer.from(''), 1), 0x514e28b7);
    assert.equal(murmur3x86(Buffer.from('hello'), 0), 0x248bfa47);
    assert.equal(murmur3x86(Buffer.from('The quick brown fox jumps over the lazy dog'), 0), 0x2e4ff723);
  });

  it('spreads routing values over all shards and stays in range', () => {
    const counts = [0, 0, 0, 0, 0];
    for (let i = 0; i < 5000; i++) counts[shardFor(`tenant-${i}`, 5)]++;
    for (const c of counts) assert.ok(c > 800 && c < 1200, `uneven spread ${counts.join(',')}`);
  });
});
