import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { call } from '../helpers/http.ts';
import { spawnCli, type SpawnedCli } from '../helpers/spawn-cli.ts';

/*
 * `npm start` (= `osproxy dev`) runs its embedded engine as a child process (issue 15 item 6):
 * when that engine dies, dev says so, /_osproxy/ready answers degraded with the reason, and
 * tenant requests get a clear 503 — dev itself keeps running. When dev stops, so does its engine,
 * even when dev is killed outright. Real processes; every wait is for a condition.
 */

const ACME = { authorization: 'Bearer acme-dev-token' };

interface Ready { status: string; reasons?: string[] }

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** The pid of `parent`'s `osproxy engine` child, if it has one yet (Linux /proc). */
function engineChildOf(parent: number): number | undefined {
  let children: number[];
  try {
    children = readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8').trim().split(/\s+/).filter((p) => p !== '').map(Number);
  } catch {
    return undefined;
  }
  return children.find((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('engine');
    } catch {
      return false;
    }
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function startDev(): Promise<{ dev: SpawnedCli; url: string; enginePid: number }> {
  const dev = await spawnCli(['dev', '--port', '0']);
  const enginePid = dev.address.engine_pid as number;
  assert.ok(Number.isInteger(enginePid) && enginePid !== dev.child.pid, JSON.stringify(dev.address));
  assert.ok(alive(enginePid), 'the engine is a process of its own');
  return { dev, url: (dev.address.osproxy as string[])[0], enginePid };
}

async function stopDev(dev: SpawnedCli): Promise<number | null> {
  if (dev.child.exitCode === null && dev.child.signalCode === null) dev.child.kill('SIGTERM');
  return dev.exited;
}

describe('osproxy dev whose engine is killed (SIGKILL)', () => {
  it('warns, answers ready "degraded" with the reason, and gives tenant requests a clear 503 while it keeps running', { timeout: 120_000 }, async () => {
    const { dev, url, enginePid } = await startDev();
    try {
      assert.equal((await call(url, 'PUT', '/orders/_doc/1?refresh=true', { item: 'anvil' }, { headers: ACME })).status, 201);
      const before = await call<Ready>(url, 'GET', '/_osproxy/ready');
      assert.deepEqual([before.status, before.body], [200, { status: 'ready' }]);

      process.kill(enginePid, 'SIGKILL');
      await until('the engine to be gone', () => (alive(enginePid) ? undefined : true));

      const died = new RegExp(`^\\d\\d:\\d\\d:\\d\\d WARN the embedded engine \\(pid ${enginePid}\\) exited unexpectedly with signal SIGKILL: requests get 503 until osproxy dev is restarted; its data is gone \\(use --data DIR to keep it\\)$`, 'm');
      await until('the engine warning', () => (died.test(dev.stdout()) ? true : undefined));
      await until('the cluster warning', () => (/^\d\d:\d\d:\d\d WARN cluster \[default\] is unreachable: the embedded engine \(pid \d+\) exited with signal SIGKILL; circuit breaker open/m.test(dev.stdout()) ? true : undefined));

      const degraded = await until('ready to say the cluster is unreachable', async () => {
        const r = await call<Ready>(url, 'GET', '/_osproxy/ready');
        return r.body.reasons?.includes('cluster [default] is unreachable (circuit breaker open)') ? r : undefined;
      });
      assert.equal(degraded.status, 200, 'degraded: still serving what it can (SPEC §5.5)');
      assert.equal(degraded.body.status, 'degraded');

      // Reads: a 503 in OpenSearch's shape at once, however often they are tried.
      for (const path of ['/orders/_doc/1', '/orders/_search', '/orders/_count']) {
        const res = await call<{ error: { type: string; reason: string }; status: number; osproxy: { code: string; retryable: boolean } }>(url, 'GET', path, undefined, { headers: ACME });
        assert.equal(res.status, 503, `${path}: ${res.text}`);
        assert.equal(res.body.error.type, 'unavailable_exception');
        assert.equal(res.body.error.reason, 'cluster [default] is unavailable (circuit breaker open)');
        assert.deepEqual(res.body.osproxy.code, 'upstream_breaker_open');
        assert.equal(res.body.osproxy.retryable, true);
        assert.doesNotMatch(res.text, /\bat .*\.ts:\d+|127\.0\.0\.1/, 'no stack trace, no upstream address');
      }
      // A write is never retried: it gets the same 503, or — when it happens to be the breaker's
      // one probe (every reset_ms) — the refused connection, 502; either way an answer.
      const write = await call<{ error: { type: string }; osproxy: { code: string } }>(url, 'PUT', '/orders/_doc/2', { item: 'rope' }, { headers: ACME });
      assert.ok(
        (write.status === 503 && write.body.osproxy.code === 'upstream_breaker_open') || (write.status === 502 && write.body.osproxy.code === 'upstream_connect_failed'),
        write.text,
      );

      assert.deepEqual((await call(url, 'GET', '/_osproxy/health')).body, { status: 'ok' }, 'the dev process itself is alive');
      assert.equal(dev.child.exitCode, null, 'dev keeps running without its engine');
      assert.equal(dev.child.signalCode, null);
      assert.equal(dev.stdout().match(/WARN the embedded engine/g)?.length, 1, 'said once');
      assert.equal(dev.stdout().match(/WARN cluster \[default\] is unreachable/g)?.length, 1, 'one warning per outage');
      assert.match(dev.stdout(), /^\d\d:\d\d:\d\d GET \/orders\/_doc\/1 → 503 acme \d+(\.\d)? ms$/m);
    } finally {
      assert.equal(await stopDev(dev), 0, 'Ctrl-C/SIGTERM still stops dev cleanly');
    }
  });
});

describe('osproxy dev stops its engine', () => {
  it('on SIGTERM: the engine has exited when dev has, and no "unexpectedly" warning', { timeout: 60_000 }, async () => {
    const { dev, enginePid } = await startDev();
    assert.equal(await stopDev(dev), 0, 'SIGTERM right after the address line is handled, not fatal');
    assert.equal(alive(enginePid), false, 'dev waits for its engine to exit');
    assert.doesNotMatch(dev.stdout(), /exited unexpectedly|is unreachable/);
  });

  it('on SIGTERM while still starting (engine spawned, proxy not yet listening): no engine is left', { timeout: 60_000 }, async () => {
    const cli = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), cli, 'dev', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    // As soon as the engine exists; usually well before dev's address line (if dev is faster, this
    // is a plain stop, which must leave no engine either).
    const enginePid = await until('the engine child', () => engineChildOf(child.pid!) ?? (JSON.parse(out.split('\n')[0] || '{}') as { engine_pid?: number }).engine_pid);
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    await until('the engine to be gone', () => (alive(enginePid) ? undefined : true));
  });

  it('when dev itself is killed (SIGKILL): the engine notices and exits', { timeout: 60_000 }, async () => {
    const { dev, enginePid } = await startDev();
    dev.child.kill('SIGKILL');
    await dev.exited;
    await until('the orphaned engine to exit', () => (alive(enginePid) ? undefined : true));
  });
});
