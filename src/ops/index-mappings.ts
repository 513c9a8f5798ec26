/**
 * A logical index's mapping as the tenant sees and changes it: in shared placement (per-tenant
 * fields) its logical mapping from the fleet store, never the shared index's; elsewhere the
 * physical mapping, reserved fields hidden.
 */
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { isReservedField, type ReservedFields, type Target } from '../tenancy/index.ts';
import { mappingJson, parseLogicalMapping } from '../tenancy/mapping/logical-mapping.ts';
import { mergeLogicalMapping } from '../tenancy/mapping/merge-mapping.ts';
import type { OpContext } from './context.ts';
import { ensureSharedIndex, putMapping, upstreamRefusal } from './shared-home.ts';
import { clusterFor } from './targets.ts';
import { addFields } from './tenant-fields.ts';
import { callUpstream, mapUpstreamError, readUpstreamJson } from './upstream-call.ts';

function strip(mapping: Json | undefined, reserved: ReservedFields): JsonObject {
  if (!isObject(mapping)) return {};
  const out: JsonObject = { ...mapping };
  if (isObject(out.properties)) {
    out.properties = Object.fromEntries(Object.entries(out.properties).filter(([k]) => !isReservedField(k, reserved)));
  }
  return out;
}

async function physicalMapping(ctx: OpContext, target: Target): Promise<JsonObject> {
  const res = await callUpstream(ctx, clusterFor(ctx, target), { method: 'GET', path: `/${encodeURIComponent(target.physicalIndex)}/_mapping` });
  const answer = await readUpstreamJson(ctx, res);
  if (res.status === 404) return {};
  if (res.status >= 400 || !isObject(answer)) throw upstreamRefusal(res.status, mapUpstreamError(answer, [target]));
  const entry = answer[target.physicalIndex];
  return strip(isObject(entry) ? entry.mappings : undefined, ctx.scope.reserved);
}

/** What `GET /{i}/_mapping` shows the tenant for one of its indexes. */
export async function tenantMapping(ctx: OpContext, target: Target): Promise<JsonObject> {
  return target.fields === undefined ? physicalMapping(ctx, target) : mappingJson(target.fields.mapping);
}

/** `PUT /{i}/_mapping` for one of the tenant's indexes. */
export async function putTenantMapping(ctx: OpContext, target: Target, body: JsonObject): Promise<void> {
  if (target.fields !== undefined) {
    const update = parseLogicalMapping(body);
    mergeLogicalMapping(target.fields.mapping, update); // a type change is refused before anything is put
    await addFields(ctx, target, update);
  } else if (target.placement === 'shared') await ensureSharedIndex(ctx, target, body);
  else await putMapping(ctx, target, body);
}
