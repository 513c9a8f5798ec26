import type { ServerResponse } from 'node:http';
import { errorBody, internalError, isShapedError, type ShapedError } from '../http/errors.ts';

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
