/**
 * The one place that writes responses to clients: every reply of the pipeline goes through
 * {@link sendReply}; `onClientError` answers what never became a request (unparseable HTTP).
 */
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { errorBody, OsproxyError } from '../http/errors.ts';
import type { Reply } from '../http/reply.ts';
import { noteStreamedBytes } from '../core/gc.ts';
import { requestIdFor } from './request-id.ts';

export interface SendOptions {
  head: boolean;
  log: Logger;
  requestId: string;
}

/** Sends a reply; resolves with the body bytes written once the response has ended (or failed). */
export async function sendReply(res: ServerResponse, reply: Reply, opts: SendOptions): Promise<number> {
  const body = reply.body;
  if (body === undefined) {
    res.writeHead(reply.status, reply.headers);
    res.end();
    return 0;
  }
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    reply.headers['content-length'] = String(length);
    res.writeHead(reply.status, reply.headers);
    res.end(opts.head ? undefined : body);
    return opts.head ? 0 : length;
  }
  return sendStream(res, reply, body, opts);
}

/** A streamed body: piped with backpressure; a failure mid-stream cuts the connection (never a partial leak). */
async function sendStream(res: ServerResponse, reply: Reply, body: Readable, opts: SendOptions): Promise<number> {
  res.writeHead(reply.status, reply.headers);
  if (opts.head) {
    body.destroy();
    res.end();
    return 0;
  }
  let bytes = 0;
  body.on('data', (c: Buffer) => {
    bytes += c.length;
    noteStreamedBytes(c.length);
  });
  try {
    await pipeline(body, res);
  } catch (e) {
    opts.log.warn({ err: e, request_id: opts.requestId }, 'response stream failed');
    res.destroy();
  }
  return bytes;
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
  const body = JSON.stringify(errorBody(new OsproxyError({ status, type: 'illegal_argument_exception', code: 'malformed_http', reason }), id));
  const head = [`HTTP/1.1 ${status} ${STATUS_CODES[status]}`, 'connection: close', 'content-type: application/json; charset=UTF-8', `content-length: ${Buffer.byteLength(body)}`, `x-request-id: ${id}`];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
