import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { ProxyError } from '../http/errors.ts';
import { noteStreamedBytes } from '../stream/gc-pacer.ts';
import type { Services } from './services.ts';

/** Response headers worth relaying verbatim; hop-by-hop headers are the server's own business. */
const RELAYED = ['content-type', 'content-length', 'content-encoding', 'warning'];

/** Whether a path is served verbatim: the whole instance, or an index expression under a configured prefix. */
export function isPassthrough(services: Services, pathname: string): boolean {
  const cfg = services.config.passthrough;
  if (cfg.instance) return true;
  if (cfg.index_prefixes.length === 0) return false;
  const first = decodeURIComponent(pathname.split('/').filter((s) => s !== '')[0] ?? '');
  if (first === '' || first.startsWith('_')) return false;
  return first.split(',').every((name) => cfg.index_prefixes.some((p) => name.startsWith(p)));
}

/**
 * Streams request and response both ways with no size cap and no tenancy (SPEC §4.5). Only operator
 * credentials may use it; the client's Authorization is replaced by the cluster's own.
 */
export async function handlePassthrough(services: Services, req: IncomingMessage, res: ServerResponse, addUpstreamMs: (ms: number) => void): Promise<number> {
  services.operators.check(req.headers);
  const cluster = services.clusters.get('default');
  if (cluster === undefined) throw new ProxyError(500, 'internal_error', 'unknown_cluster', 'no default cluster');
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD' && req.headers['content-length'] !== '0';
  const headers: Record<string, string> = {};
  for (const h of ['content-type', 'content-length', 'transfer-encoding']) {
    const v = req.headers[h];
    if (typeof v === 'string') headers[h] = v;
  }
  const started = performance.now();
  const up = await cluster.stream({ method, path: req.url ?? '/', headers, body: hasBody ? req : undefined });
  addUpstreamMs(performance.now() - started);
  const out: Record<string, string> = {};
  for (const h of RELAYED) {
    const v = up.headers[h];
    if (typeof v === 'string') out[h] = v;
  }
  res.writeHead(up.statusCode ?? 502, out);
  let bytes = 0;
  up.on('data', (c: Buffer) => {
    bytes += c.length;
    noteStreamedBytes(c.length);
  });
  await pipeline(up, res);
  return bytes;
}
