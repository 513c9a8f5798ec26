import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { runClosedLoop } from '../../src/bench/closed-loop.ts';
import { runOpenLoop } from '../../src/bench/open-loop.ts';
import type { SendRequest } from '../../src/bench/run-recorder.ts';

const SERVICE_MS = 40;

/** A real HTTP server on loopback that answers every request after SERVICE_MS. */
async function slowServer(): Promise<{ server: Server; pool: Pool; send: SendRequest }> {
  const server = createServer((_req, res) => setTimeout(() => res.end('ok'), SERVICE_MS));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { connections: 1 });
  const send: SendRequest = async () => {
    const res = await pool.request({ method: 'GET', path: '/' });
    await res.body.dump();
    return res.statusCode;
  };
  return { server, pool, send };
}

test('open loop counts queueing from the intended send time; closed loop cannot see it', async (t) => {
  const { server, pool, send } = await slowServer();
  t.after(async () => {
    await pool.close();
    server.close();
  });
  // 100 arrivals/s against a server that completes 25/s through one slot: the queue grows.
  const open = await runOpenLoop({ rate: 100, maxInflight: 1, budget: { requests: 20 }, send });
  assert.equal(open.recorder.requests, 20);
  assert.equal(open.recorder.errors, 0);
  // Request k waits about k × (40 − 10) ms; the last ones wait well over 400 ms.
  assert.ok(open.recorder.histogram.percentile(100) > 400, `open-loop max ${open.recorder.histogram.percentile(100)} ms`);
  assert.ok(open.recorder.samples.intendedMs[19] < 300, 'intended times follow the schedule, not the answers');
  const closed = await runClosedLoop({ concurrency: 1, budget: { requests: 20 }, send });
  // The closed loop sends the next request only after an answer: its typical latency is the service
  // time, far below the open loop's, however slow the machine (both would grow together).
  const openP50 = open.recorder.histogram.percentile(50);
  const closedP50 = closed.recorder.histogram.percentile(50);
  assert.ok(closedP50 * 2 < openP50, `closed-loop p50 ${closedP50} ms vs open-loop p50 ${openP50} ms`);
});

test('a request that fails without a response is recorded as an error with status 0', async () => {
  const send: SendRequest = () => Promise.reject(new Error('connection refused'));
  const run = await runOpenLoop({ rate: 1_000, maxInflight: 4, budget: { requests: 5 }, send });
  assert.equal(run.recorder.errors, 5);
  assert.deepEqual(run.recorder.samples.status, [0, 0, 0, 0, 0]);
  const byDuration = await runOpenLoop({ rate: 200, maxInflight: 4, budget: { durationMs: 100 }, send });
  assert.equal(byDuration.recorder.requests, 20);
});
