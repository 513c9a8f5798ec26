import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { call } from '../helpers/http.ts';
import { waitFor } from '../helpers/otlp-receiver.ts';
import { OPERATOR_TOKEN, startStack, type Stack } from '../helpers/stack.ts';

/*
 * A collector that is down (connection refused) or hung (accepts, never answers): requests are
 * answered as usual, the spans are counted as failed, the failure is logged once (not per
 * export), and closing the proxy is not held up by the flush.
 */

const OPS = { authorization: `Bearer ${OPERATOR_TOKEN}` };

async function spanCounter(stack: Stack, outcome: string): Promise<number> {
  const text = (await call<string>(stack.url, 'GET', '/_osproxy/metrics', undefined, { headers: OPS })).text;
  const m = new RegExp(`^osproxy_trace_spans_total\\{outcome="${outcome}"\\} (\\d+)`, 'm').exec(text);
  return m === null ? -1 : Number(m[1]);
}

/** A logger whose JSON lines are kept (the warning is part of the behaviour). */
function capturedLog(): { log: Logger; lines: () => Record<string, unknown>[] } {
  const text: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      text.push(chunk.toString('utf8'));
      done();
    },
  });
  return {
    log: pino({ level: 'warn' }, sink),
    lines: () =>
      text
        .join('')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** A loopback port with nothing listening on it (listened on, then closed). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('a collector that refuses connections', () => {
  let stack: Stack;
  const captured = capturedLog();

  before(async () => {
    const port = await closedPort();
    // A short export timeout: refused exports fail at once rather than retrying for 10 s.
    const traces = { otlp_endpoint: `http://127.0.0.1:${port}/v1/traces`, export_interval_ms: 20, export_timeout_ms: 300 };
    stack = await startStack({ tenants: ['acme'], extra: { observe: { traces } }, log: captured.log });
  });
  let proxyClosed: Promise<void> | undefined;
  const closeProxy = (): Promise<void> => (proxyClosed ??= stack.proxy.close(1_000));
  after(async () => {
    await closeProxy();
    await stack.engine.close();
  });

  it('answers every request, counts the failed spans, warns once', async () => {
    for (let i = 0; i < 10; i++) assert.equal((await call(stack.url, 'GET', '/', undefined, { headers: stack.auth.acme })).status, 200);
    // Several exports fail (one per interval with something queued).
    const failed = await waitFor('failed spans from several exports', async () => {
      const n = await spanCounter(stack, 'failed');
      return n >= 20 ? n : undefined;
    });
    assert.ok(failed >= 20);
    assert.equal(await spanCounter(stack, 'exported'), 0);
    const warnings = captured.lines().filter((l) => String(l.msg).startsWith('trace export to'));
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    assert.match(String(warnings[0].msg), /ECONNREFUSED|refused|failed/i);
  });

  it('closes promptly however much is still queued', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await call(stack.url, 'GET', '/', undefined, { headers: stack.auth.acme })).status, 200);
    const started = Date.now();
    await closeProxy();
    // The flush is bounded by export_timeout_ms (300 ms); generous for a loaded machine.
    assert.ok(Date.now() - started < 5_000, `close took ${Date.now() - started} ms`);
  });
});

describe('a collector that accepts and never answers', () => {
  let stack: Stack;
  let hung: Server;
  const held: IncomingMessage[] = [];

  before(async () => {
    hung = createServer((req) => held.push(req));
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', () => r()));
    const { port } = hung.address() as AddressInfo;
    const traces = { otlp_endpoint: `http://127.0.0.1:${port}/v1/traces`, export_interval_ms: 20, export_timeout_ms: 3_000 };
    stack = await startStack({ tenants: ['acme'], extra: { observe: { traces } } });
  });
  after(async () => {
    await stack.close();
    hung.closeAllConnections();
    await new Promise<void>((r) => hung.close(() => r()));
  });

  it('answers requests while an export hangs, then counts its spans as failed', async () => {
    assert.equal((await call(stack.url, 'GET', '/', undefined, { headers: stack.auth.acme })).status, 200);
    await waitFor('an export to reach the collector', () => held.length > 0);
    // The export is now in flight and unanswered: requests must not wait for it.
    const results = await Promise.all(Array.from({ length: 10 }, () => call(stack.url, 'GET', '/', undefined, { headers: stack.auth.acme })));
    assert.deepEqual(
      results.map((r) => r.status),
      Array(10).fill(200),
    );
    assert.equal(await spanCounter(stack, 'failed'), 0, 'answered before the hung export timed out');
    assert.equal(held.length, 1, 'one export at a time');
    await waitFor('the hung export to count as failed', async () => (await spanCounter(stack, 'failed')) > 0);
  });
});
