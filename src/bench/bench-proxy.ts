/**
 * The proxy under test: a config (in a fresh temp dir) with the `bench` tenant in shared placement
 * in front of the upstream, random tenant and operator tokens, and admission opened wide so that
 * the benchmark measures the proxy's cost rather than its fairness limits.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashToken } from '../auth/index.ts';
import { BENCH_TENANT } from './corpus.ts';
import { spawnProxy, type BenchProcess } from './processes.ts';
import type { Teardown } from './teardown.ts';

export interface BenchProxy {
  url: string;
  /** The proxy's process (the cluster primary with workers); undefined for a proxy we did not start. */
  process?: BenchProcess;
  token: string;
  operatorToken?: string;
}

export interface BenchProxyOptions {
  upstream: string;
  workers: number;
  /** Directory for a `--cpu-prof` profile of the proxy, written when it stops. */
  cpuProfileDir?: string;
  /** The bundled CLI to run the proxy from (plain node, as deployed); undefined = sources under tsx. */
  entry?: string;
  /**
   * The tenant's and the operator's tokens. Proxies sharing an upstream must share them: the first
   * to start seeds the fleet store with its config's principals, later ones read them from it.
   */
  tokens: BenchTokens;
}

export interface BenchTokens {
  token: string;
  operatorToken: string;
}

/** How the bench starts its proxies: one build of the current sources (none with `--proxy`), one set of tokens. */
export interface BenchLaunch {
  entry: string | undefined;
  tokens: BenchTokens;
}

export function randomBenchTokens(): BenchTokens {
  return { token: randomBytes(24).toString('base64url'), operatorToken: randomBytes(24).toString('base64url') };
}

function proxyConfig(upstream: string, token: string, operatorToken: string): Record<string, unknown> {
  return {
    listeners: [{ host: '127.0.0.1', port: 0 }],
    clusters: { default: { url: upstream } },
    tenants: {
      [BENCH_TENANT]: {
        placement: { kind: 'shared' },
        principals: [{ name: `${BENCH_TENANT}-client`, token_sha256: hashToken(token), roles: ['read', 'write', 'manage'] }],
      },
    },
    operators: [{ name: 'bench', token_sha256: hashToken(operatorToken) }],
    admission: { tenant_share_percent: 100 },
    log_level: 'warn',
  };
}

/** Starts `osproxy serve` with the bench config; the process and its temp dir join `teardown`. */
export async function startBenchProxy(opts: BenchProxyOptions, teardown: Teardown): Promise<BenchProxy> {
  const { token, operatorToken } = opts.tokens;
  const dir = mkdtempSync(join(tmpdir(), 'osproxy-bench-'));
  teardown.add(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'osproxy.yaml');
  writeFileSync(file, JSON.stringify(proxyConfig(opts.upstream, token, operatorToken), null, 2), { mode: 0o600 });
  const nodeArgs = opts.cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`];
  const proc = await spawnProxy(file, { workers: opts.workers, nodeArgs, entry: opts.entry });
  teardown.add(() => proc.stop());
  return { url: proc.url, process: proc, token, operatorToken };
}
