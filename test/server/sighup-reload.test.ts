import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { hashToken } from '../../src/auth/index.ts';
import { call } from '../helpers/http.ts';
import { spawnEngine, type EngineProcess } from '../helpers/engine-process.ts';
import { spawnCli, type SpawnedCli } from '../helpers/spawn-cli.ts';

const ACME = { authorization: 'Bearer hup-token' };

describe('SIGHUP re-reads the live-changeable parts of the configuration', () => {
  let engine: EngineProcess;
  let proxy: SpawnedCli;
  let url: string;
  const file = join(mkdtempSync(join(tmpdir(), 'osproxy-hup-')), 'osproxy.yaml');
  const config = (maxBody: number): Record<string, unknown> => ({
    listeners: [{ host: '127.0.0.1', port: 0 }],
    clusters: { default: { url: engine.url } },
    // One instance: the in-memory fleet store is enough here.
    control: { store: 'memory' },
    tenants: { acme: { principals: [{ name: 'app', token_sha256: hashToken('hup-token') }] } },
    limits: { max_body_bytes: maxBody },
    // Errors only: a failed reload is logged (and awaited below), requests are not.
    log_level: 'error',
  });
  let n = 0;
  const reloadFailures = (): number => proxy.stdout().split('\n').filter((l) => l.includes('configuration reload failed')).length;
  const put = (bytes: number) => call(url, 'PUT', `/hup/_doc/${n++}`, { v: 'x'.repeat(bytes) }, { headers: ACME });

  /** Sends SIGHUP, then waits until `probe` holds (the signal is handled asynchronously). */
  async function hup(probe: () => Promise<boolean>): Promise<boolean> {
    proxy.child.kill('SIGHUP');
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(100)) {
      if (await probe()) return true;
    }
    return false;
  }

  before(async () => {
    engine = await spawnEngine();
    writeFileSync(file, stringify(config(1024 * 1024)));
    proxy = await spawnCli(['serve', '--config', file]);
    url = (proxy.address.osproxy as string[])[0];
  });
  after(async () => {
    proxy.child.kill('SIGTERM');
    await proxy.exited;
    await engine.stop();
  });

  it('applies a new body limit without a restart', async () => {
    assert.equal((await put(4_000)).status, 201);
    writeFileSync(file, stringify(config(2_048)));
    assert.ok(await hup(async () => (await put(4_000)).status === 413), 'the new limit applies');
  });

  it('keeps the running values when the file is invalid, and keeps running', async () => {
    writeFileSync(file, 'limits:\n\tmax_body_bytes: 1\n');
    const failedBefore = reloadFailures();
    proxy.child.kill('SIGHUP');
    // Wait for the reload to have been tried (its failure is logged), not for a while.
    for (const deadline = Date.now() + 30_000; reloadFailures() === failedBefore; await sleep(50)) {
      assert.ok(Date.now() < deadline, 'the failed reload was never logged');
    }
    assert.equal(proxy.child.exitCode, null, 'still running');
    assert.equal((await put(1_000)).status, 201, 'the 2 KiB limit from before still applies');
    assert.equal((await put(4_000)).status, 413);
    writeFileSync(file, stringify(config(1024 * 1024)));
    assert.ok(await hup(async () => (await put(4_000)).status === 201));
  });
});
