import { request } from 'undici';

export interface HttpResult<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
  text: string;
}

/** A tiny JSON-over-HTTP client for tests; NDJSON when `body` is an array of objects and `ndjson` is set. */
export async function call<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  opts: { ndjson?: boolean; headers?: Record<string, string> } = {},
): Promise<HttpResult<T>> {
  let payload: string | undefined;
  let contentType = 'application/json';
  if (opts.ndjson && Array.isArray(body)) {
    payload = body.map((l) => JSON.stringify(l)).join('\n') + '\n';
    contentType = 'application/x-ndjson';
  } else if (typeof body === 'string') payload = body;
  else if (body !== undefined) payload = JSON.stringify(body);
  const res = await request(base + path, {
    method: method as 'GET',
    body: payload,
    headers: { ...(payload !== undefined ? { 'content-type': contentType } : {}), ...opts.headers },
  });
  const text = await res.body.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.statusCode, headers: res.headers, body: parsed as T, text };
}
