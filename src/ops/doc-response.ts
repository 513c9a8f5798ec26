/** Document requests and answers in shared or dedicated placement: upstream parameters, mapped names. */
import { isObject, type JsonObject } from '../core/json.ts';
import { stripReservedFields, type Target } from '../tenancy/index.ts';
import type { OpContext } from './context.ts';

/** URL parameters forwarded upstream; for shared placement `routing` is always the tenant's. */
export function upstreamQuery(ctx: OpContext, target: Target, drop: readonly string[] = []): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, v] of ctx.query) {
    if (drop.includes(k)) continue;
    if (k === 'routing' && target.placement === 'shared') continue;
    q.append(k, v);
  }
  if (target.routing === 'tenant') q.set('routing', ctx.scope.tenant);
  return q;
}

/** Maps a write/get response's names back to the tenant's. */
export function mapDocResponse(body: JsonObject, target: Target, id: string, ctx: OpContext): JsonObject {
  const reserved = ctx.scope.reserved;
  const out: JsonObject = { ...body, _index: target.lindex, _id: id };
  delete out._routing;
  if (isObject(out._source)) out._source = stripReservedFields(out._source, reserved);
  if (isObject(out.get)) {
    const get: JsonObject = { ...out.get };
    delete get._routing;
    if (isObject(get._source)) get._source = stripReservedFields(get._source, reserved);
    out.get = get;
  }
  return out;
}
