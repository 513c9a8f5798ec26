import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IdleTrim } from '../../src/core/idle-trim.ts';

/** An IdleTrim on a hand-driven clock and request counters, recording what it ran. */
function harness(trimResults: boolean[] = [], youngGrownAtStart = false) {
  const state = { now: 0, started: 0, inflight: 0, ran: [] as string[] };
  const trim = new IdleTrim({
    started: () => state.started,
    inflight: () => state.inflight,
    scavenge: () => state.ran.push(`scavenge@${state.now}`),
    trim: () => {
      state.ran.push(`trim@${state.now}`);
      return trimResults.shift() ?? true;
    },
    compact: () => state.ran.push(`compact@${state.now}`),
    youngGrown: () => youngGrownAtStart,
    now: () => state.now,
    idleMs: 6_000,
  });
  /** Checks every 2 s up to `until`, as the timer would. */
  const runTo = (until: number): void => {
    while (state.now < until) {
      state.now += 2_000;
      trim.check();
    }
  };
  return { state, trim, runTo };
}

describe('memory back after a burst: the idle trim', () => {
  it('never runs in a process that has served no request and whose start-up left the young generation small', () => {
    const { state, runTo } = harness();
    runTo(120_000);
    assert.deepEqual(state.ran, []);
  });

  it('trims once after a start-up that grew the young generation, then nothing until a burst', () => {
    const { state, runTo } = harness([], true);
    runTo(120_000);
    assert.deepEqual(state.ran, ['scavenge@2000', 'trim@8000', 'compact@10000']);
  });

  it('after a burst: a scavenge as the idle time begins, a trim once it has lasted the idle time, a full collection after, then nothing', () => {
    const { state, runTo } = harness();
    state.started = 500;
    runTo(60_000);
    assert.deepEqual(state.ran, ['scavenge@4000', 'trim@10000', 'compact@12000']);
  });

  it('waits while requests keep arriving or one is still in flight', () => {
    const { state, runTo, trim } = harness();
    for (let t = 0; t < 30_000; t += 2_000) {
      state.started++;
      state.now += 2_000;
      trim.check();
    }
    state.inflight = 1;
    runTo(60_000);
    assert.deepEqual(state.ran, [], 'nothing while busy');
    state.inflight = 0;
    runTo(80_000);
    assert.deepEqual(state.ran, ['scavenge@62000', 'trim@68000', 'compact@70000']);
  });

  it('tries again after another idle period when memory is not back, three times at most', () => {
    const { state, runTo } = harness([false, false, false, false]);
    state.started = 1;
    runTo(120_000);
    assert.deepEqual(state.ran, ['scavenge@4000', 'trim@10000', 'trim@16000', 'trim@22000'], 'no full collection after a trim that did not take');
  });

  it('a trim that takes on a second attempt is followed by the full collection', () => {
    const { state, runTo } = harness([false, true]);
    state.started = 1;
    runTo(60_000);
    assert.deepEqual(state.ran, ['scavenge@4000', 'trim@10000', 'trim@16000', 'compact@18000']);
  });

  it('a request between the trim and its full collection arms it again instead', () => {
    const { state, runTo, trim } = harness();
    state.started = 1;
    runTo(10_000);
    state.started = 2;
    state.now += 2_000;
    trim.check();
    runTo(40_000);
    assert.deepEqual(state.ran, ['scavenge@4000', 'trim@10000', 'scavenge@14000', 'trim@20000', 'compact@22000']);
  });

  it('a new burst after a trim arms it again', () => {
    const { state, runTo } = harness();
    state.started = 1;
    runTo(20_000);
    state.started = 2;
    runTo(40_000);
    assert.deepEqual(state.ran, ['scavenge@4000', 'trim@10000', 'compact@12000', 'scavenge@24000', 'trim@30000', 'compact@32000']);
  });
});
