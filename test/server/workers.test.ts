import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Client } from 'undici';
import { stringify } from 'yaml';
import { hashToken } from '../../src/auth/index.ts';
import { childPids } from '../../src/observe/process-rss.ts';
import { spawnEngine, type EngineProcess } from '../helpers/engine-process.ts';
import { call } from '../helpers/http.ts';
import { spawnProxy, type ProxyProcess } from '../helpers/proxy-process.ts';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const ACME = { authorization: 'Bearer acme-token' };
const GLOBEX = { authorization: 'Bearer globex-token' };
const OPERATOR = { authorization: 'Bearer operator-token' };

function configFor(engineUrl: string): Record<string, unknown> {
  const tenant = (t: string): Record<string, unknown> => ({ principals: [{ name: `${t}-app`, token_sha256: hashToken(`${t}-token`), roles: ['read', 'write', 'manage'] }] });
  return {
    listeners: [{ host: '127.0.0.1', port: 0 }],
    clusters: { default: { url: engineUrl } },
    tenants: { acme: tenant('acme'), globex: tenant('globex') },
    operators: [{ name: 'ops', token_sha256: hashToken('operator-token') }],
    log_level: 'warn',
  };
}

/** One request on a connection of its own (closed afterwards), so cluster hands each to a worker anew. */
function fresh(base: string, path: string, headers: Record<string, string>, timeoutMs = 30_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { agent: false, timeout: timeoutMs, headers: { ...headers, connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.end();
  });
}

/** A process that still runs (a zombie has finished). */
function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** The primary's cluster workers (its children running `serve`). */
function workerPids(primary: number): number[] {
  return childPids(primary).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('serve');
    } catch {
      return false;
    }
  });
}

/** Inodes of the established TCP sockets whose local end is `port` (the proxy's side). */
function acceptedSocketInodes(port: number): Set<string> {
  const out = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && parseInt(f[1].split(':')[1], 16) === port && f[3] === '01') out.add(f[9]);
    }
  }
  return out;
}

function ownsAnyOf(pid: number, inodes: Set<string>): boolean {
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m && inodes.has(m[1])) return true;
    } catch {
      // The descriptor closed while we looked.
    }
  }
  return false;
}

/** Sum of every sample of a metric (all label sets) in Prometheus text. */
function total(text: string, name: string): number {
  const re = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm');
  return [...text.matchAll(re)].reduce((sum, m) => sum + Number(m[1]), 0);
}

async function scrape(url: string): Promise<string> {
  const res = await call<string>(url, 'GET', '/_osproxy/metrics', undefined, { headers: OPERATOR });
  assert.equal(res.status, 200, res.text);
  return res.text;
}

