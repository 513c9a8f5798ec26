/**
 * `/_osproxy/admin/directives…` and `/_osproxy/admin/breakglass` (SPEC §5.5, §6): diagnostics
 * directives and killswitches published to every instance through the fleet store, each change
 * audited; and the break-glass rings of this instance.
 */
import { checkDirective, checkDirectiveId, DirectiveAdmin } from '../../control/directive-admin.ts';
import { DirectiveSchema, type DirectiveDoc } from '../../control/directive-doc.ts';
import { illegalArgument, notFound } from '../../http/errors.ts';
import type { ExplainRecord } from '../../observe/explain.ts';
import { jsonReply, type Reply } from '../../http/reply.ts';
import { adminBody, audit, intParam, methodNotAllowed, type AdminCall } from './admin-request.ts';

/** A directive as the API shows it: times in RFC 3339 like `expires_at`, and whether it is still in force. */
function shown(doc: DirectiveDoc, now: number): Record<string, unknown> {
  return { ...doc, published_at: new Date(doc.published_at).toISOString(), active: Date.parse(doc.expires_at) > now };
}

/** Query parameters each method takes (anything else is a mistake worth saying). */
function checkParams(call: AdminCall, allowed: readonly string[], where: string): void {
  for (const name of call.query.keys()) {
    if (!allowed.includes(name)) throw illegalArgument('unsupported_parameter', `parameter [${name}] is not allowed on ${call.req.method ?? 'GET'} ${where}`);
  }
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
  checkParams(call, method === 'PUT' ? ['if_version'] : [], `/_osproxy/admin/directives/${id}`);
  if (method === 'GET') {
    const e = call.services.control.snapshot()?.directives.entries.get(id);
    if (e === undefined) throw notFound('resource_not_found_exception', 'directive_not_found', `directive [${id}] does not exist`);
    return jsonReply(200, shown(e.doc, Date.now()));
  }
  if (method === 'PUT') {
    const d = await adminBody(call, DirectiveSchema);
    checkDirective(d, Date.now(), { maxRing: call.services.config.observe.breakglass_max, maxTtlSeconds: call.services.config.observe.directive_max_ttl_s });
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
    checkParams(call, [], '/_osproxy/admin/directives');
    return list(call);
  }
  if (rest.length === 1) return one(call, rest[0]);
  throw notFound('resource_not_found_exception', 'admin_not_found', `unknown admin endpoint [directives/${rest.join('/')}]`);
}

/** `admin/breakglass[?directive=ID]`: the rings of every worker of this instance, newest record first. */
export async function breakglassApi(call: AdminCall): Promise<Reply> {
  if (call.req.method !== 'GET') throw methodNotAllowed(call.req.method ?? '', '/_osproxy/admin/breakglass', ['GET']);
  checkParams(call, ['directive'], '/_osproxy/admin/breakglass');
  const directive = call.query.get('directive') ?? undefined;
  const rings = call.services.breakglass.read(directive);
  for (const theirs of (await call.services.peers.ask('breakglass', directive ?? '')) as Record<string, ExplainRecord[]>[]) {
    for (const [id, records] of Object.entries(theirs)) rings[id] = [...(rings[id] ?? []), ...records];
  }
  for (const records of Object.values(rings)) records.sort((a, b) => b.at.localeCompare(a.at));
  if (directive !== undefined && rings[directive] === undefined) {
    const keep = call.services.config.observe.breakglass_keep_s;
    throw notFound('resource_not_found_exception', 'ring_not_found', `no break-glass ring for directive [${directive}]: it has no ring_buffer, has matched nothing yet, or ended more than ${keep} s ago`);
  }
  return jsonReply(200, { instance: call.services.control.instanceId, rings });
}
