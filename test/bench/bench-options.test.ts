import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BenchOptionError, checkBenchOptions, defaultProfileConcurrency, type RawBenchOptions } from '../../src/bench/bench-options.ts';

const BASE: RawBenchOptions = { workload: 'search', docSize: '1024', warmup: '1', soak: '100', settle: '15', bulkSize: '100', progress: false };

test('a sweep is sorted and deduplicated, and the judged level is the one nearest 16', () => {
  const o = checkBenchOptions({ ...BASE, sweep: '64,8,1,32,8' });
  assert.deepEqual(o.concurrencies, [1, 8, 32, 64]);
  assert.equal(o.profileConcurrency, 8);
  assert.equal(defaultProfileConcurrency([1, 24]), 24);
  assert.equal(defaultProfileConcurrency([8, 24]), 8);
});

test('--concurrency with a sweep adds that level and judges it', () => {
  const o = checkBenchOptions({ ...BASE, sweep: '1,64', concurrency: '16' });
  assert.deepEqual(o.concurrencies, [1, 16, 64]);
  assert.equal(o.profileConcurrency, 16);
});

test('defaults: 5 rounds of 1 s per side, closed loop, concurrency 16, an output dir named after the workload', () => {
  const o = checkBenchOptions(BASE, new Date('2026-01-02T03:04:05.678Z'));
  assert.equal(o.durationSeconds, 5);
  assert.equal(o.rounds, 5);
  assert.equal(o.rate, undefined);
  assert.deepEqual(o.concurrencies, [16]);
  assert.match(o.out, /search-2026-01-02T03-04-05-678Z$/);
});

test('rounds: --round-seconds is per round, --duration and --requests are per side and level', () => {
  assert.deepEqual([checkBenchOptions({ ...BASE, rounds: '3', roundSeconds: '2' })].map((o) => [o.rounds, o.durationSeconds]), [[3, 6]]);
  assert.deepEqual([checkBenchOptions({ ...BASE, rounds: '4', duration: '2' })].map((o) => [o.rounds, o.durationSeconds]), [[4, 2]]);
  const byRequests = checkBenchOptions({ ...BASE, rounds: '3', requests: '100' });
  assert.deepEqual([byRequests.rounds, byRequests.requests, byRequests.durationSeconds], [3, 100, undefined]);
});

test('bad options are refused with the option named', () => {
  const cases: [Partial<RawBenchOptions>, RegExp][] = [
    [{ workload: 'scan' }, /--workload/],
    [{ sweep: '1,0' }, /--sweep/],
    [{ docSize: '-5' }, /--doc-size/],
    [{ duration: '5', requests: '10' }, /only one of.*got --duration and --requests/],
    [{ duration: '5', roundSeconds: '1' }, /got --duration and --round-seconds/],
    [{ rounds: '0' }, /--rounds/],
    [{ rounds: '5', requests: '4' }, /--requests 4 cannot fill 5 rounds/],
    [{ roundSeconds: '-1' }, /--round-seconds/],
    [{ upstream: 'http://x', engine: true }, /not both/],
    [{ peer: 'haproxy' }, /--peer/],
    [{ rate: 'fast' }, /--rate/],
    [{ proxy: 'http://127.0.0.1:1' }, /--token/],
  ];
  for (const [raw, message] of cases) {
    assert.throws(() => checkBenchOptions({ ...BASE, ...raw }), (e: Error) => e instanceof BenchOptionError && message.test(e.message), JSON.stringify(raw));
  }
});

test('the settle before RSS readings is a number of seconds, 0 allowed, never negative', () => {
  assert.equal(checkBenchOptions({ ...BASE, settle: '0' }).settleSeconds, 0);
  assert.equal(checkBenchOptions({ ...BASE, settle: '2.5' }).settleSeconds, 2.5);
  assert.throws(() => checkBenchOptions({ ...BASE, settle: '-1' }), BenchOptionError);
  assert.throws(() => checkBenchOptions({ ...BASE, settle: 'soon' }), BenchOptionError);
});
