/**
 * Shared physical indexes ("homes"): created on first use with the reserved fields mapped as
 * `keyword`, and mappings merged into them. Left to dynamic mapping the reserved fields become
 * `text`, and the scope filter's `term`/`terms` then match analyzed tokens (`acme-only` → `acme`,
 * `only`): wrong counts, foreign matches.
 */
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { badGateway, OsproxyError } from '../http/errors.ts';
import type { ReservedFields, Target } from '../tenancy/index.ts';
import type { UpstreamCluster } from '../upstream/cluster.ts';
import type { OpContext } from './context.ts';
import { clusterFor } from './targets.ts';
import { callUpstream, mapUpstreamError, readUpstreamJson } from './upstream-call.ts';

function reservedMapping(reserved: ReservedFields): JsonObject {
  return { [reserved.tenant]: { type: 'keyword' }, [reserved.lindex]: { type: 'keyword' } };
}

/** An upstream refusal re-raised with its (already mapped) OpenSearch error type and reason. */
export function upstreamRefusal(status: number, body: Json): OsproxyError {
  const err = isObject(body) && isObject(body.error) ? body.error : {};
  const type = typeof err.type === 'string' ? err.type : 'exception';
  const reason = typeof err.reason === 'string' ? err.reason : 'the upstream refused the request';
  return new OsproxyError({ status, type, code: 'upstream_refused', reason });
}

/** Merges a mapping into the target's physical index (a conflict is OpenSearch's 400, names mapped). */
export async function putMapping(ctx: OpContext, target: Target, mapping: JsonObject): Promise<void> {
  const res = await callUpstream(ctx, clusterFor(ctx, target), {
    method: 'PUT',
    path: `/${encodeURIComponent(target.physicalIndex)}/_mapping`,
    body: JSON.stringify(mapping),
    idempotent: false,
  });
  const answer = await readUpstreamJson(ctx, res);
  if (res.status >= 400) throw upstreamRefusal(res.status, mapUpstreamError(answer, [target]));
}

/** Creates the shared physical index on first use (tolerating a concurrent creator), then merges mappings. */
export async function ensureSharedIndex(ctx: OpContext, target: Target, mappings: JsonObject | undefined): Promise<void> {
  const cluster = clusterFor(ctx, target);
  const path = `/${encodeURIComponent(target.physicalIndex)}`;
  const head = await callUpstream(ctx, cluster, { method: 'HEAD', path });
  await head.body.dump();
  if (head.status === 404) {
    const body = { mappings: { properties: reservedMapping(ctx.scope.reserved) } };
    const created = await callUpstream(ctx, cluster, { method: 'PUT', path, body: JSON.stringify(body), idempotent: false });
    const answer = await readUpstreamJson(ctx, created);
    if (created.status >= 400 && !(isObject(answer) && isObject(answer.error) && answer.error.type === 'resource_already_exists_exception')) {
      throw badGateway('shared_index_create_failed', 'the shared physical index could not be created');
    }
  }
  if (mappings !== undefined && isObject(mappings.properties)) await putMapping(ctx, target, { properties: mappings.properties });
}

/** Shared physical indexes known to exist with the reserved fields mapped, per upstream cluster. */
const sharedHomes = new WeakMap<UpstreamCluster, Set<string>>();

/** Before the first write into a shared physical index: make sure it exists with the reserved fields mapped. */
export async function ensureSharedHome(ctx: OpContext, target: Target): Promise<void> {
  // Per-tenant fields (layout 1): the home was created with the logical index.
  if (target.placement !== 'shared' || target.fields !== undefined) return;
  const cluster = clusterFor(ctx, target);
  const known = sharedHomes.get(cluster) ?? new Set<string>();
  sharedHomes.set(cluster, known);
  if (known.has(target.physicalIndex)) return;
  await ensureSharedIndex(ctx, target, undefined);
  known.add(target.physicalIndex);
}
