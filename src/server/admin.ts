import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProxyError } from '../http/errors.ts';
import { sendJson, sendText } from './respond.ts';
import type { Services } from './services.ts';

export const ADMIN_PREFIX = '/_osproxy/';

/**
 * `/_osproxy/*` (SPEC §5.5): health and ready are open (load balancers probe them); metrics and
 * explain need an operator token. Index names cannot start with `_`, so nothing collides.
 */
export async function handleAdmin(services: Services, req: IncomingMessage, res: ServerResponse, path: string, ready: () => boolean): Promise<number> {
  const sub = path.slice(ADMIN_PREFIX.length);
  if (sub === 'health') return sendJson(res, 200, { status: 'ok' });
  if (sub === 'ready') {
    const ok = ready();
    return sendJson(res, ok ? 200 : 503, { ready: ok });
  }
  services.operators.check(req.headers);
  if (sub === 'metrics') {
    return sendText(res, 200, await services.metrics.text(), services.metrics.registry.contentType);
  }
  if (sub.startsWith('explain/')) {
    const rec = services.explain.get(decodeURIComponent(sub.slice('explain/'.length)));
    if (rec === undefined) throw new ProxyError(404, 'resource_not_found_exception', 'explain_not_found', 'no explain record for that request id (it may have left the ring)');
    return sendJson(res, 200, rec);
  }
  throw new ProxyError(404, 'resource_not_found_exception', 'admin_not_found', `unknown admin endpoint [${sub}]`);
}
