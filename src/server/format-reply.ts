/**
 * `filter_path` and `pretty` on what osproxy returns to a tenant (OpenSearch's response
 * parameters): applied to the proxy's own bytes — mapped hits, sealed ids, synthesized bodies —
 * streamed for streamed replies. Like OpenSearch, an error body is pretty-printed but never
 * filtered; text bodies (`_cat` tables) are left as they are.
 */
import { pipeline } from 'node:stream';
import { isObject } from '../core/json.ts';
import type { Reply } from '../http/reply.ts';
import { JsonFormatter, JsonFormatTransform, parseFilterPath, type FilterPath } from '../stream/index.ts';

function isErrorBody(status: number, body: Buffer): boolean {
  if (status < 400) return false;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    return isObject(parsed as never) && isObject((parsed as { error?: never }).error as never);
  } catch {
    return false;
  }
}

export function formatReply(reply: Reply, query: URLSearchParams, maxValueBytes: number): Reply {
  const pretty = query.has('pretty') && query.get('pretty') !== 'false';
  let filter: FilterPath | undefined = parseFilterPath(query.get('filter_path'));
  if ((filter === undefined && !pretty) || reply.body === undefined) return reply;
  // A JSON body kept as a string until it is written (http/reply.ts) is formatted as its bytes.
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  if (!(reply.headers['content-type'] ?? '').startsWith('application/json')) return reply;
  if (Buffer.isBuffer(body)) {
    if (body.length === 0) return reply;
    if (filter !== undefined && isErrorBody(reply.status, body)) filter = undefined;
    if (filter === undefined && !pretty) return reply;
    return { ...reply, body: JsonFormatter.format(body, { filter, pretty, maxValueBytes }) };
  }
  // A failure on either side destroys both; the sender then cuts the client connection.
  return { ...reply, body: pipeline(body, new JsonFormatTransform({ filter, pretty, maxValueBytes }), () => {}) };
}
