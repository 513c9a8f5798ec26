import type { IncomingMessage } from 'node:http';
import { notFound } from '../http/errors.ts';
import { jsonReply, textReply, type Reply } from '../http/reply.ts';
import type { Services } from '../ops/services.ts';

export const ADMIN_PREFIX = '/_osproxy/';

/**
 * `/_osproxy/*` (SPEC §5.5): health and ready are open (load balancers probe them); metrics and
 * explain need an operator token. Index names cannot start with `_`, so nothing collides.
 */
export async function handleAdmin(services: Services, req: IncomingMessage, path: string, ready: () => boolean): Promise<Reply> {
  const sub = path.slice(ADMIN_PREFIX.length);
  if (sub === 'health') return jsonReply(200, { status: 'ok' });
  if (sub === 'ready') {
    const ok = ready();
    return jsonReply(ok ? 200 : 503, { ready: ok });
  }
  services.operators.check(req.headers);
  if (sub === 'metrics') return textReply(200, await services.metrics.text(), services.metrics.registry.contentType);
  if (sub.startsWith('explain/')) {
    const rec = services.explain.get(decodeURIComponent(sub.slice('explain/'.length)));
    if (rec === undefined) throw notFound('resource_not_found_exception', 'explain_not_found', 'no explain record for that request id (it may have left the ring)');
    return jsonReply(200, rec);
  }
  throw notFound('resource_not_found_exception', 'admin_not_found', `unknown admin endpoint [${sub}]`);
}
