/**
 * `/_osproxy/*` (SPEC §5.5): `health` and `ready` are open (load balancers probe them); `metrics`
 * and `explain` need an operator token; `admin/*` needs an operator token and TLS unless on
 * loopback. Index names cannot start with `_`, so nothing collides with a tenant's paths.
 */
import type { IncomingMessage } from 'node:http';
import { notFound } from '../../http/errors.ts';
import { jsonReply, textReply, type Reply } from '../../http/reply.ts';
import type { Services } from '../../ops/services.ts';
import { admitOperator } from './admin-request.ts';
import { readiness } from './readiness.ts';
import { breakglassApi, directivesApi } from './directives-api.ts';
import { migrationsApi } from './migrations-api.ts';
import { instancesApi, tenantsApi } from './tenants-api.ts';

export const ADMIN_PREFIX = '/_osproxy/';

function segmentsOf(path: string): string[] {
  return path.split('/').filter((s) => s !== '').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
}

export async function handleAdmin(services: Services, req: IncomingMessage, url: URL, accepting: boolean): Promise<Reply> {
  const sub = url.pathname.slice(ADMIN_PREFIX.length);
  if (sub === 'health') return jsonReply(200, { status: 'ok' });
  if (sub === 'ready') {
    const r = readiness(services, accepting);
    return jsonReply(r.status === 'not_ready' ? 503 : 200, r.status === 'ready' ? { status: r.status } : r);
  }
  if (sub === 'metrics') {
    services.operators.check(req.headers);
    return textReply(200, await services.metrics.text(), services.metrics.registry.contentType);
  }
  if (sub.startsWith('explain/')) {
    services.operators.check(req.headers);
    const rec = services.explain.get(decodeURIComponent(sub.slice('explain/'.length)));
    if (rec === undefined) throw notFound('resource_not_found_exception', 'explain_not_found', 'no explain record for that request id (it may have left the ring)');
    return jsonReply(200, rec);
  }
  const [area, resource, ...rest] = segmentsOf(sub);
  if (area === 'admin') {
    const call = { services, req, query: url.searchParams, operator: admitOperator(services, req) };
    if (resource === 'tenants') return tenantsApi(call, rest);
    if (resource === 'instances' && rest.length === 0) return instancesApi(call);
    if (resource === 'migrations') return migrationsApi(call, rest);
    if (resource === 'directives') return directivesApi(call, rest);
    if (resource === 'breakglass' && rest.length === 0) return breakglassApi(call);
  } else {
    services.operators.check(req.headers);
  }
  throw notFound('resource_not_found_exception', 'admin_not_found', `unknown admin endpoint [${sub}]`);
}
