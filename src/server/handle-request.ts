import type { IncomingMessage, ServerResponse } from 'node:http';
import { isLoopbackAddress } from './loopback.ts';
import type { TLSSocket } from 'node:tls';
import { tenantHeaderOf } from '../auth/index.ts';
import { BATCH_ENDPOINTS, rejectionError } from '../batch/admission.ts';
import { classify } from '../http/classify.ts';
import { isAllowedParam, type EndpointSpec } from '../http/endpoints.ts';
import { ProxyError } from '../http/errors.ts';
import type { ExplainRecord } from '../observe/explain.ts';
import type { OpContext } from '../ops/context.ts';
import { OPS } from '../ops/table.ts';
import { ADMIN_PREFIX, handleAdmin } from './admin.ts';
import { handlePassthrough, isPassthrough } from './passthrough.ts';
import { readBody } from './read-body.ts';
import { requestIdFor } from './request-id.ts';
import { sendError, toShaped } from './respond.ts';
import type { Services } from './services.ts';

const MUTATING = new Set(['PUT', 'POST', 'DELETE', 'PATCH']);

function checkParams(spec: EndpointSpec, query: URLSearchParams): void {
  for (const name of query.keys()) {
    if (!isAllowedParam(spec, name)) {
      throw new ProxyError(400, 'illegal_argument_exception', 'unsupported_parameter', `parameter [${name}] is not allowed on the ${spec.name} endpoint`);
    }
  }
}

function checkAccess(spec: EndpointSpec, roles: ReadonlySet<string>): void {
  // A search via POST reads; the endpoint's access, not the method, decides.
  if (!roles.has(spec.access)) {
    throw new ProxyError(403, 'security_exception', 'role_missing', `the ${spec.name} endpoint needs the [${spec.access}] role`);
  }
}

function checkCleartext(services: Services, req: IncomingMessage, spec: EndpointSpec): void {
  if (spec.access === 'read' || services.config.allow_cleartext_mutation) return;
  const tls = (req.socket as TLSSocket).encrypted === true;
  if (!tls && !isLoopbackAddress(req.socket.localAddress) && MUTATING.has(req.method ?? '')) {
    throw new ProxyError(403, 'security_exception', 'cleartext_mutation_refused', 'writes over cleartext HTTP are refused; use HTTPS (or set allow_cleartext_mutation)');
  }
}

function peerOf(req: IncomingMessage): { certSubjectCn?: string; loopback: boolean } {
  const socket = req.socket as TLSSocket;
  const cert = socket.encrypted && socket.authorized ? socket.getPeerCertificate() : undefined;
  const cn = cert?.subject?.CN;
  return { certSubjectCn: typeof cn === 'string' ? cn : undefined, loopback: isLoopbackAddress(req.socket.remoteAddress) };
}

/** One request through the pipeline: admin | auth → classify → checks → endpoint handler. */
export async function handleRequest(services: Services, req: IncomingMessage, res: ServerResponse, ready: () => boolean): Promise<void> {
  const started = performance.now();
  const id = requestIdFor(req.headers['x-request-id']);
  res.setHeader('x-request-id', id);
  // While draining, every answer closes its connection so that shutdown does not wait on keep-alive.
  if (!ready()) res.setHeader('connection', 'close');
  const url = new URL(req.url ?? '/', 'http://osproxy');
  const method = req.method ?? 'GET';
  const explain: ExplainRecord = { request_id: id, at: new Date().toISOString(), method, rewrites: [], timings_ms: {} };
  let upstreamMs = 0;
  let bytesOut = 0;
  let release = (): void => {};
  let ticket: { release(): void } | undefined;
  services.metrics.inflight.inc();
  try {
    if (url.pathname.startsWith(ADMIN_PREFIX)) {
      bytesOut = await handleAdmin(services, req, res, url.pathname, ready);
      return;
    }
    if (isPassthrough(services, url.pathname)) {
      explain.endpoint = 'passthrough';
      bytesOut = await handlePassthrough(services, req, res, (ms) => (upstreamMs += ms));
      return;
    }
    const principal = await services.auth.authenticate(req.headers, peerOf(req));
    const binding = services.auth.bind(principal, tenantHeaderOf(req.headers));
    explain.principal = principal.id;
    explain.tenant = binding.tenant;
    const endpoint = classify(method, url.pathname);
    explain.endpoint = endpoint.spec.name;
    checkParams(endpoint.spec, url.searchParams);
    checkAccess(endpoint.spec, binding.roles);
    checkCleartext(services, req, endpoint.spec);
    // Admission (SPEC §4.6): decided before the body is read or anything is sent upstream.
    const admitted = services.admission.tryAdmit(binding.tenant, BATCH_ENDPOINTS.has(endpoint.spec.name));
    if (!admitted.admitted) throw rejectionError(admitted);
    ticket = admitted;
    let cached: Buffer | undefined;
    const ctx: OpContext = {
      id,
      req,
      res,
      method,
      query: url.searchParams,
      binding,
      endpoint,
      services,
      explain,
      async body() {
        if (cached !== undefined) return cached;
        const read = await readBody(req, services.config.limits.max_body_bytes, services.budget);
        release = read.release;
        services.metrics.bytesIn.inc({ endpoint: endpoint.spec.name }, read.body.length);
        return (cached = read.body);
      },
      addUpstreamMs(ms) {
        upstreamMs += ms;
      },
      addBytesOut(n) {
        bytesOut += n;
      },
    };
    await OPS[endpoint.spec.name](ctx);
  } catch (e) {
    const shaped = toShaped(e);
    if (shaped.status >= 500 && !(e instanceof ProxyError && e.code.startsWith('upstream_'))) services.log.error({ err: e, request_id: id }, 'request failed');
    if (shaped.status === 429) services.metrics.rejections.inc({ reason: shaped.code });
    explain.error = { code: shaped.code, reason: shaped.reason ?? shaped.message };
    if (!req.complete) res.setHeader('connection', 'close');
    bytesOut += sendError(res, shaped, id, method === 'HEAD');
  } finally {
    release();
    ticket?.release();
    services.metrics.inflight.dec();
    finish(services, explain, res, started, upstreamMs, bytesOut);
  }
}

function finish(services: Services, explain: ExplainRecord, res: ServerResponse, started: number, upstreamMs: number, bytesOut: number): void {
  const totalMs = performance.now() - started;
  const endpoint = explain.endpoint ?? 'other';
  explain.status = res.statusCode;
  explain.timings_ms = { total: round(totalMs), upstream: round(upstreamMs), proxy: round(Math.max(0, totalMs - upstreamMs)) };
  services.metrics.requests.inc({ endpoint, status: String(res.statusCode) });
  services.metrics.proxySeconds.observe({ endpoint }, Math.max(0, totalMs - upstreamMs) / 1000);
  if (upstreamMs > 0) services.metrics.upstreamSeconds.observe({ endpoint }, upstreamMs / 1000);
  services.metrics.bytesOut.inc({ endpoint }, bytesOut);
  services.explain.add(explain);
  services.log.info({ request_id: explain.request_id, method: explain.method, endpoint, tenant: explain.tenant, principal: explain.principal, status: res.statusCode, ms: explain.timings_ms }, 'request');
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
