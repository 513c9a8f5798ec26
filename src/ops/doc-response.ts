/** Document requests and answers in shared or dedicated placement: upstream parameters, mapped names. */
import { isObject, type JsonObject } from '../core/json.ts';
import { stripReservedFields, type Target } from '../tenancy/index.ts';
import { fieldResolver } from '../tenancy/mapping/field-resolver.ts';
import { logicalSource } from '../tenancy/mapping/physical-names.ts';

const SOURCE_PARAMS = new Set(['_source', '_source_includes', '_source_excludes', 'stored_fields']);
import type { OpContext } from './context.ts';

/** URL parameters forwarded upstream; for shared placement `routing` is always the tenant's. */
export function upstreamQuery(ctx: OpContext, target: Target, drop: readonly string[] = []): URLSearchParams {
  const q = new URLSearchParams();
  const names = fieldResolver([target]);
  for (const [k, v] of ctx.query) {
    if (drop.includes(k)) continue;
    if (k === 'routing' && target.placement === 'shared') continue;
    // Source filters and stored fields name the tenant's fields: the index's names for them.
    const renamed = !names.identity && SOURCE_PARAMS.has(k) && v !== 'true' && v !== 'false' ? v.split(',').flatMap((f) => names.names(f)).join(',') : v;
    q.append(k, renamed);
  }
  if (target.routing === 'tenant') q.set('routing', ctx.scope.tenant);
  return q;
}

/** A stored `_source` as the tenant wrote it: reserved fields removed, its own field names back. */
export function tenantSource(ctx: OpContext, target: Target, source: JsonObject): JsonObject {
  const own = stripReservedFields(source, ctx.scope.reserved);
  return target.fields === undefined ? own : (logicalSource(own) as JsonObject);
}

/** Maps a write/get response's names back to the tenant's. */
export function mapDocResponse(body: JsonObject, target: Target, id: string, ctx: OpContext): JsonObject {
  const out: JsonObject = { ...body, _index: target.lindex, _id: id };
  delete out._routing;
  if (isObject(out._source)) out._source = tenantSource(ctx, target, out._source);
  if (isObject(out.get)) {
    const get: JsonObject = { ...out.get };
    delete get._routing;
    if (isObject(get._source)) get._source = tenantSource(ctx, target, get._source);
    out.get = get;
  }
  return out;
}
