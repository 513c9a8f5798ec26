/**
 * `/_osproxy/admin/tenants…` and `/_osproxy/admin/instances` (SPEC §5.5): tenants change at run
 * time on every instance through the fleet store. Bodies are validated by the same schemas as
 * the YAML; every change writes one audit line.
 */
import type { TenantDoc } from '../../control/documents.ts';
import { checkTenantId, TenantAdmin, TenantPutSchema, tenantNotFound } from '../../control/tenant-admin.ts';
import { purgeTenantData } from '../../control/tenant-purge.ts';
import { illegalArgument, notFound } from '../../http/errors.ts';
import { jsonReply, type Reply } from '../../http/reply.ts';
import { adminBody, audit, methodNotAllowed, intParam, type AdminCall } from './admin-request.ts';

const MAX_PAGE = 1_000;

/** A tenant as the API shows it: its id first, then the document. */
function shown(id: string, doc: TenantDoc): Record<string, unknown> {
  return { id, ...doc };
}

function list(call: AdminCall): Reply {
  const size = intParam(call.query, 'size', MAX_PAGE) ?? 100;
  const after = call.query.get('after') ?? '';
  const tenants = call.services.control.snapshot()?.tenancy.tenants;
  const ids = [...(tenants?.keys() ?? [])].filter((id) => id > after).sort();
  const page = ids.slice(0, size);
  return jsonReply(200, { tenants: page.map((id) => shown(id, tenants?.get(id)?.doc as TenantDoc)), next: ids.length > size ? page[page.length - 1] : null });
}

function indices(call: AdminCall, id: string): Reply {
  const snapshot = call.services.control.snapshot();
  if (snapshot?.tenant(id) === undefined) throw tenantNotFound(id);
  const out = snapshot.indexes(id).map((name) => {
    const e = snapshot.index(id, name);
    return { name, placement: e?.placement, epoch: e?.epoch, created_at: e?.created_at };
  });
  return jsonReply(200, { tenant: id, indices: out });
}

async function one(call: AdminCall, admin: TenantAdmin, id: string): Promise<Reply> {
  const method = call.req.method ?? 'GET';
  if (method === 'GET') return jsonReply(200, shown(id, await admin.get(id)));
  if (method === 'PUT') {
    checkTenantId(id);
    const entry = await adminBody(call, TenantPutSchema);
    const { created, doc } = await admin.put(id, entry, intParam(call.query, 'if_version'));
    audit(call, created ? 'tenant.create' : 'tenant.replace', { tenant: id, version: doc.version });
    return jsonReply(created ? 201 : 200, shown(id, doc));
  }
  if (method === 'DELETE') {
    const purge = call.query.get('purge') === 'true';
    await admin.get(id);
    const purged = purge ? await purgeTenantData(call.services.control, call.services.clusters, id, call.services.tenancy.reserved) : undefined;
    await admin.remove(id);
    audit(call, 'tenant.delete', { tenant: id, purge, ...(purged === undefined ? {} : { purged_indices: purged.indices, failed_indices: purged.failed.length }) });
    return jsonReply(200, { acknowledged: true, tenant: id, purged: purged ?? null });
  }
  throw methodNotAllowed(method, `/_osproxy/admin/tenants/${id}`, ['GET', 'PUT', 'DELETE']);
}

async function action(call: AdminCall, admin: TenantAdmin, id: string, rest: string[]): Promise<Reply> {
  const method = call.req.method ?? 'GET';
  const path = `/_osproxy/admin/tenants/${id}/${rest.join('/')}`;
  if (rest.length === 1 && rest[0] === 'indices') {
    if (method !== 'GET') throw methodNotAllowed(method, path, ['GET']);
    return indices(call, id);
  }
  if (rest.length === 1 && (rest[0] === '_suspend' || rest[0] === '_resume')) {
    if (method !== 'POST') throw methodNotAllowed(method, path, ['POST']);
    const doc = await admin.setState(id, rest[0] === '_suspend' ? 'suspended' : 'active');
    audit(call, rest[0] === '_suspend' ? 'tenant.suspend' : 'tenant.resume', { tenant: id, version: doc.version });
    return jsonReply(200, { id, state: doc.state, version: doc.version });
  }
  if (rest.length === 3 && rest[0] === 'principals' && rest[2] === '_rotate') {
    if (method !== 'POST') throw methodNotAllowed(method, path, ['POST']);
    const rotated = await admin.rotate(id, rest[1]);
    audit(call, 'principal.rotate', { tenant: id, principal: rest[1], version: rotated.doc.version });
    return jsonReply(200, { tenant: id, principal: rotated.principal, token: rotated.token, version: rotated.doc.version });
  }
  throw notFound('resource_not_found_exception', 'admin_not_found', `unknown admin endpoint [${path}]`);
}

/** `admin/tenants[/{id}[/…]]` with the path segments after `tenants`. */
export async function tenantsApi(call: AdminCall, segments: string[]): Promise<Reply> {
  const admin = new TenantAdmin(call.services.control);
  if (segments.length === 0) {
    if (call.req.method !== 'GET') throw methodNotAllowed(call.req.method ?? '', '/_osproxy/admin/tenants', ['GET']);
    return list(call);
  }
  const [id, ...rest] = segments;
  if (id === '') throw illegalArgument('invalid_tenant_id', 'the tenant id is empty');
  return rest.length === 0 ? one(call, admin, id) : action(call, admin, id, rest);
}

/** `admin/instances`: the fleet as its heartbeats show it. */
export function instancesApi(call: AdminCall): Reply {
  if (call.req.method !== 'GET') throw methodNotAllowed(call.req.method ?? '', '/_osproxy/admin/instances', ['GET']);
  const snapshot = call.services.control.snapshot();
  const now = Date.now();
  const aliveWithin = 3 * call.services.config.control.heartbeat_ms + call.services.config.control.poll_ms;
  const instances = [...(snapshot?.instances.values() ?? [])]
    .map((e) => ({ ...e.doc, alive: now - e.doc.last_seen <= aliveWithin, self: e.doc.id === call.services.control.instanceId }))
    .sort((a, b) => a.id.localeCompare(b.id));
  return jsonReply(200, { instances, checkpoint: snapshot?.checkpoint ?? null });
}
