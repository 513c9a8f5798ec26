import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorBody, internalError, isShapedError, ProxyError, type ShapedError } from '../http/errors.ts';
import { requestIdFor } from './request-id.ts';

/** Sends a JSON body (HEAD requests get the headers only). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, head = false): number {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=UTF-8', 'content-length': String(bytes.length) });
  res.end(head ? undefined : bytes);
  return bytes.length;
}

export function sendText(res: ServerResponse, status: number, text: string, contentType = 'text/plain; charset=UTF-8'): number {
  const bytes = Buffer.from(text);
  res.writeHead(status, { 'content-type': contentType, 'content-length': String(bytes.length) });
  res.end(bytes);
  return bytes.length;
}

/** The client-facing form of any failure: shaped errors as they are, anything else a bare 500. */
export function toShaped(e: unknown): ShapedError {
  return isShapedError(e) ? e : internalError();
}

export function sendError(res: ServerResponse, e: ShapedError, requestId: string, head = false): number {
  if (res.headersSent) {
    res.destroy();
    return 0;
  }
  const headers: Record<string, string> = { ...(e.headers ?? {}) };
  return sendJson(res, e.status, errorBody(e, requestId), headers, head);
}

const MALFORMED_HTTP: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'the request headers are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'the request was not received in time'],
};

/**
 * Node's 'clientError' (unparseable HTTP, oversized headers, header timeout): answered like
 * Node's default, but in OpenSearch's error shape with an x-request-id (SPEC §4.7).
 */
export function onClientError(err: NodeJS.ErrnoException, socket: Duplex & { bytesWritten?: number }): void {
  if (err.code === 'ECONNRESET' || !socket.writable || (socket.bytesWritten ?? 0) > 0) {
    socket.destroy();
    return;
  }
  const [status, reason] = MALFORMED_HTTP[err.code ?? ''] ?? [400, 'the request is not valid HTTP/1.1'];
  const id = requestIdFor(undefined);
  const body = JSON.stringify(errorBody(new ProxyError(status, 'illegal_argument_exception', 'malformed_http', reason), id));
  const head = [`HTTP/1.1 ${status} ${STATUS_CODES[status]}`, 'connection: close', 'content-type: application/json; charset=UTF-8', `content-length: ${Buffer.byteLength(body)}`, `x-request-id: ${id}`];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
