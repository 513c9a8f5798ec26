/**
 * The request pipeline (SPEC §3): admin | passthrough | auth → classify → checks → admission →
 * resolve (one tenant scope) → endpoint handler → one reply, sent in one place.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { tenantHeaderOf } from '../auth/index.ts';
import { rejectionError } from '../batch/admission.ts';
import { readBody } from '../http/body.ts';
import { requestTarget } from '../http/request-target.ts';
import { classify } from '../http/classify.ts';
import { isAllowedParam, type EndpointSpec } from '../http/endpoints.ts';
import { checkParamValues } from '../http/param-values.ts';
import { asClientError, forbidden, illegalArgument, OsproxyError, unavailable } from '../http/errors.ts';
import { errorReply, type Reply } from '../http/reply.ts';
import type { Classified } from '../http/classify.ts';
import { levelRank, type ObserveLevel } from '../config/observe-schema.ts';
import { explainRecord, type ExplainDraft } from '../observe/explain.ts';
import { RequestTimeline } from '../observe/request-timeline.ts';
import type { OpContext } from '../ops/context.ts';
import type { Services } from '../ops/services.ts';
import { OPS } from '../ops/table.ts';
import { RequestScope } from '../resolve/request-scope.ts';
import { ADMIN_PREFIX, handleAdmin } from './admin/admin.ts';
import { isLoopbackAddress } from './loopback.ts';
import { handlePassthrough, isPassthrough } from './passthrough.ts';
import { requestIdFor } from './request-id.ts';
import { sendReply } from './send-reply.ts';
import { formatReply } from './format-reply.ts';
import { observeRequest } from './request-observation.ts';

const MUTATING = new Set(['PUT', 'POST', 'DELETE', 'PATCH']);

function checkParams(spec: EndpointSpec, query: URLSearchParams): void {
  for (const name of query.keys()) {
    if (!isAllowedParam(spec, name)) throw illegalArgument('unsupported_parameter', `parameter [${name}] is not allowed on the ${spec.name} endpoint`);
  }
  checkParamValues(spec, query);
}

function checkAccess(spec: EndpointSpec, roles: ReadonlySet<string>): void {
  // A search via POST reads; the endpoint's access, not the method, decides.
  if (!roles.has(spec.access)) throw forbidden('role_missing', `the ${spec.name} endpoint needs the [${spec.access}] role`);
}

function checkCleartext(services: Services, req: IncomingMessage, spec: EndpointSpec): void {
  if (spec.access === 'read' || services.config.allow_cleartext_mutation) return;
  const tls = (req.socket as TLSSocket).encrypted === true;
  if (!tls && !isLoopbackAddress(req.socket.localAddress) && MUTATING.has(req.method ?? '')) {
    throw forbidden('cleartext_mutation_refused', 'writes over cleartext HTTP are refused; use HTTPS (or set allow_cleartext_mutation)');
  }
}

function peerOf(req: IncomingMessage): { certSubjectCn?: string; loopback: boolean } {
  const socket = req.socket as TLSSocket;
  const cert = socket.encrypted && socket.authorized ? socket.getPeerCertificate() : undefined;
  const cn = cert?.subject?.CN;
  return { certSubjectCn: typeof cn === 'string' ? cn : undefined, loopback: isLoopbackAddress(req.socket.remoteAddress) };
}

/** What one request accumulates on its way through the pipeline (for metrics, logs and explain). */
interface Trace {
  explain: ExplainDraft;
  /** Stage boundaries: when it arrived, was authenticated, resolved, handled, sent; upstream waits. */
  timeline: RequestTimeline;
  /** Frees the request's buffered body and admission slot; runs once the reply is sent. */
  cleanups: (() => void)[];
  failed: boolean;
  /** What this request records (the baseline, raised by directives and a debug header). */
  level: ObserveLevel;
  /** Break-glass rings (directive ids) its explain record is copied to. */
  rings?: string[];
  bytesIn: number;
  /** The request path (no query string: parameters may carry values). */
  path: string;
}

/** The handler's view of one tenant request: a class, so a request builds no closures for it. */
class RequestContext implements OpContext {
  private cached: Buffer | undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly method: string,
    readonly query: URLSearchParams,
    readonly endpoint: Classified,
    readonly scope: RequestScope,
    readonly services: Services,
    private readonly trace: Trace,
  ) {}

  get id(): string {
    return this.trace.explain.request_id;
  }

  get explain(): ExplainDraft {
    return this.trace.explain;
  }

  get recordsRewrite(): boolean {
    return this.trace.level === 'rewrite';
  }

  async body(): Promise<Buffer> {
    if (this.cached !== undefined) return this.cached;
    const read = await readBody(this.req, this.services.config.limits.max_body_bytes, this.services.budget);
    this.trace.cleanups.push(read.release);
    this.addBytesIn(read.body.length);
    return (this.cached = read.body);
  }

  addBytesIn(n: number): void {
    this.trace.bytesIn += n;
    this.services.metrics.requests.endpoint(this.endpoint.spec.name).bytesIn().inc(n);
  }

  addUpstreamMs(ms: number): void {
    this.trace.timeline.addUpstream(ms);
  }
}

