/**
 * Point in time create and delete (SPEC §4.3). The PIT is opened upstream over the physical
 * indexes of the caller's targets and answered as a sealed id; searches with `pit` are served by
 * the search handler (still wrapped for the cursor's targets).
 */
import { isObject, type JsonObject } from '../core/json.ts';
import { indexNotFound, validationFailed } from '../http/errors.ts';
import { jsonReply, type Reply } from '../http/reply.ts';
import type { OpContext } from './context.ts';
import { cursorRegistry } from './cursor-registry.ts';
import { cursorHorizon } from './cursor-horizon.ts';
import { byCluster, cursorKey, idList, issueCursor, namedCursors } from './cursors.ts';
import { objectBody } from './json-body.ts';
import { physicalPath, searchTargets, tenantRouted } from './search-request.ts';
import { explainTargets, oneCluster } from './targets.ts';
import { callUpstream, readUpstreamJson, relayedUpstreamError } from './upstream-call.ts';

const FORWARDED = ['keep_alive', 'preference', 'allow_partial_pit_creation'];

/** `POST /{i}/_search/point_in_time?keep_alive=`: targets resolved like a search. */
export async function createPit(ctx: OpContext): Promise<Reply> {
  cursorKey(ctx);
  const targets = searchTargets(ctx);
  if (targets.length === 0) throw indexNotFound(ctx.endpoint.index ?? '_all');
  const cluster = oneCluster(ctx, targets);
  const query = new URLSearchParams();
  for (const name of FORWARDED) {
    const v = ctx.query.get(name);
    if (v !== null) query.set(name, v);
  }
  // Shared placement: the tenant's documents live on its routing shard (as for a search).
  if (tenantRouted(targets)) query.set('routing', ctx.scope.tenant);
  explainTargets(ctx, targets);
  const res = await callUpstream(ctx, cluster, { method: 'POST', path: physicalPath(targets, '_search/point_in_time'), query });
  const answer = await readUpstreamJson(ctx, res);
  if (res.status !== 200 || !isObject(answer) || typeof answer.pit_id !== 'string') {
    const status = res.status === 200 ? 502 : res.status;
    return jsonReply(status, relayedUpstreamError(ctx, status, answer, targets));
  }
  const out: JsonObject = { pit_id: issueCursor(ctx, 'pit', targets, answer.pit_id, ctx.query.get('keep_alive') ?? undefined) };
  if (answer._shards !== undefined) out._shards = answer._shards;
  if (answer.creation_time !== undefined) out.creation_time = answer.creation_time;
  return jsonReply(200, out);
}

/** `DELETE /_search/point_in_time` (`{pit_id: [...]}`) and `/_search/point_in_time/_all` (the caller's own). */
export async function deletePit(ctx: OpContext): Promise<Reply> {
  cursorKey(ctx);
  const body = ctx.endpoint.id === undefined ? await objectBody(ctx, 'the delete PIT request', false) : undefined;
  const ids = idList(ctx.endpoint.id ?? body?.pit_id);
  if (ids.length === 0) throw validationFailed('pit_id_missing', 'Validation Failed: 1: No pit ids specified;');
  const named = namedCursors(ctx, 'pit', ids);
  const registry = cursorRegistry(ctx.services);
  const pits: JsonObject[] = [];
  for (const id of named.unknown) {
    if (named.all) registry.forget(ctx.scope.tenant, 'pit', id);
    else pits.push({ pit_id: id, successful: false });
  }
  for (const [cluster, byId] of byCluster(named.open)) {
    const res = await callUpstream(ctx, cluster, { method: 'DELETE', path: '/_search/point_in_time', body: JSON.stringify({ pit_id: [...byId.keys()] }) });
    const answer = await readUpstreamJson(ctx, res);
    if (res.status !== 200 && res.status !== 404) {
      const targets = [...byId.values()].flat().flatMap((c) => c.targets);
      return jsonReply(res.status, relayedUpstreamError(ctx, res.status, answer, targets));
    }
    const results = isObject(answer) && Array.isArray(answer.pits) ? answer.pits : [];
    const ok = new Set(results.filter((r) => isObject(r) && r.successful === true && typeof r.pit_id === 'string').map((r) => (r as JsonObject).pit_id as string));
    for (const [upstreamId, cursors] of byId) {
      for (const c of cursors) {
        pits.push({ pit_id: c.sealed, successful: ok.has(upstreamId) });
        registry.forget(ctx.scope.tenant, 'pit', c.sealed);
        cursorHorizon(ctx.services).forget(c.payload.c, c.payload.id);
      }
    }
  }
  return jsonReply(200, { pits });
}

/**
 * `GET /_search/point_in_time/_all`: the caller's own open PITs only — those this instance issued to
 * the tenant (see cursor-registry.ts) — each under its sealed id, with the upstream's creation time
 * and keep-alive. Other tenants' PITs on the same cluster are never listed.
 */
export async function listPits(ctx: OpContext): Promise<Reply> {
  const { open } = namedCursors(ctx, 'pit', ['_all']);
  const pits: JsonObject[] = [];
  for (const [cluster, byId] of byCluster(open)) {
    const res = await callUpstream(ctx, cluster, { method: 'GET', path: '/_search/point_in_time/_all' });
    const answer = await readUpstreamJson(ctx, res);
    if (res.status !== 200 && res.status !== 404) {
      const targets = [...byId.values()].flat().flatMap((c) => c.targets);
      return jsonReply(res.status, relayedUpstreamError(ctx, res.status, answer, targets));
    }
    for (const p of isObject(answer) && Array.isArray(answer.pits) ? answer.pits : []) {
      if (!isObject(p) || typeof p.pit_id !== 'string') continue;
      for (const c of byId.get(p.pit_id) ?? []) pits.push({ pit_id: c.sealed, creation_time: p.creation_time ?? null, keep_alive: p.keep_alive ?? null });
    }
  }
  return jsonReply(200, { pits });
}
