import { EngineError, indexNotFound } from '../../errors.ts';
import type { JsonObject } from '../../json.ts';
import { deleteDocument, getDocument, indexDocument, requireSource, validateIndexRequest } from '../../ops/documents.ts';
import { parseUpdateBody, updateDocument } from '../../ops/update.ts';
import { validateVersioning } from '../../ops/versioning.ts';
import { filterSource } from '../../search/index.ts';
import type { IndexState } from '../../store/index-state.ts';
import type { DocRecord } from '../../store/shard.ts';
import type { EngineContext } from '../context.ts';
import { applyRefresh, refreshPolicy, SOURCE_PARAMS, sourceSpec, WRITE_PARAMS, writeConditions, type SourceSpec } from '../params.ts';
import type { RestRequest } from '../rest-request.ts';
import type { RestResponse, Router } from '../router.ts';

const GET_PARAMS = ['routing', 'preference', 'realtime', 'refresh', 'stored_fields', 'version', 'version_type', ...SOURCE_PARAMS];
const UPDATE_PARAMS = ['routing', 'refresh', 'retry_on_conflict', 'if_seq_no', 'if_primary_term', 'timeout', 'wait_for_active_shards', 'require_alias', 'lang', ...SOURCE_PARAMS];

/** The index a document write addressed to `{index}` goes to, and its routing (an alias's index routing wins). */
function writeTarget(req: RestRequest, ctx: EngineContext, create: boolean): { idx: IndexState; routing: string | undefined } {
  const name = req.pathParams.index;
  const idx = ctx.state.writeTarget(name, { requireAlias: req.bool('require_alias'), create });
  return { idx, routing: ctx.state.lookup.routing(name, req.str('routing'), true) };
}

/** DocWriteResponse.getLocation, which RestStatusToXContentListener sends with a 201. */
function location(idx: IndexState, id: string, routing: string | undefined): Record<string, string> {
  const path = `/${encodeURIComponent(idx.name)}/_doc/${encodeURIComponent(id)}`;
  return { location: routing === undefined ? path : `${path}?routing=${encodeURIComponent(routing)}` };
}

function indexHandler(forceCreate: boolean, autoId: boolean) {
  return (req: RestRequest, ctx: EngineContext): RestResponse => {
    const cond = writeConditions(req);
    const policy = refreshPolicy(req);
    if (forceCreate) cond.opType = 'create';
    const id = autoId ? undefined : req.pathParams.id;
    const source = requireSource(req.json());
    validateIndexRequest(id, cond);
    const { idx, routing } = writeTarget(req, ctx, true);
    const res = indexDocument(ctx.state, idx, id, source, routing, cond);
    applyRefresh(policy, [idx], res.body);
    const headers = res.status === 201 ? location(idx, res.body._id as string, routing) : undefined;
    return { status: res.status, body: res.body, headers };
  };
}

function selectSource(rec: DocRecord, spec: SourceSpec): JsonObject {
  if (spec.includes === undefined && spec.excludes === undefined) return rec.source;
  return filterSource(rec.source, spec.includes, spec.excludes);
}

/** A GET through an alias reads its one index (concreteSingleIndex), with the alias's index routing. */
function lookup(req: RestRequest, ctx: EngineContext): { idx: IndexState; rec: DocRecord | undefined } {
  const name = req.pathParams.index;
  const idx = ctx.state.lookup.singleIndex(name);
  if (idx === undefined) throw indexNotFound(name);
  const routing = ctx.state.lookup.routing(name, req.str('routing'), false);
  if (req.bool('refresh')) idx.refresh();
  const rec = getDocument(idx, req.pathParams.id, routing);
  if (rec !== undefined && !req.bool('realtime', true)) {
    const visible = idx.searchView().docs.find((d) => d.id === rec.id && d.shard === idx.shardOf(rec.id, routing).num);
    return { idx, rec: visible === undefined ? undefined : rec };
  }
  return { idx, rec };
}

function getHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const { idx, rec } = lookup(req, ctx);
  const id = req.pathParams.id;
  if (rec === undefined) return { status: 404, body: { _index: idx.name, _id: id, found: false } };
  const body: JsonObject = {
    _index: idx.name,
    _id: id,
    _version: rec.version,
    _seq_no: rec.seqNo,
    _primary_term: rec.primaryTerm,
  };
  if (rec.routing !== undefined) body._routing = rec.routing;
  body.found = true;
  const spec = sourceSpec(req);
  if (spec.fetch && req.str('stored_fields') === undefined) body._source = selectSource(rec, spec);
  return { status: 200, body };
}

function sourceHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const { idx, rec } = lookup(req, ctx);
  if (rec === undefined) {
    throw new EngineError(404, 'resource_not_found_exception', `Document not found [${idx.name}]/[${req.pathParams.id}]`);
  }
  return { status: 200, body: selectSource(rec, sourceSpec(req)) };
}

/** A delete goes to the write index; it creates a missing index only with external versioning (TransportBulkAction). */
function deleteHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const cond = writeConditions(req);
  const policy = refreshPolicy(req);
  validateVersioning(cond);
  const name = req.pathParams.index;
  const idx = ctx.state.writeTarget(name, { create: cond.versionType === 'external' || cond.versionType === 'external_gte' });
  const routing = ctx.state.lookup.routing(name, req.str('routing'), true);
  const res = deleteDocument(ctx.state, idx, req.pathParams.id, routing, cond);
  applyRefresh(policy, [idx], res.body);
  return { status: res.status, body: res.body };
}

function updateHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const retries = req.int('retry_on_conflict') ?? 0;
  const policy = refreshPolicy(req);
  const body = parseUpdateBody(req.json());
  const { idx, routing } = writeTarget(req, ctx, true);
  const res = updateDocument(ctx.state, {
    index: idx,
    id: req.pathParams.id,
    body,
    routing,
    cond: { ifSeqNo: req.int('if_seq_no'), ifPrimaryTerm: req.int('if_primary_term') },
    retryOnConflict: retries,
  });
  const spec = sourceSpec(req);
  if (req.str('_source') !== undefined && spec.fetch && res.record !== undefined && res.body.get === undefined) {
    const r = res.record;
    res.body.get = { _seq_no: r.seqNo, _primary_term: r.primaryTerm, found: true, _source: selectSource(r, spec) };
  }
  applyRefresh(policy, [idx], res.body);
  return { status: res.status, body: res.body };
}

export function registerDocumentRoutes(r: Router): void {
  r.add(['PUT', 'POST'], '/{index}/_doc/{id}', WRITE_PARAMS, indexHandler(false, false));
  r.add(['POST'], '/{index}/_doc', WRITE_PARAMS, indexHandler(false, true));
  r.add(['PUT', 'POST'], '/{index}/_create/{id}', WRITE_PARAMS, indexHandler(true, false));
  r.add(['GET', 'HEAD'], '/{index}/_doc/{id}', GET_PARAMS, getHandler);
  r.add(['DELETE'], '/{index}/_doc/{id}', WRITE_PARAMS, deleteHandler);
  r.add(['GET', 'HEAD'], '/{index}/_source/{id}', GET_PARAMS, sourceHandler);
  r.add(['POST'], '/{index}/_update/{id}', UPDATE_PARAMS, updateHandler);
}
