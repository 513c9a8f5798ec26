import { EngineError } from '../../errors.ts';
import { isObject, type Json, type JsonObject } from '../../json.ts';
import { executeBulk } from '../../ops/bulk.ts';
import { getDocument } from '../../ops/documents.ts';
import { executeSearch, filterSource } from '../../search/index.ts';
import type { IndexState } from '../../store/index-state.ts';
import type { EngineContext } from '../context.ts';
import { applyRefresh, refreshPolicy, SOURCE_PARAMS, sourceSpec, type SourceSpec } from '../params.ts';
import { parseJson, RestRequest } from '../rest-request.ts';
import type { RestResponse, Router } from '../router.ts';
import { searchViews, shardsSummary } from '../search-request.ts';
import { renderSearch } from './search.ts';

const BULK_PARAMS = ['refresh', 'routing', 'timeout', 'wait_for_active_shards', 'pipeline', 'require_alias', 'type', ...SOURCE_PARAMS];

function bulkHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  if (req.rawBody.length === 0) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: no requests added;');
  if (req.rawBody[req.rawBody.length - 1] !== 0x0a) {
    throw new EngineError(400, 'illegal_argument_exception', 'The bulk request must be terminated by a newline [\\n]');
  }
  const policy = refreshPolicy(req);
  const out = executeBulk(ctx.state, req.lines(), { index: req.pathParams.index, routing: req.str('routing'), requireAlias: req.bool('require_alias') });
  applyRefresh(policy, out.touched, undefined);
  return { status: 200, body: out.body };
}

interface MgetSpec {
  index?: string;
  id?: string;
  routing?: string;
  source?: SourceSpec;
}

function docSourceSpec(v: Json | undefined, fallback: SourceSpec): SourceSpec {
  if (v === undefined) return fallback;
  if (v === false) return { fetch: false };
  if (v === true) return { fetch: true };
  if (typeof v === 'string') return { fetch: true, includes: [v] };
  if (Array.isArray(v)) return { fetch: true, includes: v.map(String) };
  if (isObject(v)) {
    const list = (x: Json | undefined): string[] | undefined => (x === undefined ? undefined : Array.isArray(x) ? x.map(String) : [String(x)]);
    return { fetch: true, includes: list(v.includes ?? v.include), excludes: list(v.excludes ?? v.exclude) };
  }
  return fallback;
}

function mgetSpecs(req: RestRequest, fallback: SourceSpec): MgetSpec[] {
  const body = req.json();
  if (!isObject(body)) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: no documents to get;');
  const defaultIndex = req.pathParams.index;
  if (Array.isArray(body.ids)) {
    if (defaultIndex === undefined) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: index is missing for doc 0;');
    return body.ids.map((id) => ({ index: defaultIndex, id: String(id), routing: req.str('routing'), source: fallback }));
  }
  if (!Array.isArray(body.docs) || body.docs.length === 0) {
    throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: no documents to get;');
  }
  return body.docs.map((d) => {
    const doc = isObject(d) ? d : {};
    return {
      index: typeof doc._index === 'string' ? doc._index : defaultIndex,
      id: doc._id === undefined ? undefined : String(doc._id),
      routing: doc.routing !== undefined ? String(doc.routing) : doc._routing !== undefined ? String(doc._routing) : req.str('routing'),
      source: docSourceSpec(doc._source, fallback),
    };
  });
}