async function waitFor(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('serve --workers 2 (node:cluster)', () => {
  let engine: EngineProcess;
  let proxy: ProxyProcess;
  let port: number;
  before(async () => {
    engine = await spawnEngine();
    proxy = await spawnProxy(configFor(engine.url), [], {}, ['--workers', '2']);
    port = Number(new URL(proxy.url).port);
  });
  after(async () => {
    await proxy.stop();
    await engine.stop();
  });

  /** Opens 8 keep-alive connections, one request each, and returns the workers holding them. */
  async function workersHoldingConnections(): Promise<number[]> {
    const clients = Array.from({ length: 8 }, () => new Client(proxy.url));
    try {
      for (const c of clients) {
        const res = await c.request({ method: 'GET', path: '/w/_doc/1', headers: ACME });
        await res.body.dump();
        assert.equal(res.statusCode, 200);
      }
      // The connections are still open: see which worker holds each accepted socket.
      const inodes = acceptedSocketInodes(port);
      assert.ok(inodes.size >= 8, `expected 8 accepted sockets, saw ${inodes.size}`);
      return workerPids(proxy.pid).filter((pid) => ownsAnyOf(pid, inodes));
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  }

  it('announces one address once both workers listen, and serves a tenant through fresh connections', async () => {
    assert.equal(workerPids(proxy.pid).length, 2);
    const created = await call(proxy.url, 'PUT', '/w/_doc/1?refresh=true', { title: 'multi-process' }, { headers: ACME });
    assert.equal(created.status, 201, created.text);
    // Each GET on its own connection: they land on both workers, and the one that did not
    // create the index knows it anyway (registry changes are relayed between workers).
    for (let i = 0; i < 10; i++) {
      const got = await fresh(proxy.url, '/w/_doc/1', ACME);
      assert.equal(got.status, 200, got.body);
      assert.equal((JSON.parse(got.body) as { _source: { title: string } })._source.title, 'multi-process');
    }
  });

  it("does not show one tenant's document to another through any worker", async () => {
    for (let i = 0; i < 6; i++) {
      const res = await fresh(proxy.url, '/w/_doc/1', GLOBEX);
      assert.equal(res.status, 404, res.body);
      assert.doesNotMatch(res.body, /multi-process/);
    }
  });

  it('spreads connections over more than one worker process', async () => {
    assert.deepEqual((await workersHoldingConnections()).sort(), workerPids(proxy.pid).sort(), 'both workers hold client connections');
  });

  it("answers /_osproxy/metrics on any worker with every worker's metrics, aggregated", async () => {
    const first = await scrape(proxy.url);
    const m = 40;
    for (let i = 0; i < m; i++) assert.equal((await fresh(proxy.url, '/w/_doc/1', ACME)).status, 200);
    const second = await scrape(proxy.url);
    // The requests went to both workers (above), so only a sum over both can count all of them
    // (+1: the first scrape is counted once answered).
    const served = total(second, 'osproxy_requests_total') - total(first, 'osproxy_requests_total');
    assert.ok(served >= m && served <= m + 1, `requests counted: ${served}, sent ${m}`);
    const dispatched = total(second, 'osproxy_upstream_requests_dispatched') - total(first, 'osproxy_upstream_requests_dispatched');
    assert.ok(dispatched >= m, `upstream requests dispatched: ${dispatched}, sent ${m}`);
    for (const name of ['osproxy_upstream_connections_opened', 'osproxy_upstream_requests_dispatched', 'osproxy_upstream_requests_reused', 'osproxy_upstream_breaker_open']) {
      assert.equal(second.match(new RegExp(`^${name}\\{cluster="default"\\} `, 'gm'))?.length, 1, `${name} once, aggregated`);
      assert.equal(second.match(new RegExp(`^# TYPE ${name} `, 'gm'))?.length, 1, `${name} declared once`);
    }
    assert.match(second, /^osproxy_upstream_breaker_open\{cluster="default"\} 0$/m, 'a state is the max over workers, not a sum');
    assert.ok(total(second, 'osproxy_upstream_connections_opened') >= 2, 'each worker has its own upstream pool');
  });

  it('finds an explain record whichever worker handled the request', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `across-workers-${i}`);
    for (const id of ids) assert.equal((await fresh(proxy.url, '/w/_doc/1', { ...ACME, 'x-request-id': id })).status, 200);
    for (const id of ids) {
      // Each lookup on a fresh connection: about half land on the worker that did not serve it.
      const rec = await fresh(proxy.url, `/_osproxy/explain/${id}`, OPERATOR);
      assert.equal(rec.status, 200, `${id}: ${rec.body}`);
      assert.equal((JSON.parse(rec.body) as { request_id: string; tenant: string }).tenant, 'acme');
    }
    assert.equal((await fresh(proxy.url, '/_osproxy/explain/never-sent', OPERATOR)).status, 404);
  });

  it('answers a scrape with a 503 in OpenSearch shape, not a hang, when a worker cannot answer', async () => {
    const [frozen] = workerPids(proxy.pid);
    process.kill(frozen, 'SIGSTOP');
    try {
      // Connections handed to the frozen worker hang; the others get the error once collection times out.
      const tries = await Promise.allSettled([0, 1, 2, 3].map(() => fresh(proxy.url, '/_osproxy/metrics', OPERATOR, 7_000)));
      const answered = tries.flatMap((t) => (t.status === 'fulfilled' ? [t.value] : []));
      assert.ok(answered.length >= 1, 'the running worker answered');
      for (const res of answered) {
        assert.equal(res.status, 503, res.body);
        const body = JSON.parse(res.body) as { error: { type: string }; osproxy: { code: string; retryable: boolean } };
        assert.equal(body.error.type, 'unavailable_exception');
        assert.equal(body.osproxy.code, 'metrics_unavailable');
        assert.equal(body.osproxy.retryable, true);
      }
    } finally {
      process.kill(frozen, 'SIGCONT');
    }
    assert.equal((await fresh(proxy.url, '/w/_doc/1', ACME)).status, 200);
  });

  it('replaces a worker that dies', async () => {
    const [victim, survivor] = workerPids(proxy.pid);
    process.kill(victim, 'SIGKILL');
    await waitFor('a replacement worker', () => {
      const now = workerPids(proxy.pid);
      return now.length === 2 && !now.includes(victim) && now.includes(survivor);
    });
    // While the replacement boots, a scrape is answered from the running worker, without waiting on
    // it: waiting would take the primary's whole collection timeout (4 s).
    const started = Date.now();
    await scrape(proxy.url);
    assert.ok(Date.now() - started < 3_500, `the scrape took ${Date.now() - started} ms`);
    // Requests keep succeeding meanwhile, and the replacement starts taking connections.
    const replacement = workerPids(proxy.pid).find((pid) => pid !== survivor) as number;
    for (const deadline = Date.now() + 30_000; !(await workersHoldingConnections()).includes(replacement); ) {
      assert.ok(Date.now() < deadline, 'the replacement worker never took a connection');
      await sleep(200);
    }
    for (let i = 0; i < 6; i++) assert.equal((await fresh(proxy.url, '/w/_doc/1', ACME)).status, 200);
  });

  it('stops the primary and every worker on SIGTERM', async () => {
    const workers = workerPids(proxy.pid);
    assert.equal(workers.length, 2);
    const exited = new Promise<number | null>((resolve) => proxy.child.once('exit', (code) => resolve(code)));
    proxy.child.kill('SIGTERM');
    assert.equal(await exited, 0);
    await waitFor('the workers to be gone', () => workers.every((pid) => !alive(pid)), 5_000);
  });
});

