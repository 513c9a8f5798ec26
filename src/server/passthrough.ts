import type { IncomingMessage } from 'node:http';
import { OsproxyError } from '../http/errors.ts';
import { streamReply, type Reply } from '../http/reply.ts';
import type { Services } from '../ops/services.ts';
import { noteStreamedBytes } from '../core/gc.ts';

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
export async function handlePassthrough(services: Services, req: IncomingMessage, addUpstreamMs: (ms: number) => void): Promise<Reply> {
  services.operators.check(req.headers);
  const cluster = services.clusters.get('default');
  if (cluster === undefined) throw new OsproxyError({ status: 500, type: 'internal_error', code: 'unknown_cluster', reason: 'no default cluster' });
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD' && req.headers['content-length'] !== '0';
  const headers: Record<string, string> = {};
  for (const h of ['content-type', 'content-length', 'transfer-encoding']) {
    const v = req.headers[h];
    if (typeof v === 'string') headers[h] = v;
  }
  // Upload chunks are socket buffers outside the V8 heap, freed only by a GC: pace it as for responses.
  if (hasBody) req.on('data', (c: Buffer) => noteStreamedBytes(c.length));
  const started = performance.now();
  const up = await cluster.stream({ method, path: req.url ?? '/', headers, body: hasBody ? req : undefined });
  addUpstreamMs(performance.now() - started);
  const out: Record<string, string> = {};
  for (const h of RELAYED) {
    const v = up.headers[h];
    if (typeof v === 'string') out[h] = v;
  }
  return streamReply(up.statusCode ?? 502, up, out);
}
