import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatencyHistogram } from '../../src/bench/latency-histogram.ts';
import { nearestRank } from '../../src/bench/percentiles.ts';

/** A deterministic pseudo-random stream (LCG) so that failures reproduce. */
function* lcg(seed: number): Generator<number> {
  let x = seed;
  for (;;) {
    x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
    yield x / 2 ** 32;
  }
}

test('HDR percentiles agree with nearest rank over the raw samples within 0.1 %', () => {
  const h = new LatencyHistogram();
  const raw: number[] = [];
  const random = lcg(42);
  for (let i = 0; i < 20_000; i++) {
    // A long-tailed latency distribution between 0.05 ms and ~500 ms.
    const ms = 0.05 * Math.exp(9 * (random.next().value as number) ** 3);
    const us = Math.round(ms * 1000) / 1000;
    raw.push(us);
    h.record(us);
  }
  raw.sort((a, b) => a - b);
  for (const p of [1, 50, 90, 99, 99.9, 100]) {
    const exact = nearestRank(raw, p);
    const hdr = h.percentile(p);
    assert.ok(Math.abs(hdr - exact) <= exact * 0.001 + 0.001, `p${p}: hdr ${hdr} vs exact ${exact}`);
  }
  const s = h.summary();
  assert.equal(s.count, 20_000);
  assert.ok(Math.abs(s.min - raw[0]) <= 0.001 && Math.abs(s.max - raw[raw.length - 1]) <= raw[raw.length - 1] * 0.001);
  const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
  assert.ok(Math.abs(s.mean - mean) <= mean * 0.002, `mean ${s.mean} vs ${mean}`);
});

test('an empty histogram summarises to NaN, not zeros that look like a fast run', () => {
  const s = new LatencyHistogram().summary();
  assert.equal(s.count, 0);
  assert.ok(Number.isNaN(s.p50) && Number.isNaN(s.max));
});

/** Equal within HDR's 3-significant-digit resolution. */
function near(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) <= expected * 0.001, `${actual} is not ${expected} within 0.1 %`);
}

test('ten known latencies give the nearest-rank p50, p90 and max', () => {
  const h = new LatencyHistogram();
  for (let ms = 1; ms <= 10; ms++) h.record(ms);
  near(h.percentile(50), 5);
  near(h.percentile(90), 9);
  near(h.percentile(91), 10);
  near(h.summary().max, 10);
});
