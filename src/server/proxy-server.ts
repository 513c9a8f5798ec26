import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { CredentialCache, OperatorAuth } from '../auth/index.ts';
import { Admission } from '../batch/admission.ts';
import { watchDirectiveExpiry } from './directive-expiry.ts';
import { BreakglassRings } from '../observe/breakglass.ts';
import { ExplainRing } from '../observe/explain.ts';
import { PeerQueries } from '../observe/worker-queries.ts';
import { ProxyMetrics } from '../observe/metrics.ts';
import type { TraceExporter } from '../observe/trace-exporter.ts';
import { UpstreamCluster } from '../upstream/cluster.ts';
import type { BreakerChange } from '../upstream/breaker.ts';
import type { ListenerConfig, OsproxyConfig } from '../config/schema.ts';
import { handleRequest } from './handle-request.ts';
import { IdleTrim } from '../core/idle-trim.ts';
import { collectNow, scavengeNow, trimNow, youngGenerationGrown } from '../core/gc.ts';
import { isLoopbackAddress } from './loopback.ts';
import { InflightBudget } from '../http/body.ts';
import { onClientError } from './send-reply.ts';
import type { Services } from '../ops/services.ts';
import { buildControlPlane } from './control-wiring.ts';
import { MIGRATION_STATES } from '../control/documents.ts';
import { MigrationRunner } from '../migrate/runner.ts';
import { cursorHorizon } from '../ops/cursor-horizon.ts';
import { diffConfig, type ConfigDiff } from './reconfigure.ts';
import { MIN_CURSOR_KEY_BYTES } from '../config/schema.ts';
import { ConfigError } from '../config/config-error.ts';
import type { TenancySettings } from '../resolve/request-scope.ts';

/** The services, plus applying a re-read configuration (SIGHUP). */
export interface LiveServices extends Services {
  /** Present when observe.traces.otlp_endpoint is set; flushed when the proxy closes. */
  readonly tracer?: TraceExporter;
  reconfigure(next: OsproxyConfig): ConfigDiff;
}

export interface RunningProxy {
  urls: string[];
  services: LiveServices;
  /** Stops accepting, drains in-flight requests for up to `drainMs`, then closes upstream pools. */
  close(drainMs?: number): Promise<void>;
}

async function createListener(l: ListenerConfig, i: number, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  if (l.tls === undefined) return createHttpServer(handler);
  // node:https (and TLS) only for a TLS listener: a plain one has no use for them.
  const { createServer: createHttpsServer } = await import('node:https');
  try {
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
  } catch (e) {
    throw new ConfigError(`config: listeners.${i}.tls: the certificate, key or CA cannot be used: ${(e as Error).message}`);
  }
}

/** Why a listener could not open, in one line that names it and says what to change. */
function listenProblem(e: NodeJS.ErrnoException, l: ListenerConfig, i: number): string {
  const where = `config: listeners.${i}: cannot listen on ${l.host}:${l.port}`;
  if (e.code === 'EADDRINUSE') return `${where}: the address is already in use (another osproxy, or OpenSearch itself?); choose another port (listeners[].port, --listen host:port, or npm start -- --port N)`;
  if (e.code === 'EACCES') return `${where}: permission denied (ports below 1024 need privileges; choose a port ≥ 1024)`;
  if (e.code === 'EADDRNOTAVAIL') return `${where}: the address is not one of this machine's`;
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return `${where}: the host name does not resolve`;
  return `${where}: ${e.message}`;
}

async function listen(server: Server, l: ListenerConfig, i: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new ConfigError(listenProblem(e, l, i))));
    server.listen(l.port, l.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return `${l.tls ? 'https' : 'http'}://${host}:${addr.port}`;
}

function tenancySettings(config: OsproxyConfig): TenancySettings {
  const { reserved_fields, stored_script_allowlist, cursor_key_b64, cursor_previous_keys_b64, field_quota_per_index, shared_total_fields_limit } = config.tenancy;
  // Validated at load (schema); the length check keeps a hand-built config from sealing with a weak key.
  const strong = (b64: string): Buffer | undefined => {
    const key = Buffer.from(b64, 'base64');
    return key.length >= MIN_CURSOR_KEY_BYTES ? key : undefined;
  };
  const current = cursor_key_b64 === undefined ? undefined : strong(cursor_key_b64);
  const previous = cursor_previous_keys_b64.map(strong).filter((k): k is Buffer => k !== undefined);
  return {
    reserved: reserved_fields,
    fieldQuota: field_quota_per_index,
    sharedFieldsLimit: shared_total_fields_limit,
    storedScriptAllowlist: new Set(stored_script_allowlist),
    cursorKeys: current === undefined ? undefined : { current, previous },
  };
}

/** One warning when a cluster becomes unreachable, one when it is back (SPEC §5.5 readiness says it meanwhile). */
function logBreaker(log: Logger, cluster: string, change: BreakerChange): void {
  if (change.to === 'open' && change.tripped === true) {
    log.warn({ cluster, reason: change.reason }, `cluster [${cluster}] is unreachable: ${change.reason ?? 'marked down'}; circuit breaker open; /_osproxy/ready answers degraded`);
  } else if (change.to === 'open') {
    log.warn({ cluster, failures: change.failures, reason: change.reason }, `cluster [${cluster}] is unreachable: circuit breaker open after ${change.failures} consecutive transport failures; /_osproxy/ready answers degraded`);
  } else {
    log.warn({ cluster, down_ms: change.downMs }, `cluster [${cluster}] is reachable again after ${Math.round(change.downMs / 1000)} s: circuit breaker closed`);
  }
}

