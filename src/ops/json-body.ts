import { isObject, MAX_JSON_DEPTH, nestsDeeperThan, type Json, type JsonObject } from '../core/json.ts';
import { OsproxyError, parseFailed } from '../http/errors.ts';
import type { OpContext } from './context.ts';

const JSON_TYPES = ['application/json', 'application/x-ndjson', 'text/plain', 'application/vnd.opensearch+json'];

/** Refuses content types OpenSearch would not parse as JSON (406 like OpenSearch). */
export function checkContentType(ctx: OpContext): void {
  const ct = ctx.req.headers['content-type'];
  if (ct === undefined) return;
  const base = ct.split(';')[0].trim().toLowerCase();
  if (!JSON_TYPES.includes(base)) {
    throw new OsproxyError({ status: 406, type: 'content_type_exception', code: 'unsupported_content_type', reason: `Content-Type header [${ct.slice(0, 100)}] is not supported` });
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
/** Bodies already decoded: a handler that parses the body and then forwards its text decodes it once. */
const DECODED = new WeakMap<Buffer, string>();

/** A request body as text; invalid UTF-8 is a 400 (never silently replaced by U+FFFD). */
export function utf8Text(raw: Buffer): string {
  const known = DECODED.get(raw);
  if (known !== undefined) return known;
  let text: string;
  try {
    text = UTF8.decode(raw);
  } catch {
    throw parseFailed('invalid_utf8', 'request body is not valid UTF-8');
  }
  DECODED.set(raw, text);
  return text;
}

/** True when `text` is only whitespace (as trim() sees it); a body starting with `{` or `[` is answered without a copy. */
function blank(text: string): boolean {
  const c = text.charCodeAt(0);
  if (c === 0x7b || c === 0x5b) return false;
  return text.trim() === '';
}

function tooDeep(): OsproxyError {
  return parseFailed('json_too_deep', `request body nests objects or arrays deeper than ${MAX_JSON_DEPTH} levels`);
}

/** The request body parsed as JSON; undefined when empty. Malformed JSON is a 400 parse error. */
export async function jsonBody(ctx: OpContext): Promise<Json | undefined> {
  const raw = await ctx.body();
  if (raw.length === 0) return undefined;
  checkContentType(ctx);
  const text = utf8Text(raw);
  if (blank(text)) return undefined;
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) throw tooDeep();
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    throw parseFailed('malformed_json', `request body is not valid JSON: ${(e as Error).message.slice(0, 200)}`);
  }
}

/** The body as a JSON object (documents, update requests, search bodies). */
export async function objectBody(ctx: OpContext, what: string, required: boolean): Promise<JsonObject | undefined> {
  const body = await jsonBody(ctx);
  if (body === undefined) {
    if (required) throw parseFailed('body_required', `request body is required: ${what}`);
    return undefined;
  }
  if (!isObject(body)) throw parseFailed('body_not_object', `request body must be a JSON object: ${what}`);
  return body;
}
