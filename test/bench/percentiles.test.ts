import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addedLatency, nearestRank } from '../../src/bench/percentiles.ts';

const ONE_TO_TEN = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

test('nearestRank picks the smallest value covering p% of samples', () => {
  assert.equal(nearestRank(ONE_TO_TEN, 50), 5);
  assert.equal(nearestRank(ONE_TO_TEN, 51), 6);
  assert.equal(nearestRank(ONE_TO_TEN, 90), 9);
  assert.equal(nearestRank(ONE_TO_TEN, 99), 10);
  assert.equal(nearestRank(ONE_TO_TEN, 100), 10);
  assert.equal(nearestRank(ONE_TO_TEN, 0), 1);
});

test('nearestRank on tiny and empty inputs', () => {
  assert.equal(nearestRank([7], 50), 7);
  assert.equal(nearestRank([7], 99), 7);
  assert.equal(nearestRank([1, 2], 50), 1);
  assert.equal(nearestRank([1, 2], 50.1), 2);
  assert.ok(Number.isNaN(nearestRank([], 50)));
});

test('nearestRank on 100 samples is exact at every whole percent', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  for (const p of [1, 25, 50, 90, 99, 100]) assert.equal(nearestRank(hundred, p), p);
});

test('addedLatency saturates at zero', () => {
  assert.equal(addedLatency(3.5, 1.25), 2.25);
  assert.equal(addedLatency(1, 2), 0);
  assert.equal(addedLatency(2, 2), 0);
});