/** One tenant request: auth → classify → checks → admission → resolve → handler. */
async function tenantRequest(services: Services, req: IncomingMessage, pathname: string, query: URLSearchParams, trace: Trace): Promise<Reply> {
  const { explain } = trace;
  const method = explain.method;
  // No verified control snapshot: nothing can be checked, so nothing is served (SPEC §5.5 not_ready).
  const snapshot = services.control.snapshot();
  if (snapshot === undefined) throw unavailable('control_store_unavailable', 'osproxy has not been able to read its control state yet; retry later', 1);
  // Verified credentials are remembered for this snapshot only (auth/credential-cache.ts).
  const principal = await services.credentials.authenticate(snapshot, snapshot.auth, req.headers, peerOf(req));
  const binding = snapshot.auth.bind(principal, tenantHeaderOf(req.headers));
  explain.principal = principal.id;
  explain.tenant = binding.tenant;
  trace.timeline.authenticated = performance.now();
  if (snapshot.tenant(binding.tenant)?.doc.state === 'suspended') throw forbidden('tenant_suspended', `tenant [${binding.tenant}] is suspended`);
  const endpoint = classify(method, pathname);
  explain.endpoint = endpoint.spec.name;
  explain.route = endpoint.route;
  const observed = observeRequest(services, snapshot, req, { requestId: explain.request_id, tenant: binding.tenant, principal: principal.id, endpoint: endpoint.spec.name, index: endpoint.index }, trace.timeline.startedWallMs, explain);
  trace.level = observed.level;
  trace.rings = observed.rings;
  checkParams(endpoint.spec, query);
  checkAccess(endpoint.spec, binding.roles);
  checkCleartext(services, req, endpoint.spec);
  // Admission (SPEC §4.6): decided before the body is read or anything is sent upstream.
  const admitted = services.admission.tryAdmit(binding.tenant, endpoint.spec.batch === true);
  if (!admitted.admitted) throw rejectionError(admitted);
  trace.cleanups.push(admitted.release);
  const scope = new RequestScope(snapshot, binding, services.tenancy, endpoint, query);
  trace.timeline.resolved = performance.now();
  const reply = await OPS[endpoint.spec.name](new RequestContext(req, method, query, endpoint, scope, services, trace));
  trace.timeline.handled = performance.now();
  return reply;
}

/** The reply for one request, whatever route it takes; failures become OpenSearch-shaped errors. */
async function replyFor(services: Services, req: IncomingMessage, trace: Trace, ready: () => boolean): Promise<Reply> {
  const { explain } = trace;
  let pathname = '/';
  let query = new URLSearchParams();
  try {
    ({ pathname, query } = requestTarget(req.url ?? '/'));
    trace.path = pathname;
    if (pathname.startsWith(ADMIN_PREFIX)) return await handleAdmin(services, req, new URL(req.url ?? '/', 'http://osproxy'), ready());
    if (isPassthrough(services, pathname)) {
      explain.endpoint = 'passthrough';
      return await handlePassthrough(services, req, (ms) => trace.timeline.addUpstream(ms));
    }
    return formatReply(await tenantRequest(services, req, pathname, query, trace), query, services.config.limits.max_hit_bytes);
  } catch (e) {
    const error = asClientError(e);
    // Only a failure osproxy did not name is an error with a stack; a named one (a killswitch, a
    // store outage, an upstream down) is in the request's line, and the states behind it log once.
    if (!(e instanceof OsproxyError)) services.log.error({ err: e, request_id: explain.request_id }, 'request failed');
    if (error.status === 429) services.metrics.rejections.inc({ reason: error.code });
    explain.error = { code: error.code, reason: error.reason };
    trace.failed = true;
    const reply = errorReply(error, explain.request_id);
    return pathname.startsWith(ADMIN_PREFIX) ? reply : formatReply(reply, query, services.config.limits.max_hit_bytes);
  }
}

