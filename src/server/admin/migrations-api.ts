/**
 * `/_osproxy/admin/migrations…` (SPEC §5.3, §5.5): start a move of a tenant's logical index, follow
 * it, and ask for its verify, cutover, cancel, reverse or cleanup. Every change is audited.
 */
import type { MigrationDoc } from '../../control/documents.ts';
import { OsproxyError } from '../../http/errors.ts';
import { jsonReply, type Reply } from '../../http/reply.ts';
import { MigrationAdmin, MigrationStartSchema, placementLabel, ReverseSchema } from '../../migrate/migration-admin.ts';
import { adminBody, audit, methodNotAllowed, type AdminCall } from './admin-request.ts';

/** A migration as `status --json` prints it (the fields first). */
export function migrationView(call: AdminCall, m: MigrationDoc): Record<string, unknown> {
  const epoch = call.services.control.snapshot()?.epoch(m.tenant, m.index) ?? 0;
  return {
    tenant: m.tenant, index: m.index, from: placementLabel(m.from.placement), to: placementLabel(m.to.placement), state: m.state, epoch,
    copied: m.copied, total: m.total, diff: m.diff ?? null, id: m.id, requested: m.requested ?? null, auto_cutover: m.auto_cutover,
    keep_source: m.keep_source, source_removed: m.source_removed,
    leftovers: m.leftovers.map((l) => ({ location: placementLabel(l.location.placement), due: l.due, kept: l.kept })), driver: m.lease?.holder ?? null, fence: m.fence ?? null, error: m.error ?? null,
    created_at: m.created_at, updated_at: m.updated_at, completed_at: m.completed_at ?? null,
  };
}

function admin(call: AdminCall): MigrationAdmin {
  const s = call.services;
  return new MigrationAdmin({ control: s.control, clusters: s.clusters, config: s.config, settings: s.tenancy, log: s.log });
}

export async function migrationsApi(call: AdminCall, rest: string[]): Promise<Reply> {
  const method = call.req.method ?? 'GET';
  const migrations = admin(call);
  if (rest.length === 0) {
    if (method === 'GET') return jsonReply(200, { migrations: migrations.list().map((m) => migrationView(call, m)) });
    if (method !== 'POST') throw methodNotAllowed(method, '/_osproxy/admin/migrations', ['GET', 'POST']);
    const req = await adminBody(call, MigrationStartSchema);
    const m = await migrations.start(req);
    audit(call, 'migration.start', { tenant: m.tenant, index: m.index, migration: m.id, to: placementLabel(m.to.placement) });
    return jsonReply(201, migrationView(call, m));
  }
  const [tenant, index, action, ...more] = rest;
  if (index === undefined || more.length > 0) throw methodNotAllowed(method, `/_osproxy/admin/migrations/${rest.join('/')}`, []);
  if (action === undefined) {
    if (method !== 'GET') throw methodNotAllowed(method, `/_osproxy/admin/migrations/${tenant}/${index}`, ['GET']);
    return jsonReply(200, migrationView(call, await migrations.get(tenant, index)));
  }
  if (method !== 'POST') throw methodNotAllowed(method, `/_osproxy/admin/migrations/${tenant}/${index}/${action}`, ['POST']);
  const m = await act(call, migrations, tenant, index, action);
  return jsonReply(action === '_reverse' ? 201 : 200, migrationView(call, m));
}

async function act(call: AdminCall, migrations: MigrationAdmin, tenant: string, index: string, action: string): Promise<MigrationDoc> {
  let m: MigrationDoc;
  switch (action) {
    case '_verify': return migrations.verify(tenant, index, call.query.get('deep') === 'true');
    case '_cutover': m = await migrations.requestCutover(tenant, index); break;
    case '_cancel': m = await migrations.requestCancel(tenant, index); break;
    case '_cleanup': m = await migrations.requestCleanup(tenant, index); break;
    case '_reverse': m = await migrations.reverse(tenant, index, await adminBody(call, ReverseSchema)); break;
    default: throw new OsproxyError({ status: 404, type: 'resource_not_found_exception', code: 'admin_not_found', reason: `unknown migration action [${action}]; one of _verify, _cutover, _cancel, _reverse, _cleanup` });
  }
  audit(call, `migration.${action.slice(1)}`, { tenant, index, migration: m.id });
  return m;
}
