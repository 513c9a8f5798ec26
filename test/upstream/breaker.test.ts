import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CircuitBreaker, type BreakerChange } from '../../src/upstream/breaker.ts';

/* The circuit breaker's `trip()`: open at once (dev's engine died), one notice, probes as usual. */

function breaker(): { b: CircuitBreaker; changes: BreakerChange[]; clock: { t: number } } {
  const clock = { t: 1_000 };
  const changes: BreakerChange[] = [];
  const b = new CircuitBreaker({ failureThreshold: 5, resetMs: 100, onChange: (c) => changes.push(c) }, () => clock.t);
  return { b, changes, clock };
}

describe('CircuitBreaker.trip', () => {
  it('opens a closed breaker at once, with one notice that carries the reason', () => {
    const { b, changes } = breaker();
    b.trip('the engine exited');
    assert.equal(b.state, 'open');
    assert.equal(b.tryAcquire(), false);
    assert.deepEqual(changes, [{ to: 'open', failures: 0, reason: 'the engine exited', tripped: true }]);
    b.trip('again');
    assert.equal(changes.length, 1, 'an open breaker is not announced twice');
  });

  it('lets one probe through after reset_ms; a failed probe keeps it open silently, a good one closes it', () => {
    const { b, changes, clock } = breaker();
    b.trip('gone');
    clock.t += 100;
    assert.equal(b.state, 'half_open');
    assert.equal(b.tryAcquire(), true);
    assert.equal(b.tryAcquire(), false, 'one probe at a time');
    b.onFailure('refused');
    assert.equal(b.state, 'open');
    assert.equal(changes.length, 1);
    clock.t += 150;
    assert.equal(b.tryAcquire(), true);
    b.onSuccess();
    assert.equal(b.state, 'closed');
    assert.deepEqual(changes.at(-1), { to: 'closed', downMs: 250 });
  });

  it('tripping a half-open breaker re-opens it without a second notice', () => {
    const { b, changes, clock } = breaker();
    for (let i = 0; i < 5; i++) b.onFailure('refused');
    assert.equal(changes.length, 1);
    clock.t += 100;
    assert.equal(b.state, 'half_open');
    b.trip('gone');
    assert.equal(b.state, 'open');
    assert.equal(changes.length, 1);
  });
});