/** One request through the pipeline, answered by exactly one reply. */
export async function handleRequest(services: Services, req: IncomingMessage, res: ServerResponse, ready: () => boolean): Promise<void> {
  const id = requestIdFor(req.headers['x-request-id']);
  const method = req.method ?? 'GET';
  const trace: Trace = { explain: { request_id: id, method, rewrites: [], timings_ms: {} }, timeline: new RequestTimeline(), cleanups: [], failed: false, level: services.config.observe.level, bytesIn: 0, path: '/' };
  services.metrics.inflight.inc();
  let bytesOut = 0;
  try {
    const reply = await replyFor(services, req, trace, ready);
    reply.headers['x-request-id'] = id;
    // While draining, every answer closes its connection so that shutdown does not wait on keep-alive;
    // so does a refusal answered before the request body was read.
    if (!ready() || (trace.failed && !req.complete)) reply.headers.connection = 'close';
    trace.timeline.handled ||= performance.now();
    bytesOut = await sendReply(res, reply, { head: method === 'HEAD', log: services.log, requestId: id });
  } finally {
    trace.timeline.sent = performance.now();
    for (const cleanup of trace.cleanups) cleanup();
    services.metrics.inflight.dec();
    finish(services, trace, req, res, bytesOut);
  }
}

function finish(services: Services, trace: Trace, req: IncomingMessage, res: ServerResponse, bytesOut: number): void {
  const { explain, timeline } = trace;
  const upstreamMs = timeline.upstreamMs;
  const totalMs = timeline.sent - timeline.started;
  const proxyMs = Math.max(0, totalMs - upstreamMs);
  const endpoint = explain.endpoint ?? 'other';
  // Bound series (observe/request-metrics.ts): no label resolution per request.
  const m = services.metrics.requests.endpoint(endpoint);
  m.requests(res.statusCode).inc();
  m.proxySeconds().observe(proxyMs / 1000);
  if (upstreamMs > 0) m.upstreamSeconds().observe(upstreamMs / 1000);
  m.bytesOut().inc(bytesOut);
  services.metrics.tenants.record(explain.tenant, res.statusCode, totalMs / 1000, trace.bytesIn, bytesOut, explain.error?.code);
  // Admin calls (metrics scrapes, explain lookups) are not traced: they would drown the requests.
  if (!trace.path.startsWith(ADMIN_PREFIX)) services.tracer?.record({ requestId: explain.request_id, timeline, traceparent: headerOf(req, 'traceparent'), status: res.statusCode, attributes: spanAttributes(explain) });
  if (trace.level === 'off') return;
  explain.status = res.statusCode;
  explain.level = trace.level;
  explain.bytes_in = trace.bytesIn;
  explain.bytes_out = bytesOut;
  explain.timings_ms = { total: round(totalMs), upstream: round(upstreamMs), proxy: round(proxyMs) };
  if (levelRank(trace.level) >= levelRank('timing')) explain.stages_ms = timeline.durations();
  services.explain.add(explain, timeline.startedWallMs);
  if (trace.rings !== undefined) copyToRings(services, trace.rings, explainRecord(explain, timeline.startedWallMs));
  // The line's object only when it will be written (the level is live: SIGHUP may change it).
  if (services.log.isLevelEnabled('info')) services.log.info(logLine(explain, endpoint, trace.path), 'request');
}

/** The request's log line at its level: the path (never its query string) and the explain record's shape fields, never a value. */
function logLine(explain: ExplainDraft, endpoint: string, path: string): Record<string, unknown> {
  const line: Record<string, unknown> = {
    request_id: explain.request_id, method: explain.method, path, endpoint, route: explain.route, tenant: explain.tenant, principal: explain.principal,
    indices: explain.indices, placement: explain.placement, status: explain.status, bytes_in: explain.bytes_in, bytes_out: explain.bytes_out, ms: explain.timings_ms,
  };
  if (explain.level !== 'shape') line.level = explain.level;
  if (explain.stages_ms !== undefined) line.stages_ms = explain.stages_ms;
  if (explain.rewrite !== undefined) line.rewrite = explain.rewrite;
  if (explain.directives !== undefined) line.directives = explain.directives;
  if (explain.error !== undefined) line.error = explain.error.code;
  return line;
}

function copyToRings(services: Services, rings: readonly string[], record: ReturnType<typeof explainRecord>): void {
  const directives = services.control.snapshot()?.directives.entries;
  for (const id of rings) {
    const size = directives?.get(id)?.doc.ring_buffer?.size;
    if (size !== undefined) services.breakglass.add(id, size, record);
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

/** Shape-level span attributes (never a value, a query or a document id). */
function spanAttributes(explain: ExplainDraft): Record<string, string | number> {
  const out: Record<string, string | number> = { 'http.request.method': explain.method, 'osproxy.endpoint': explain.endpoint ?? 'other' };
  if (explain.route !== undefined) out['http.route'] = explain.route;
  if (explain.tenant !== undefined) out['osproxy.tenant'] = explain.tenant;
  if (explain.placement !== undefined) out['osproxy.placement'] = explain.placement;
  if (explain.epoch !== undefined) out['osproxy.epoch'] = explain.epoch;
  return out;
}
