/**
 * What an endpoint handler returns (fastify's reply, as data): a status, headers and a body that is
 * buffered, streamed or absent. The server sends it in one place (server/send-reply.ts), which
 * also handles HEAD, counts the bytes and closes the connection on failure.
 */
import type { Readable } from 'node:stream';
import { errorBody, type OsproxyError } from './errors.ts';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  /**
   * A buffer or a string (UTF-8) is sent with its content-length; a stream is piped (chunked)
   * with backpressure. A JSON answer stays a string: Node then writes the head and the body in
   * one string write, where a Buffer costs an encode into it first and a second chunk (writev).
   */
  body?: Buffer | string | Readable;
}

export const JSON_CONTENT_TYPE = 'application/json; charset=UTF-8';

export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { ...headers, 'content-type': JSON_CONTENT_TYPE }, body: JSON.stringify(body) };
}

export function textReply(status: number, text: string, contentType = 'text/plain; charset=UTF-8'): Reply {
  return { status, headers: { 'content-type': contentType }, body: text };
}

/** A streamed answer (search hits, bulk items, passthrough). */
export function streamReply(status: number, body: Readable, headers: Record<string, string> = { 'content-type': JSON_CONTENT_TYPE }): Reply {
  return { status, headers, body };
}

/** Headers only (HEAD /{index}). */
export function emptyReply(status: number): Reply {
  return { status, headers: { 'content-type': JSON_CONTENT_TYPE, 'content-length': '0' } };
}

export function errorReply(e: OsproxyError, requestId: string): Reply {
  return jsonReply(e.status, errorBody(e, requestId), e.headers);
}
