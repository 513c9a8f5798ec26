/**
 * `GET/POST [/{index}]/_field_caps` (what Dashboards, Grafana and other client tools call at
 * start-up), over the tenant's own logical indexes only. In shared placement the capabilities are
 * computed from the tenant's mapping (its logical one with per-tenant fields), never asked of the
 * shared index, so no other tenant's field and no physical name (`__osx_…`) can appear; a
 * dedicated index is the tenant's own and its upstream answer is used. Merged over the indexes as
 * OpenSearch does (tenancy/mapping/field-caps.ts). `index_filter` keeps the indexes where a
 * document of the tenant matches it (the embedded engine's reading of the can-match phase).
 */
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { parsingFailed, validationFailed } from '../http/errors.ts';
import { jsonReply, type Reply } from '../http/reply.ts';
import { rewriteCountBody, type Target } from '../tenancy/index.ts';
import { capsFromAnswer, mappingFieldCaps, mergeFieldCaps, type IndexFieldCap } from '../tenancy/mapping/field-caps.ts';
import type { OpContext } from './context.ts';
import { tenantMapping } from './index-mappings.ts';
import { objectBody } from './json-body.ts';
import { physicalPath, searchTargets } from './search-request.ts';
import { clusterFor, explainTargets } from './targets.ts';
import { callUpstream, readUpstreamJson, relayedUpstreamError } from './upstream-call.ts';

class RelayedError extends Error {
  constructor(readonly status: number, readonly body: Json) {
    super('upstream refused');
  }
}

/** RestFieldCapabilitiesAction: the body may only hold `index_filter`. */
function indexFilterOf(body: JsonObject | undefined): Json | undefined {
  for (const key of Object.keys(body ?? {})) if (key !== 'index_filter') throw parsingFailed('unknown_field_caps_key', `request does not support [${key}]`);
  return body?.index_filter;
}

/** Whether a document of the tenant in the target matches the filter (scoped and renamed like a count). */
async function matchesFilter(ctx: OpContext, target: Target, filter: Json): Promise<boolean> {
  const body = rewriteCountBody({ query: filter }, ctx.scope.searchScope([target]));
  const res = await callUpstream(ctx, clusterFor(ctx, target), {
    method: 'POST',
    path: physicalPath([target], '_count'),
    query: target.placement === 'shared' && target.routing === 'tenant' ? new URLSearchParams({ routing: ctx.scope.tenant }) : undefined,
    body: JSON.stringify(body),
    idempotent: true,
  });
  const answer = await readUpstreamJson(ctx, res);
  if (res.status !== 200) throw new RelayedError(res.status, relayedUpstreamError(ctx, res.status, answer, [target]));
  return isObject(answer) && typeof answer.count === 'number' && answer.count > 0;
}

/** One index's capabilities: from the tenant's mapping in shared placement, from its own index otherwise. */
async function targetCaps(ctx: OpContext, target: Target, patterns: string[]): Promise<Map<string, IndexFieldCap>> {
  const reserved = ctx.scope.reserved;
  if (target.placement === 'shared') return mappingFieldCaps(await tenantMapping(ctx, target), patterns, reserved);
  const res = await callUpstream(ctx, clusterFor(ctx, target), {
    method: 'GET',
    path: physicalPath([target], '_field_caps'),
    query: new URLSearchParams({ fields: patterns.join(',') }),
    idempotent: true,
  });
  const answer = await readUpstreamJson(ctx, res);
  if (res.status === 404) return new Map(); // deleted meanwhile: as an index without fields
  if (res.status !== 200) throw new RelayedError(res.status, relayedUpstreamError(ctx, res.status, answer, [target]));
  return capsFromAnswer(answer, reserved);
}

export async function fieldCaps(ctx: OpContext): Promise<Reply> {
  const patterns = (ctx.query.get('fields') ?? '').split(',').map((f) => f.trim()).filter((f) => f !== '');
  const filter = indexFilterOf(await objectBody(ctx, 'the field capabilities request', false));
  if (patterns.length === 0) throw validationFailed('field_caps_fields_missing', "Validation Failed: 1: specified fields can't be null or empty;");
  const targets = searchTargets(ctx);
  explainTargets(ctx, targets);
  try {
    const perIndex: { index: string; caps: Map<string, IndexFieldCap> }[] = [];
    for (const target of targets) {
      if (filter !== undefined && !(await matchesFilter(ctx, target, filter))) continue;
      perIndex.push({ index: target.lindex, caps: await targetCaps(ctx, target, patterns) });
    }
    return jsonReply(200, mergeFieldCaps(perIndex, ctx.query.get('include_unmapped') === 'true'));
  } catch (e) {
    if (e instanceof RelayedError) return jsonReply(e.status, e.body);
    throw e;
  }
}
