import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { EngineError } from '../errors.ts';
import type { Json } from '../json.ts';
import type { EngineContext } from './context.ts';
import { applyFilterPath } from './filter-path.ts';
import { prettyJson } from './pretty-json.ts';
import { RestRequest } from './rest-request.ts';
import type { RestResponse, Router } from './router.ts';

/** OpenSearch's default http.max_content_length. */
export const MAX_BODY_BYTES = 100 * 1024 * 1024;
const COMMON_PARAMS = new Set(['pretty', 'human', 'error_trace', 'filter_path', 'source', 'source_content_type']);
const ACCEPTED_TYPES = ['application/json', 'application/x-ndjson', 'text/plain'];

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        req.pause();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseQuery(search: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(search)) out.set(k, v);
  return out;
}

function checkContentType(req: IncomingMessage, body: Buffer): void {
  const ct = req.headers['content-type'];
  if (ct === undefined || body.length === 0) return;
  const base = ct.split(';')[0].trim().toLowerCase();
  if (!ACCEPTED_TYPES.includes(base)) throw new EngineError(406, 'content_type_exception', `Content-Type header [${ct}] is not supported`);
}

async function dispatch(router: Router, ctx: EngineContext, req: IncomingMessage, body: Buffer): Promise<RestResponse> {
  const url = new URL(req.url ?? '/', 'http://engine');
  const method = req.method ?? 'GET';
  const found = router.match(method, url.pathname);
  if (found === undefined) {
    throw new EngineError(400, 'illegal_argument_exception', `no handler found for uri [${url.pathname}] and method [${method}]`);
  }
  if ('methodMismatch' in found) {
    throw new EngineError(405, 'method_not_allowed', `Incorrect HTTP method for uri [${url.pathname}] and method [${method}], allowed: [${found.methodMismatch.join(', ')}]`);
  }
  const query = parseQuery(url.search);
  for (const name of query.keys()) {
    if (!COMMON_PARAMS.has(name) && !found.route.params.includes(name)) {
      throw new EngineError(400, 'illegal_argument_exception', `request [${url.pathname}] contains unrecognized parameter: [${name}]`);
    }
  }
  checkContentType(req, body);
  const source = query.get('source');
  const effectiveBody = body.length === 0 && source !== undefined ? Buffer.from(source) : body;
  const rest = new RestRequest(method, url.pathname, query, found.pathParams, effectiveBody, req.headers);
  const res = await found.route.handler(rest, ctx);
  ctx.state.commit();
  return res;
}

function errorResponse(e: unknown): RestResponse {
  if (e instanceof EngineError) {
    if (e.status === 406) return { status: 406, body: { error: e.message, status: 406 }, error: true };
    return { status: e.status, body: e.toBody(), error: true };
  }
  if (e instanceof BodyTooLarge) {
    const err = new EngineError(413, 'content_too_long', `request body is larger than ${MAX_BODY_BYTES} bytes`);
    return { status: 413, body: err.toBody(), headers: { connection: 'close' }, error: true };
  }
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return { status: 400, body: new EngineError(400, 'x_content_parse_exception', 'the request is nested too deeply').toBody(), error: true };
  }
  const reason = e instanceof Error ? e.message : String(e);
  return { status: 500, body: new EngineError(500, 'exception', reason).toBody(), error: true };
}

function send(req: IncomingMessage, res: ServerResponse, out: RestResponse): void {
  const url = new URL(req.url ?? '/', 'http://engine');
  const headers: Record<string, string> = { ...out.headers };
  let payload: string;
  if (out.body === undefined) payload = '';
  else if (typeof out.body === 'string') {
    payload = out.body;
    headers['content-type'] ??= 'text/plain; charset=UTF-8';
  } else {
    const filter = url.searchParams.get('filter_path');
    const body: Json = filter !== null && out.error !== true ? applyFilterPath(out.body, filter) : out.body;
    const pretty = url.searchParams.has('pretty') && url.searchParams.get('pretty') !== 'false';
    payload = pretty ? prettyJson(body) : JSON.stringify(body);
    headers['content-type'] = 'application/json; charset=UTF-8';
  }
  const bytes = Buffer.from(payload);
  headers['content-length'] = String(bytes.length);
  res.writeHead(out.status, headers);
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

/** The engine's HTTP server: reads the body, routes, answers in OpenSearch's shapes. */
export function createEngineServer(router: Router, ctx: EngineContext): Server {
  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => dispatch(router, ctx, req, body))
      .catch(errorResponse)
      .then((out) => send(req, res, out))
      .catch((e: unknown) => {
        res.destroy(e instanceof Error ? e : undefined);
      });
  });
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 0;
  return server;
}