interface CliRun {
  code: number | null;
  stderr: string;
  stdout: string;
}

/** Runs `osproxy <args>` to completion (≤ 60 s), capturing its output. */
function runCli(args: string[]): Promise<CliRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    }),
  );
}

describe('serve --workers: refusals', () => {
  const dir = mkdtempSync(join(tmpdir(), 'osproxy-workers-'));
  const file = join(dir, 'osproxy.yaml');
  writeFileSync(file, stringify(configFor('http://127.0.0.1:9')));

  it('refuses --workers 0 and non-integers with exit 2 and a clear message', async () => {
    for (const bad of ['0', '1.5', 'two', '-3']) {
      const run = await runCli(['serve', '--config', file, '--workers', bad]);
      assert.equal(run.code, 2, `--workers ${bad}: ${run.stderr}`);
      assert.match(run.stderr, /--workers must be a whole number ≥ 1/);
      assert.equal(run.stdout, '');
    }
  });

  it('fails fast on a config error, before forking', async () => {
    const badFile = join(dir, 'bad.yaml');
    writeFileSync(badFile, stringify({ ...configFor('http://127.0.0.1:9'), bogus_key: 1 }));
    const run = await runCli(['serve', '--config', badFile, '--workers', '2']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /bogus_key/);
    assert.doesNotMatch(run.stderr, /worker/);
  });

  it('exits non-zero when the workers cannot listen (port in use), instead of re-forking them', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    try {
      const taken = (blocker.address() as AddressInfo).port;
      const run = await runCli(['serve', '--config', file, '--workers', '2', '--listen', `127.0.0.1:${taken}`]);
      assert.notEqual(run.code, 0, run.stderr);
      assert.notEqual(run.code, null, 'it exited by itself');
      assert.equal(run.code, 2, 'a worker that cannot start makes the primary exit 2 too');
      assert.match(run.stderr, /already in use/);
      assert.match(run.stderr, /before it was listening/);
      assert.equal(run.stdout, '');
    } finally {
      blocker.close();
    }
  });
});
