import { pino, type Logger } from 'pino';
import { hashToken } from '../../src/auth/index.ts';
import { startEngine, type RunningEngine } from '../../src/engine/engine.ts';
import { parseConfig } from '../../src/config/load.ts';
import { startProxy, type RunningProxy } from '../../src/server/proxy-server.ts';

export interface Stack {
  engine: RunningEngine;
  proxy: RunningProxy;
  /** The proxy's base URL. */
  url: string;
  /** Authorization headers per tenant. */
  auth: Record<string, { authorization: string }>;
  close(): Promise<void>;
}

export interface StackOptions {
  tenants?: string[];
  /** Default placement for every tenant. */
  placement?: 'shared' | 'index';
  /** Extra config merged at the top level (limits, tenancy, operators, ...). */
  extra?: Record<string, unknown>;
  /** Per-tenant config overrides (e.g. per-index placements). */
  tenantExtra?: Record<string, Record<string, unknown>>;
  /** The proxy's logger (default: silent, or STACK_LOG's level). */
  log?: Logger;
}

export const OPERATOR_TOKEN = 'operator-test-token';

/** The embedded engine plus an in-process proxy on real loopback sockets, one token per tenant. */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const tenants = opts.tenants ?? ['acme', 'globex'];
  const engine = await startEngine({ port: 0 });
  const tenantConfig = Object.fromEntries(
    tenants.map((t) => [
      t,
      {
        placement: { kind: opts.placement ?? 'shared' },
        principals: [{ name: `${t}-test`, token_sha256: hashToken(`${t}-token`), roles: ['read', 'write', 'manage'] }],
        ...(opts.tenantExtra?.[t] ?? {}),
      },
    ]),
  );
  const config = parseConfig({
    listeners: [{ host: '127.0.0.1', port: 0 }],
    clusters: { default: { url: engine.url } },
    tenants: tenantConfig,
    operators: [{ name: 'ops', token_sha256: hashToken(OPERATOR_TOKEN) }],
    ...(opts.extra ?? {}),
  });
  const proxy = await startProxy(config, { log: opts.log ?? pino({ level: process.env.STACK_LOG ?? 'silent' }) });
  const auth = Object.fromEntries(tenants.map((t) => [t, { authorization: `Bearer ${t}-token` }]));
  return {
    engine,
    proxy,
    url: proxy.urls[0],
    auth,
    async close() {
      await proxy.close(1_000);
      await engine.close();
    },
  };
}
