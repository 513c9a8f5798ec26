import { EngineError, indexNotFound } from '../../errors.ts';
import type { JsonObject } from '../../json.ts';
import { deleteDocument, getDocument, indexDocument, requireSource } from '../../ops/documents.ts';
import { updateDocument } from '../../ops/update.ts';
import { filterSource } from '../../search/index.ts';
import type { IndexState } from '../../store/index-state.ts';
import type { DocRecord } from '../../store/shard.ts';
import type { EngineContext } from '../context.ts';
import { applyRefresh, refreshPolicy, SOURCE_PARAMS, sourceSpec, WRITE_PARAMS, writeConditions, type SourceSpec } from '../params.ts';
import type { RestRequest } from '../rest-request.ts';
import type { RestResponse, Router } from '../router.ts';

const GET_PARAMS = ['routing', 'preference', 'realtime', 'refresh', 'stored_fields', 'version', 'version_type', ...SOURCE_PARAMS];
const UPDATE_PARAMS = ['routing', 'refresh', 'retry_on_conflict', 'if_seq_no', 'if_primary_term', 'timeout', 'wait_for_active_shards', 'require_alias', 'lang', ...SOURCE_PARAMS];

function indexHandler(forceCreate: boolean, autoId: boolean) {
  return (req: RestRequest, ctx: EngineContext): RestResponse => {
    const cond = writeConditions(req);
    if (forceCreate) cond.opType = 'create';
    const id = autoId ? undefined : req.pathParams.id;
    const res = indexDocument(ctx.state, req.pathParams.index, id, requireSource(req.json()), req.str('routing'), cond);
    applyRefresh(refreshPolicy(req), [ctx.state.require(req.pathParams.index)], res.body);
    return { status: res.status, body: res.body, headers: { location: `/${req.pathParams.index}/_doc/${res.body._id as string}` } };
  };
}

function selectSource(rec: DocRecord, spec: SourceSpec): JsonObject {
  if (spec.includes === undefined && spec.excludes === undefined) return rec.source;
  return filterSource(rec.source, spec.includes, spec.excludes);
}

function lookup(req: RestRequest, ctx: EngineContext): { idx: IndexState; rec: DocRecord | undefined } {
  const idx = ctx.state.get(req.pathParams.index);
  if (idx === undefined) throw indexNotFound(req.pathParams.index);
  if (req.bool('refresh')) idx.refresh();
  const rec = getDocument(idx, req.pathParams.id, req.str('routing'));
  if (rec !== undefined && !req.bool('realtime', true)) {
    const visible = idx.searchView().docs.find((d) => d.id === rec.id && d.shard === idx.shardOf(rec.id, req.str('routing')).num);
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

function deleteHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const idx = ctx.state.get(req.pathParams.index);
  if (idx === undefined) throw indexNotFound(req.pathParams.index);
  const res = deleteDocument(ctx.state, idx, req.pathParams.id, req.str('routing'), writeConditions(req));
  applyRefresh(refreshPolicy(req), [idx], res.body);
  return { status: res.status, body: res.body };
}

function updateHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const retries = req.int('retry_on_conflict') ?? 0;
  const res = updateDocument(ctx.state, {
    index: req.pathParams.index,
    id: req.pathParams.id,
    body: req.json(),
    routing: req.str('routing'),
    cond: { ifSeqNo: req.int('if_seq_no'), ifPrimaryTerm: req.int('if_primary_term') },
    retryOnConflict: retries,
  });
  const spec = sourceSpec(req);
  if (req.str('_source') !== undefined && spec.fetch && res.record !== undefined && res.body.get === undefined) {
    const r = res.record;
    res.body.get = { _seq_no: r.seqNo, _primary_term: r.primaryTerm, found: true, _source: selectSource(r, spec) };
  }
  applyRefresh(refreshPolicy(req), [ctx.state.require(req.pathParams.index)], res.body);
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
