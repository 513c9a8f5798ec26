/**
 * `GET /_resolve/index/{name}` (what Dashboards and client tools call to list what a pattern
 * names): the tenant's own logical indexes the expression matches — never an alias or a data
 * stream (tenants have neither) and never a physical name; a missing concrete name is just absent.
 */
import { jsonReply, type Reply } from '../http/reply.ts';
import type { OpContext } from './context.ts';

export async function resolveIndex(ctx: OpContext): Promise<Reply> {
  const { targets } = ctx.scope.indices();
  const indices = [...new Set(targets.map((t) => t.lindex))].sort().map((name) => ({ name, attributes: ['open'] }));
  return jsonReply(200, { indices, aliases: [], data_streams: [] });
}
