/**
 * `/_osproxy/admin/directives…` and `/_osproxy/admin/breakglass` (SPEC §5.5, §6): diagnostics
 * directives and killswitches published to every instance through the fleet store, each change
 * audited; and the break-glass rings of this instance.
 */
import { checkDirective, checkDirectiveId, DirectiveAdmin } from '../../control/directive-admin.ts';
import { DirectiveSchema, type DirectiveDoc } from '../../control/directive-doc.ts';
import { notFound } from '../../http/errors.ts';
import { jsonReply, type Reply } from '../../http/reply.ts';
import { adminBody, audit, intParam, methodNotAllowed, type AdminCall } from './admin-request.ts';

/** A directive as the API shows it, with whether it is still in force. */
function shown(doc: DirectiveDoc, now: number): Record<string, unknown> {
  return { ...doc, active: Date.parse(doc.expires_at) > now };
}

function list(call: AdminCall): Reply {
  const now = Date.now();
  const entries = [...(call.services.control.snapshot()?.directives.entries.values() ?? [])].sort((a, b) => a.id.localeCompare(b.id));
  return jsonReply(200, { directives: entries.map((e) => shown(e.doc, now)) });
}

async function one(call: AdminCall, id: string): Promise<Reply> {
  const method = call.req.method ?? 'GET';
  const admin = new DirectiveAdmin(call.services.control);
  checkDirectiveId(id);
  if (method === 'GET') {
    const e = call.services.control.snapshot()?.directives.entries.get(id);
    if (e === undefined) throw notFound('resource_not_found_exception', 'directive_not_found', `directive [${id}] does not exist`);
    return jsonReply(200, shown(e.doc, Date.now()));
  }
  if (method === 'PUT') {
    const d = await adminBody(call, DirectiveSchema);
    checkDirective(d, Date.now(), call.services.config.observe.breakglass_max);
    const { created, doc } = await admin.publish(id, d, call.operator.name, intParam(call.query, 'if_version'));
    audit(call, 'directive.publish', { directive: id, version: doc.version, level: doc.level, match: doc.match, expires_at: doc.expires_at, ...(doc.refuse === undefined ? {} : { refuse: doc.refuse.status }) });
    return jsonReply(created ? 201 : 200, shown(doc, Date.now()));
  }
  if (method === 'DELETE') {
    const doc = await admin.remove(id);
    audit(call, 'directive.remove', { directive: id, version: doc.version });
    return jsonReply(200, { acknowledged: true, id });
  }
  throw methodNotAllowed(method, `/_osproxy/admin/directives/${id}`, ['GET', 'PUT', 'DELETE']);
}

/** `admin/directives[/{id}]` with the path segments after `directives`. */
export async function directivesApi(call: AdminCall, rest: string[]): Promise<Reply> {
  if (rest.length === 0) {
    if (call.req.method !== 'GET') throw methodNotAllowed(call.req.method ?? '', '/_osproxy/admin/directives', ['GET']);
    return list(call);
  }
  if (rest.length === 1) return one(call, rest[0]);
  throw notFound('resource_not_found_exception', 'admin_not_found', `unknown admin endpoint [directives/${rest.join('/')}]`);
}

/** `admin/breakglass[?directive=ID]`: this instance's rings, newest record first. */
export function breakglassApi(call: AdminCall): Reply {
  if (call.req.method !== 'GET') throw methodNotAllowed(call.req.method ?? '', '/_osproxy/admin/breakglass', ['GET']);
  const directive = call.query.get('directive') ?? undefined;
  return jsonReply(200, { instance: call.services.control.instanceId, rings: call.services.breakglass.read(directive) });
}