export async function buildServices(config: OsproxyConfig, log: Logger): Promise<LiveServices> {
  const clusters = new Map(Object.entries(config.clusters).map(([id, c]) => [id, new UpstreamCluster(id, c, { onBreakerChange: (change) => logBreaker(log, id, change) })]));
  const budget = new InflightBudget(config.limits.max_inflight_bytes);
  const devOpen = config.auth.dev_open && config.listeners.every((l) => isLoopbackAddress(l.host) || l.host === 'localhost');
  if (config.auth.dev_open && !devOpen) log.warn('auth.dev_open is ignored: a listener is not on loopback');
  if (devOpen) log.warn('DEV MODE: open access on loopback — any caller may act as any configured tenant via x-osproxy-tenant');
  const control = await buildControlPlane(config, clusters, log, devOpen);
  await control.start();
  const metrics = new ProxyMetrics(() => clusters.values(), () => budget.inUse, { tenantLabelLimit: config.metrics.tenant_label_limit });
  metrics.watchControlSnapshot(() => control.snapshotAgeMs / 1000, control.reads);
  const admission = new Admission(config.admission, {
    registry: metrics.registry,
    // One labelling for every per-tenant series: the admission ones follow the tenant metrics'.
    tenantLabel: (tenant) => metrics.tenants.labelOf(tenant),
    overridesOf: (tenant) => control.snapshot()?.tenant(tenant)?.doc.admission,
  });
  const live = { config, operators: new OperatorAuth(config.operators) };
  const traces = config.observe.traces;
  // Loaded only when on: the OTLP exporter's modules cost RSS that a proxy without traces should not pay.
  const tracer = traces.otlp_endpoint === undefined ? undefined : new (await import('../observe/trace-exporter.ts')).TraceExporter({ ...traces, otlp_endpoint: traces.otlp_endpoint }, metrics.registry, log);
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
    explain: new ExplainRing(config.observe.explain_ring),
    breakglass: new BreakglassRings(),
    peers: new PeerQueries(),
    tracer,
    budget,
    admission,
    log,
    audit: log.child({}, { level: log.level === 'silent' ? 'silent' : 'info' }),
  };
}

/** Drives the fleet's migrations whose lease this instance wins (SPEC §5.3). */
function startMigrationRunner(services: LiveServices): MigrationRunner {
  const env = {
    get config() {
      return services.config;
    },
    control: services.control,
    clusters: services.clusters,
    settings: services.tenancy,
    log: services.log,
  };
  const runner = new MigrationRunner(env, services.control.instanceId);
  runner.start();
  services.metrics.watchMigrations(MIGRATION_STATES, () => services.control.snapshot()?.migrations.values() ?? []);
  // Cursors on an index that is (or was) being moved hold back the removal of its source.
  services.control.reportCursors(() => cursorHorizon(services).report((t, i) => services.control.snapshot()?.migration(t, i) !== undefined));
  return runner;
}

/** Starts osproxy on every configured listener. */
export async function startProxy(config: OsproxyConfig, opts: { log?: Logger } = {}): Promise<RunningProxy> {
  const log = opts.log ?? pino({ level: config.log_level, redact: ['req.headers.authorization'] });
  const services = await buildServices(config, log);
  const migrations = startMigrationRunner(services);
  const stopExpiryWatch = watchDirectiveExpiry(services);
  let draining = false;
  let started = 0;
  const trim = new IdleTrim({ started: () => started, inflight: () => services.metrics.inflight.value, scavenge: scavengeNow, trim: trimNow, compact: collectNow, youngGrown: youngGenerationGrown });
  trim.start();
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    started++;
    handleRequest(services, req, res, () => !draining).catch((e: unknown) => {
      log.error({ err: e }, 'unhandled request failure');
      res.destroy();
    });
  };
  const servers: Server[] = [];
  const urls: string[] = [];
  try {
    for (const [i, l] of config.listeners.entries()) servers.push(await createListener(l, i, handler));
    for (const s of servers) {
      s.keepAliveTimeout = 65_000;
      s.headersTimeout = 60_000;
      s.on('clientError', onClientError);
    }
    for (let i = 0; i < servers.length; i++) urls.push(await listen(servers[i], config.listeners[i], i));
  } catch (e) {
    // Nothing half-started stays behind: the listeners that did open, the control plane, the pools.
    await Promise.all(servers.filter((s) => s.listening).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    await services.control.stop();
    await Promise.all([...services.clusters.values()].map((c) => c.close()));
    await services.tracer?.shutdown();
    stopExpiryWatch();
    trim.stop();
    throw e;
  }
  let closing: Promise<void> | undefined;
  const close = async (drainMs: number): Promise<void> => {
    draining = true;
    const closed = Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    for (const s of servers) s.closeIdleConnections();
    // A request that was in flight when draining began still holds a keep-alive socket: close it once idle.
    const sweeper = setInterval(() => servers.forEach((s) => s.closeIdleConnections()), 100);
    const timer = setTimeout(() => servers.forEach((s) => s.closeAllConnections()), drainMs);
    await closed;
    clearTimeout(timer);
    clearInterval(sweeper);
    stopExpiryWatch();
    trim.stop();
    await migrations.stop();
    // Every request has finished (and been recorded): the tracer's last export goes now, bounded.
    await Promise.all([services.control.stop(), services.tracer?.shutdown()]);
    await Promise.all([...services.clusters.values()].map((c) => c.close()));
  };
  return {
    urls,
    services,
    /** Drains and stops; a second call waits for the first. */
    close(drainMs = 10_000) {
      return (closing ??= close(drainMs));
    },
  };
}
