import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { CredentialCache, OperatorAuth } from '../auth/index.ts';
import { Admission } from '../batch/admission.ts';
import { ExplainRing } from '../observe/explain.ts';
import { ProxyMetrics } from '../observe/metrics.ts';
import { UpstreamCluster } from '../upstream/cluster.ts';
import type { ListenerConfig, OsproxyConfig } from '../config/schema.ts';
import { handleRequest } from './handle-request.ts';
import { isLoopbackAddress } from './loopback.ts';
import { InflightBudget } from '../http/body.ts';
import { onClientError } from './send-reply.ts';
import type { Services } from '../ops/services.ts';
import { buildControlPlane } from './control-wiring.ts';
import { diffConfig, type ConfigDiff } from './reconfigure.ts';
import { MIN_CURSOR_KEY_BYTES } from '../config/schema.ts';
import type { TenancySettings } from '../resolve/request-scope.ts';

/** The services, plus applying a re-read configuration (SIGHUP). */
export interface LiveServices extends Services {
  reconfigure(next: OsproxyConfig): ConfigDiff;
}

export interface RunningProxy {
  urls: string[];
  services: LiveServices;
  /** Stops accepting, drains in-flight requests for up to `drainMs`, then closes upstream pools. */
  close(drainMs?: number): Promise<void>;
}

async function createListener(l: ListenerConfig, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  if (l.tls === undefined) return createHttpServer(handler);
  // node:https (and TLS) only for a TLS listener: a plain one has no use for them.
  const { createServer: createHttpsServer } = await import('node:https');
  return createHttpsServer(
    {
      cert: readFileSync(l.tls.cert_file),
      key: readFileSync(l.tls.key_file),
      ca: l.tls.ca_file ? readFileSync(l.tls.ca_file) : undefined,
      requestCert: l.tls.client_cert !== 'none',
      rejectUnauthorized: l.tls.client_cert === 'require',
    },
    handler,
  );
}

async function listen(server: Server, l: ListenerConfig): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(l.port, l.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return `${l.tls ? 'https' : 'http'}://${host}:${addr.port}`;
}

function tenancySettings(config: OsproxyConfig): TenancySettings {
  const { reserved_fields, stored_script_allowlist, cursor_key_b64, field_quota_per_index, shared_total_fields_limit } = config.tenancy;
  const key = cursor_key_b64 === undefined ? undefined : Buffer.from(cursor_key_b64, 'base64');
  return {
    reserved: reserved_fields,
    fieldQuota: field_quota_per_index,
    sharedFieldsLimit: shared_total_fields_limit,
    storedScriptAllowlist: new Set(stored_script_allowlist),
    // Validated at load (schema); the length check keeps a hand-built config from sealing with a weak key.
    cursorKey: key !== undefined && key.length >= MIN_CURSOR_KEY_BYTES ? key : undefined,
  };
}

export async function buildServices(config: OsproxyConfig, log: Logger): Promise<LiveServices> {
  const clusters = new Map(Object.entries(config.clusters).map(([id, c]) => [id, new UpstreamCluster(id, c)]));
  const budget = new InflightBudget(config.limits.max_inflight_bytes);
  const devOpen = config.auth.dev_open && config.listeners.every((l) => isLoopbackAddress(l.host) || l.host === 'localhost');
  if (config.auth.dev_open && !devOpen) log.warn('auth.dev_open is ignored: a listener is not on loopback');
  if (devOpen) log.warn('DEV MODE: open access on loopback — any caller may act as any configured tenant via x-osproxy-tenant');
  const control = await buildControlPlane(config, clusters, log, devOpen);
  await control.start();
  const metrics = new ProxyMetrics(() => clusters.values(), () => budget.inUse);
  metrics.watchControlSnapshot(() => control.snapshotAgeMs / 1000, control.reads);
  const admission = new Admission(config.admission, {
    registry: metrics.registry,
    tenantLabelLimit: config.metrics.tenant_label_limit,
    overridesOf: (tenant) => control.snapshot()?.tenant(tenant)?.doc.admission,
  });
  const live = { config, operators: new OperatorAuth(config.operators) };
  return {
    get config() {
      return live.config;
    },
    get operators() {
      return live.operators;
    },
    reconfigure(next: OsproxyConfig): ConfigDiff {
      const diff = diffConfig(live.config, next);
      live.operators = new OperatorAuth(diff.live.operators);
      live.config = diff.live;
      log.level = diff.live.log_level;
      budget.limit = diff.live.limits.max_inflight_bytes;
      admission.reconfigure(diff.live.admission);
      return diff;
    },
    tenancy: tenancySettings(config),
    clusters,
    control,
    metrics,
    credentials: new CredentialCache(),
    explain: new ExplainRing(),
    budget,
    admission,
    log,
    audit: log.child({}, { level: log.level === 'silent' ? 'silent' : 'info' }),
  };
}

/** Starts osproxy on every configured listener. */
export async function startProxy(config: OsproxyConfig, opts: { log?: Logger } = {}): Promise<RunningProxy> {
  const log = opts.log ?? pino({ level: config.log_level, redact: ['req.headers.authorization'] });
  const services = await buildServices(config, log);
  let draining = false;
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    handleRequest(services, req, res, () => !draining).catch((e: unknown) => {
      log.error({ err: e }, 'unhandled request failure');
      res.destroy();
    });
  };
  const servers = await Promise.all(config.listeners.map((l) => createListener(l, handler)));
  for (const s of servers) {
    s.keepAliveTimeout = 65_000;
    s.headersTimeout = 60_000;
    s.on('clientError', onClientError);
  }
  const urls: string[] = [];
  for (let i = 0; i < servers.length; i++) urls.push(await listen(servers[i], config.listeners[i]));
  return {
    urls,
    services,
    async close(drainMs = 10_000) {
      draining = true;
      const closed = Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      for (const s of servers) s.closeIdleConnections();
      // A request that was in flight when draining began still holds a keep-alive socket: close it once idle.
      const sweeper = setInterval(() => servers.forEach((s) => s.closeIdleConnections()), 100);
      const timer = setTimeout(() => servers.forEach((s) => s.closeAllConnections()), drainMs);
      await closed;
      clearTimeout(timer);
      clearInterval(sweeper);
      await services.control.stop();
      await Promise.all([...services.clusters.values()].map((c) => c.close()));
    },
  };
}