function mgetOne(ctx: EngineContext, spec: MgetSpec): JsonObject {
  if (spec.index === undefined || spec.id === undefined) {
    throw new EngineError(400, 'action_request_validation_exception', `Validation Failed: 1: ${spec.index === undefined ? 'index' : 'id'} is missing for doc 0;`);
  }
  let idx: IndexState | undefined;
  let routing: string | undefined;
  try {
    // TransportMultiGetAction: concreteSingleIndex and the alias's index routing, per item.
    idx = ctx.state.lookup.singleIndex(spec.index);
    if (idx === undefined) {
      throw new EngineError(404, 'index_not_found_exception', `no such index [${spec.index}]`, { index: spec.index, 'resource.type': 'index_expression', 'resource.id': spec.index, index_uuid: '_na_' });
    }
    routing = ctx.state.lookup.routing(spec.index, spec.routing, false);
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    return { _index: spec.index, _id: spec.id, error: e.toErrorObject() };
  }
  const rec = getDocument(idx, spec.id, routing);
  if (rec === undefined) return { _index: idx.name, _id: spec.id, found: false };
  const out: JsonObject = { _index: idx.name, _id: rec.id, _version: rec.version, _seq_no: rec.seqNo, _primary_term: rec.primaryTerm };
  if (rec.routing !== undefined) out._routing = rec.routing;
  out.found = true;
  const src = spec.source ?? { fetch: true };
  if (src.fetch) out._source = src.includes || src.excludes ? filterSource(rec.source, src.includes, src.excludes) : rec.source;
  return out;
}

function mgetHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  if (req.bool('refresh')) for (const idx of ctx.state.indices.values()) idx.refresh();
  const specs = mgetSpecs(req, sourceSpec(req));
  return { status: 200, body: { docs: specs.map((s) => mgetOne(ctx, s)) } };
}

function msearchItem(ctx: EngineContext, req: RestRequest, header: JsonObject, body: Json): JsonObject {
  const started = Date.now();
  const index = header.index === undefined ? req.pathParams.index : Array.isArray(header.index) ? header.index.join(',') : String(header.index);
  const routing = header.routing === undefined ? undefined : String(header.routing);
  const targets = ctx.state.lookup.searchTargets(index, routing, { ignoreUnavailable: header.ignore_unavailable === true });
  const views = searchViews(targets);
  if (!isObject(body)) throw new EngineError(400, 'parsing_exception', 'Expected [START_OBJECT] but found [VALUE_STRING]');
  const result = executeSearch(views, body, {});
  const render = { totalAsInt: req.bool('rest_total_hits_as_int'), started, shards: shardsSummary(targets.map((t) => t.index)) };
  return { ...renderSearch(result, render), status: 200 };
}

function msearchHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const started = Date.now();
  const lines = req.lines();
  if (lines.length === 0) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: no requests added;');
  const responses: JsonObject[] = [];
  for (let i = 0; i < lines.length; i += 2) {
    const header = parseJson(lines[i]);
    if (!isObject(header)) throw new EngineError(400, 'illegal_argument_exception', 'msearch header must be an object');
    if (i + 1 >= lines.length) throw new EngineError(400, 'illegal_argument_exception', 'msearch request is missing a search body after its header');
    try {
      responses.push(msearchItem(ctx, req, header, parseJson(lines[i + 1])));
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
      responses.push({ error: e.toErrorObject(), status: e.status });
    }
  }
  return { status: 200, body: { took: Date.now() - started, responses } };
}

export function registerBatchRoutes(r: Router): void {
  r.add(['POST', 'PUT'], '/_bulk', BULK_PARAMS, bulkHandler);
  r.add(['POST', 'PUT'], '/{index}/_bulk', BULK_PARAMS, bulkHandler);
  const mgetParams = ['routing', 'preference', 'realtime', 'refresh', 'stored_fields', ...SOURCE_PARAMS];
  r.add(['GET', 'POST'], '/_mget', mgetParams, mgetHandler);
  r.add(['GET', 'POST'], '/{index}/_mget', mgetParams, mgetHandler);
  const msearchParams = ['max_concurrent_searches', 'rest_total_hits_as_int', 'typed_keys', 'search_type', 'ccs_minimize_roundtrips', 'pre_filter_shard_size', 'max_concurrent_shard_requests'];
  r.add(['GET', 'POST'], '/_msearch', msearchParams, msearchHandler);
  r.add(['GET', 'POST'], '/{index}/_msearch', msearchParams, msearchHandler);
}
