/** The chaos harness's pure parts: key pools with overlap, write outcomes, the sweep and its boundaries, the CSV. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CSV_HEADER } from '../../src/chaos/results-csv.ts';
import { boundaries, parseSweep, sweepPoints } from '../../src/chaos/sweep.ts';
import { DEFAULT_WORKLOAD, writerKeys } from '../../src/chaos/workload-config.ts';
import { writeOutcome } from '../../src/chaos/writer.ts';
import { retryable } from '../../src/chaos/client.ts';

describe('chaos workload and outputs', () => {
  it('splits a tenant key pool into a shared part and one slice per writer', () => {
    const cfg = { keys: 20, overlap: 0.2, writers: 3 };
    const pools = [0, 1, 2].map((w) => writerKeys(cfg, w));
    assert.deepEqual(pools[0].shared, ['k0', 'k1', 'k2', 'k3']);
    const owns = pools.flatMap((p) => p.own);
    assert.equal(new Set(owns).size, 16, 'the rest is split without overlap');
    assert.ok(owns.every((k) => !pools[0].shared.includes(k)));
  });

  it('classifies answers: acknowledged, refused, or unknown; retries 429, 503 and 409 stale_epoch only', () => {
    assert.equal(writeOutcome(201, false), 'ok');
    assert.equal(writeOutcome(404, true), 'ok');
    assert.equal(writeOutcome(400, false), 'failed');
    assert.equal(writeOutcome(502, false), 'unknown');
    assert.equal(writeOutcome(0, false), 'unknown');
    assert.ok(retryable(429, {}) && retryable(503, {}));
    assert.ok(retryable(409, { error: { type: 'stale_epoch_exception' } }));
    assert.ok(!retryable(409, { error: { type: 'version_conflict_engine_exception' } }));
  });

  it('sweeps every combination and finds where the error rate crosses the threshold', () => {
    const axes = parseSweep(['writers=2,3,4', 'overlap=0.1,0.5']);
    const points = sweepPoints(DEFAULT_WORKLOAD, axes);
    assert.equal(points.length, 6);
    const rate = (w: number, o: number): number => (w >= 4 && o === 0.5 ? 0.2 : 0);
    const samples = points.map((config) => ({ scenario: 'baseline', config, errorRate: rate(config.writers, config.overlap) }));
    assert.deepEqual(boundaries(samples, axes, 0.01), [
      'baseline: writers 3 → 4 (error rate 0.0% → 20.0%) crosses 1.0%',
      'baseline: overlap 0.1 → 0.5 (error rate 0.0% → 20.0%) crosses 1.0%',
    ]);
    assert.throws(() => parseSweep(['speed=1']), /--sweep/);
  });

  it('keeps the CSV interface: scenario,config first', () => {
    assert.deepEqual(CSV_HEADER.slice(0, 2), ['scenario', 'config']);
    for (const c of ['operations', 'retries', 'retry_success_rate', 'tps', 'search_p99_ms', 'anomalies_isolation', 'faults_fired']) assert.ok(CSV_HEADER.includes(c), c);
  });
});
