import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { ProxyError } from '../http/errors.ts';
import type { OpContext } from './context.ts';

const JSON_TYPES = ['application/json', 'application/x-ndjson', 'text/plain', 'application/vnd.opensearch+json'];

/** Refuses content types OpenSearch would not parse as JSON (406 like OpenSearch). */
export function checkContentType(ctx: OpContext): void {
  const ct = ctx.req.headers['content-type'];
  if (ct === undefined) return;
  const base = ct.split(';')[0].trim().toLowerCase();
  if (!JSON_TYPES.includes(base)) {
    throw new ProxyError(406, 'content_type_exception', 'unsupported_content_type', `Content-Type header [${ct.slice(0, 100)}] is not supported`);
  }
}

/** The request body parsed as JSON; undefined when empty. Malformed JSON is a 400 parse error. */
export async function jsonBody(ctx: OpContext): Promise<Json | undefined> {
  const raw = await ctx.body();
  if (raw.length === 0) return undefined;
  checkContentType(ctx);
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    throw new ProxyError(400, 'parse_exception', 'malformed_json', `request body is not valid JSON: ${(e as Error).message.slice(0, 200)}`);
  }
}

/** The body as a JSON object (documents, update requests, search bodies). */
export async function objectBody(ctx: OpContext, what: string, required: boolean): Promise<JsonObject | undefined> {
  const body = await jsonBody(ctx);
  if (body === undefined) {
    if (required) throw new ProxyError(400, 'parse_exception', 'body_required', `request body is required: ${what}`);
    return undefined;
  }
  if (!isObject(body)) throw new ProxyError(400, 'parse_exception', 'body_not_object', `request body must be a JSON object: ${what}`);
  return body;
}
