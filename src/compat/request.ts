// Turning a story step into an HTTP request, sending it with undici, and reading the response.
import { request as undiciRequest } from 'undici';
import type { HttpMethod, Json, Parameter, Scalar, Step } from './story.ts';
import type { StoryOutputs } from './outputs.ts';

export interface BuiltRequest {
  method: HttpMethod;
  /** Path plus query string, e.g. `/movies/_search?scroll=10m`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ActualResponse {
  status: number;
  /** Lower-cased names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** The media type without parameters, e.g. `application/json`. */
  contentType?: string;
  /** Parsed JSON for JSON responses, the text otherwise, undefined for an empty body. */
  payload: Json | undefined;
  text: string;
}

const JSON_TYPE = 'application/json';
const NDJSON_TYPE = 'application/x-ndjson';

/** Builds the request for `step`, substituting `${id.name}` references from `outputs`. */
export function buildRequest(step: Step, outputs: StoryOutputs): BuiltRequest {
  const params = outputs.resolve((step.parameters ?? {}) as Json) as Record<string, Parameter>;
  const path = buildPath(outputs.resolve(step.path), params);
  const declared = stringHeaders(outputs.resolve((step.request?.headers ?? {}) as Json) as Record<string, Scalar>);
  // A content-type header wins over `content_type`, as in the upstream runner.
  const typeHeader = Object.keys(declared).find((k) => k.toLowerCase() === 'content-type');
  const contentType = (typeHeader && declared[typeHeader]) || step.request?.content_type || JSON_TYPE;
  if (typeHeader) delete declared[typeHeader];
  const payload = step.request?.payload;
  if (payload === undefined) return { method: step.method, path, headers: declared };
  const body = serializeBody(outputs.resolve(payload), contentType);
  return { method: step.method, path, headers: { ...declared, 'content-type': contentType }, body };
}

/**
 * Fills `{name}` placeholders from `params`; the remaining parameters become the query string.
 * Lists are joined with commas, booleans written as true/false.
 */
export function buildPath(template: string, params: Record<string, Parameter>): string {
  const used = new Set<string>();
  const path = template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in params)) return whole;
    used.add(name);
    return encodeValue(params[name]);
  });
  const query = Object.entries(params)
    .filter(([name]) => !used.has(name))
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeValue(value)}`);
  return query.length === 0 ? path : `${path}${path.includes('?') ? '&' : '?'}${query.join('&')}`;
}

/** Commas stay literal: OpenSearch reads `a,b` lists in paths and parameters. */
function encodeValue(value: Parameter): string {
  const text = Array.isArray(value) ? value.map(String).join(',') : String(value);
  return encodeURIComponent(text).replace(/%2C/gi, ',');
}

/** JSON, or for NDJSON one JSON document per list element, each line ending in `\n`. */
export function serializeBody(payload: Json, contentType: string): string {
  if (contentType.split(';')[0].trim() === NDJSON_TYPE) {
    const lines = Array.isArray(payload) ? payload : [payload];
    return lines.map((line) => `${typeof line === 'string' ? line : JSON.stringify(line)}\n`).join('');
  }
  if (typeof payload === 'string' && !contentType.includes('json')) return payload;
  return JSON.stringify(payload);
}

function stringHeaders(h: Record<string, Scalar>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, String(v)]));
}

export interface SendOptions {
  /** Added to every request, after the step's own headers (e.g. a tenant's Authorization). */
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** Sends `req` to `baseUrl` (its path prefix is kept) and reads the whole response. */
export async function sendRequest(baseUrl: string, req: BuiltRequest, opts: SendOptions = {}): Promise<ActualResponse> {
  const url = baseUrl.replace(/\/+$/, '') + req.path;
  const timeout = opts.timeoutMs ?? 60_000;
  const res = await undiciRequest(url, {
    method: req.method,
    headers: { ...req.headers, ...opts.headers },
    body: req.body,
    headersTimeout: timeout,
    bodyTimeout: timeout,
  });
  const text = await res.body.text();
  const headers = flattenHeaders(res.headers);
  const contentType = headers['content-type']?.split(';')[0].trim().toLowerCase() || undefined;
  return { status: res.statusCode, headers, contentType, payload: parsePayload(text, contentType), text };
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** JSON media types are parsed (a malformed body stays text so the diff can show it). */
export function parsePayload(text: string, contentType: string | undefined): Json | undefined {
  if (text === '') return undefined;
  const isJson = contentType === undefined || contentType === JSON_TYPE || contentType.endsWith('+json');
  if (!isJson) return text;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}
