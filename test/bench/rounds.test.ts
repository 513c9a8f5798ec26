import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sideFromRounds } from '../../src/bench/measure-rounds.ts';
import type { LatencyStats, RoundResult } from '../../src/bench/profile.ts';
import { median, roundBudgets, roundSchedule, splitRequests } from '../../src/bench/rounds.ts';

test('the schedule runs every side once per round, always in the order direct, proxy, peer, floor', () => {
  const schedule = roundSchedule(['floor', 'proxy', 'direct', 'peer'], 3);
  assert.equal(schedule.length, 12);
  assert.deepEqual(
    schedule.slice(0, 5).map((s) => `${s.round}:${s.side}`),
    ['1:direct', '1:proxy', '1:peer', '1:floor', '2:direct'],
  );
  for (let k = 0; k < schedule.length; k++) assert.equal(schedule[k].round, Math.floor(k / 4) + 1, `run ${k}`);
  assert.deepEqual(roundSchedule(['proxy', 'direct'], 2).map((s) => s.side), ['direct', 'proxy', 'direct', 'proxy'], 'absent sides are skipped');
  assert.throws(() => roundSchedule(['direct'], 0), /positive integer/);
});

test('a request budget splits into whole rounds that add up; a duration splits evenly', () => {
  assert.deepEqual(splitRequests(11, 3), [4, 4, 3]);
  assert.deepEqual(splitRequests(150, 5), [30, 30, 30, 30, 30]);
  for (const [total, rounds] of [[7, 7], [1000, 3], [99, 10]]) {
    const parts = splitRequests(total, rounds);
    assert.equal(parts.length, rounds);
    assert.equal(parts.reduce((a, b) => a + b, 0), total);
    assert.ok(Math.max(...parts) - Math.min(...parts) <= 1);
  }
  assert.throws(() => splitRequests(2, 3), /cannot fill/);
  assert.deepEqual(roundBudgets({ durationMs: 5000 }, 5), Array(5).fill({ durationMs: 1000 }));
  assert.deepEqual(roundBudgets({ requests: 10 }, 4), [{ requests: 3 }, { requests: 3 }, { requests: 2 }, { requests: 2 }]);
  assert.throws(() => roundBudgets({}, 2), /duration or a request count/);
});

test('median: the middle value, the mean of the middle two, unknown values skipped', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([5, 100, 1, 4, 3]), 4, 'an outlier round does not move it');
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([null, 7, Number.NaN]), 7);
  assert.equal(median([]), null);
  assert.equal(median([null, null]), null);
});

function round(round: number, throughput: number, hop: number | null, requests = 100): RoundResult {
  return { round, requests, errors: round === 2 ? 1 : 0, seconds: requests / throughput, throughput, cpuUsPerRequest: { hop, upstream: 10 * round, client: null } };
}

const LATENCY: LatencyStats = { count: 500, min: 0.1, mean: 1, p50: 0.9, p90: 1.5, p99: 3, max: 9 };

test('a side over its rounds: counts summed, throughput and each CPU figure the median round\'s', () => {
  // A disturbed third round (slow, expensive) and a lucky fifth: neither moves the medians.
  const rounds = [round(1, 1000, 50), round(2, 1100, 48), round(3, 400, 90), round(4, 1050, 52), round(5, 1500, null)];
  const side = sideFromRounds('proxy', rounds, LATENCY);
  assert.equal(side.requests, 500);
  assert.equal(side.errors, 1);
  assert.equal(side.seconds, rounds.reduce((s, r) => s + r.seconds, 0));
  assert.equal(side.throughput, 1050);
  assert.equal(side.cpuUsPerRequest.hop, 51, 'median of the four rounds whose CPU was read');
  assert.equal(side.cpuUsPerRequest.upstream, 30);
  assert.equal(side.cpuUsPerRequest.client, null);
  assert.deepEqual(side.rounds, rounds);
  assert.equal(side.latency, LATENCY);
});
