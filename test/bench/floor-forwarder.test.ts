import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { roundTrip, startFloor } from '../../src/bench/floor-forwarder.ts';
import { startFloorProcess } from '../../src/bench/floor-process.ts';
import { Teardown } from '../../src/bench/teardown.ts';
import { processTreeCpuMicros } from '../../src/bench/tree-cpu.ts';

interface Seen {
  method: string;
  url: string;
  contentType: string | undefined;
  body: string;
}

/** An upstream that answers pretty-printed JSON describing the request (404 under /missing, plain text under /text). */
async function upstream(): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const s = { method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'], body };
      seen.push(s);
      if (req.url === '/text') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('not json {');
      res.writeHead(req.url?.startsWith('/missing') ? 404 : 200, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify({ seen: s }, null, 2));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

test('the floor forwards method, path, content type and body, and round-trips the JSON answer', async (t) => {
  const up = await upstream();
  const floor = await startFloor(up.url);
  t.after(async () => {
    await floor.close();
    up.server.close();
  });
  const body = '{"index":{"_id":"1"}}\n{"a":1}\n';
  const res = await fetch(`${floor.url}/phys/_bulk?routing=bench`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
  const text = await res.text();
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json; charset=UTF-8');
  assert.deepEqual(up.seen[0], { method: 'POST', url: '/phys/_bulk?routing=bench', contentType: 'application/x-ndjson', body });
  assert.equal(text, JSON.stringify({ seen: up.seen[0] }), 'compact: parsed and stringified once');
  assert.equal(Number(res.headers.get('content-length')), Buffer.byteLength(text));

  const missing = await fetch(`${floor.url}/missing/_doc/x`);
  assert.equal(missing.status, 404, 'status passes through');
  assert.equal((await missing.json() as { seen: Seen }).seen.method, 'GET');
  const plain = await fetch(`${floor.url}/text`);
  assert.equal(await plain.text(), 'not json {', 'a body that is not JSON passes unchanged');
});

test('an unreachable upstream is a 502 from the floor, not a hang', async (t) => {
  const up = await upstream();
  const url = up.url;
  await new Promise<void>((resolve) => up.server.close(() => resolve()));
  const floor = await startFloor(url);
  t.after(() => floor.close());
  const res = await fetch(`${floor.url}/x`);
  assert.equal(res.status, 502);
  assert.match(await res.text(), /floor_upstream_error/);
});

test('roundTrip compacts JSON and leaves the rest alone', () => {
  assert.equal(roundTrip('{ "a" : [1, 2] }'), '{"a":[1,2]}');
  assert.equal(roundTrip(''), '');
  assert.equal(roundTrip('nope'), 'nope');
});

test('the floor runs bundled as its own process, whose CPU can be read', { skip: process.platform !== 'linux' }, async (t) => {
  const up = await upstream();
  const teardown = new Teardown();
  t.after(async () => {
    await teardown.run();
    up.server.close();
  });
  const floor = await startFloorProcess(up.url, teardown);
  assert.notEqual(floor.pid, process.pid);
  const before = processTreeCpuMicros(floor.pid);
  assert.ok(before !== undefined);
  // Enough requests that the floor's CPU surely crosses a few of /proc's 10 ms ticks.
  for (let batch = 0; batch < 100; batch++) {
    const statuses = await Promise.all(Array.from({ length: 10 }, (_, k) => fetch(`${floor.url}/doc/${batch * 10 + k}`).then(async (r) => (await r.arrayBuffer(), r.status))));
    assert.deepEqual(statuses, Array(10).fill(200));
  }
  assert.equal(up.seen.length, 1000);
  const after = processTreeCpuMicros(floor.pid) ?? 0;
  assert.ok(after > before, `the floor spent CPU on 1,000 requests (${before} → ${after} µs)`);
});
