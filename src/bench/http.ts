/** Minimal HTTP helpers for the benchmarks over an undici Pool (keep-alive connections). */
import type { Dispatcher, Pool } from 'undici';

export type HeaderMap = Record<string, string>;

export interface JsonResponse {
  status: number;
  body: unknown;
}

function requestOptions(method: Dispatcher.HttpMethod, path: string, body: string | undefined, headers: HeaderMap, contentType: string): Dispatcher.RequestOptions {
  return {
    method,
    path,
    body,
    headers: body === undefined ? headers : { ...headers, 'content-type': contentType },
  };
}

/** Sends a request and parses the JSON answer (setup and checks, not the measured loop). */
export async function sendForJson(pool: Pool, method: Dispatcher.HttpMethod, path: string, body: string | undefined, headers: HeaderMap, contentType = 'application/json'): Promise<JsonResponse> {
  const res = await pool.request(requestOptions(method, path, body, headers, contentType));
  const text = await res.body.text();
  return { status: res.statusCode, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}
