/**
 * The processes under test for the smoke benchmark: the embedded engine, and the proxy configured
 * (from a temp-dir config file) with one tenant on shared placement in front of it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashToken } from '../auth/index.ts';
import { spawnEngine, spawnProxy, type BenchProcess } from './processes.ts';
import { TENANT } from './smoke-data.ts';
import type { Teardown } from './teardown.ts';

export interface SmokeStack {
  engine: BenchProcess;
  proxy: BenchProcess;
  /** The tenant's bearer token (random per run). */
  token: string;
}

function proxyConfig(engineUrl: string, token: string): Record<string, unknown> {
  return {
    listeners: [{ host: '127.0.0.1', port: 0 }],
    clusters: { default: { url: engineUrl } },
    tenants: {
      [TENANT]: {
        placement: { kind: 'shared' },
        principals: [{ name: `${TENANT}-smoke`, token_sha256: hashToken(token), roles: ['read', 'write', 'manage'] }],
      },
    },
    log_level: 'warn',
  };
}

/** Writes the config (JSON is valid YAML) into a fresh temp dir and returns the dir and file. */
function writeConfig(config: Record<string, unknown>): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'osproxy-smoke-'));
  const file = join(dir, 'osproxy.yaml');
  writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 });
  return { dir, file };
}

/** Starts engine then proxy, registering each (and the temp dir) with `teardown` as soon as it exists. */
export async function startSmokeStack(teardown: Teardown): Promise<SmokeStack> {
  const engine = await spawnEngine();
  teardown.add(() => engine.stop());
  const token = randomBytes(24).toString('base64url');
  const { dir, file } = writeConfig(proxyConfig(engine.url, token));
  teardown.add(() => rmSync(dir, { recursive: true, force: true }));
  const proxy = await spawnProxy(file);
  teardown.add(() => proxy.stop());
  return { engine, proxy, token };
}
