import { EngineError } from '../../errors.ts';
import { isObject, type Json, type JsonObject } from '../../json.ts';
import { indexFieldCaps, type IndexFieldCap } from '../../mapping/field-caps.ts';
import { countMatches } from '../../search/index.ts';
import type { IndexState } from '../../store/index-state.ts';
import type { EngineContext } from '../context.ts';
import type { RestRequest } from '../rest-request.ts';
import type { RestResponse, Router } from '../router.ts';
import { INDEX_EXPANSION_PARAMS } from '../search-request.ts';

/** FieldCapabilities.Builder: one type of one field across the indexes that have it as that type. */
interface TypeCaps {
  indices: string[];
  searchable: Map<string, boolean>;
  aggregatable: Map<string, boolean>;
  meta: Map<string, Set<string>>;
}

/** RestActions.getQueryContent("index_filter", ...): the body may only hold `index_filter`. */
function indexFilterOf(body: Json | undefined): Json | undefined {
  if (body === undefined) return undefined;
  if (!isObject(body)) throw new EngineError(400, 'parsing_exception', 'Expected [START_OBJECT] but found [VALUE_STRING]');
  for (const key of Object.keys(body)) {
    if (key !== 'index_filter') throw new EngineError(400, 'parsing_exception', `request does not support [${key}]`);
  }
  return body.index_filter;
}

/**
 * An index takes part unless the filter rules it out. OpenSearch decides with the shards' can-match
 * phase; the engine asks whether any searchable document matches, which agrees for the usual range filters.
 */
function canMatch(idx: IndexState, filter: Json | undefined): boolean {
  return filter === undefined || countMatches([idx.searchView()], filter) > 0;
}

function addCap(byField: Map<string, Map<string, TypeCaps>>, field: string, index: string, cap: IndexFieldCap): void {
  let types = byField.get(field);
  if (types === undefined) byField.set(field, (types = new Map()));
  let t = types.get(cap.type);
  if (t === undefined) types.set(cap.type, (t = { indices: [], searchable: new Map(), aggregatable: new Map(), meta: new Map() }));
  t.indices.push(index);
  t.searchable.set(index, cap.searchable);
  t.aggregatable.set(index, cap.aggregatable);
  for (const [k, v] of Object.entries(cap.meta)) {
    let values = t.meta.get(k);
    if (values === undefined) t.meta.set(k, (values = new Set()));
    values.add(v);
  }
}

/** FieldCapabilities.Builder.build: `indices` only when the field has several types; the non_* lists only when mixed. */
function buildType(type: string, t: TypeCaps, withIndices: boolean): JsonObject {
  const indices = [...t.indices].sort();
  const searchable = indices.every((i) => t.searchable.get(i) === true);
  const aggregatable = indices.every((i) => t.aggregatable.get(i) === true);
  const out: JsonObject = { type, searchable, aggregatable };
  if (withIndices) out.indices = indices;
  if (!searchable && indices.some((i) => t.searchable.get(i) === true)) out.non_searchable_indices = indices.filter((i) => t.searchable.get(i) !== true);
  if (!aggregatable && indices.some((i) => t.aggregatable.get(i) === true)) {
    out.non_aggregatable_indices = indices.filter((i) => t.aggregatable.get(i) !== true);
  }
  if (t.meta.size > 0) {
    out.meta = Object.fromEntries([...t.meta.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, [...v].sort()]));
  }
  return out;
}

function fieldCapsHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const patterns = req.list('fields') ?? [];
  if (patterns.length === 0) throw new EngineError(400, 'action_request_validation_exception', "Validation Failed: 1: specified fields can't be null or empty;");
  const filter = indexFilterOf(req.json());
  const targets = ctx.state
    .resolve(req.pathParams.index, { ignoreUnavailable: req.bool('ignore_unavailable'), allowNoIndices: req.bool('allow_no_indices', true) })
    .filter((idx) => canMatch(idx, filter));
  const byField = new Map<string, Map<string, TypeCaps>>();
  for (const idx of targets) for (const [field, cap] of indexFieldCaps(idx.mappings, patterns)) addCap(byField, field, idx.name, cap);
  if (req.bool('include_unmapped')) {
    for (const [field, types] of byField) {
      const mapped = new Set([...types.values()].flatMap((t) => t.indices));
      for (const idx of targets) if (!mapped.has(idx.name)) addCap(byField, field, idx.name, { type: 'unmapped', searchable: false, aggregatable: false, meta: {} });
    }
  }
  const fields: JsonObject = {};
  for (const field of [...byField.keys()].sort()) {
    const types = byField.get(field) ?? new Map<string, TypeCaps>();
    fields[field] = Object.fromEntries([...types].map(([type, t]) => [type, buildType(type, t, types.size > 1)]));
  }
  return { status: 200, body: { indices: targets.map((i) => i.name).sort(), fields } };
}

export function registerFieldCapsRoutes(r: Router): void {
  const params = [...INDEX_EXPANSION_PARAMS, 'fields', 'include_unmapped'];
  r.add(['GET', 'POST'], '/_field_caps', params, fieldCapsHandler);
  r.add(['GET', 'POST'], '/{index}/_field_caps', params, fieldCapsHandler);
}
