import { EngineError } from '../../errors.ts';
import type { JsonObject } from '../../json.ts';
import { mappingToJson } from '../../mapping/render.ts';
import { applySettingsUpdate, flattenSettings, settingsToJson } from '../../store/settings.ts';
import type { IndexState } from '../../store/index-state.ts';
import { wildcardMatch } from '../../store/index-names.ts';
import type { EngineContext } from '../context.ts';
import type { RestRequest } from '../rest-request.ts';
import type { RestResponse, Router } from '../router.ts';
import { INDEX_EXPANSION_PARAMS } from '../search-request.ts';
import { aliasesJson } from './aliases.ts';

const MASTER_PARAMS = ['timeout', 'master_timeout', 'cluster_manager_timeout', 'wait_for_active_shards'];

function resolveStrict(req: RestRequest, ctx: EngineContext): IndexState[] {
  return ctx.state.resolve(req.pathParams.index, {
    ignoreUnavailable: req.bool('ignore_unavailable'),
    allowNoIndices: req.bool('allow_no_indices', true),
  });
}

function createHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const idx = ctx.state.createIndex(req.pathParams.index, req.json());
  return { status: 200, body: { acknowledged: true, shards_acknowledged: true, index: idx.name } };
}

/** DeleteIndexRequest resolves with ignoreAliases: wildcards skip aliases and an alias name is refused. */
function deleteHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const targets = ctx.state.resolve(req.pathParams.index, {
    ignoreUnavailable: req.bool('ignore_unavailable'),
    allowNoIndices: req.bool('allow_no_indices', true),
    ignoreAliases: true,
  });
  for (const idx of targets) ctx.state.deleteIndex(idx);
  return { status: 200, body: { acknowledged: true } };
}

/** HEAD /{index}: every name must be an index or an alias (wildcards need a match). */
function existsHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const found = ctx.state.resolve(req.pathParams.index, { ignoreUnavailable: true, allowNoIndices: true });
  const all = req.pathParams.index.split(',').every((n) => n.includes('*') || ctx.state.get(n) !== undefined || ctx.state.lookup.isAlias(n));
  return { status: found.length > 0 && all ? 200 : 404 };
}

function settingsOf(idx: IndexState, flat: boolean): JsonObject {
  const nested = settingsToJson(idx.settings, idx.name, idx.uuid, idx.creationDate);
  return flat ? flattenSettings(nested) : nested;
}

function indexJson(idx: IndexState, flat: boolean): JsonObject {
  return { aliases: aliasesJson(idx), mappings: mappingToJson(idx.mappings), settings: settingsOf(idx, flat) };
}

function getHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const body: JsonObject = {};
  for (const idx of resolveStrict(req, ctx)) body[idx.name] = indexJson(idx, req.bool('flat_settings'));
  return { status: 200, body };
}

function getMappingHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const body: JsonObject = {};
  for (const idx of resolveStrict(req, ctx)) body[idx.name] = { mappings: mappingToJson(idx.mappings) };
  return { status: 200, body };
}

function putMappingHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const body = req.json();
  if (body === undefined) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: mapping source is missing;');
  const targets = resolveStrict(req, ctx);
  for (const idx of targets) {
    ctx.state.putMapping(idx, body);
  }
  return { status: 200, body: { acknowledged: true } };
}

/** Regex.simpleMatch over full setting keys (`index.number_*`). */
const settingMatches = (patterns: string[], key: string): boolean => patterns.some((p) => wildcardMatch(p, key));

/** GET _settings[/{name}]: with names, only matching settings, and indexes left with none are skipped (GetSettingsResponse). */
function getSettingsHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const body: JsonObject = {};
  const names = req.pathParams.name?.split(',').filter((n) => n !== '' && n !== '_all');
  for (const idx of resolveStrict(req, ctx)) {
    if (names === undefined || names.length === 0) {
      body[idx.name] = { settings: settingsOf(idx, req.bool('flat_settings')) };
      continue;
    }
    const flat = Object.entries(settingsOf(idx, true)).filter(([key]) => settingMatches(names, key));
    if (flat.length === 0) continue;
    const picked: JsonObject = Object.fromEntries(flat);
    body[idx.name] = { settings: req.bool('flat_settings') ? picked : nestSettings(picked) };
  }
  return { status: 200, body };
}

function nestSettings(flat: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(flat)) {
    let node = out;
    const parts = key.split('.');
    for (const p of parts.slice(0, -1)) {
      const next = node[p];
      node = typeof next === 'object' && next !== null && !Array.isArray(next) ? next : (node[p] = {});
    }
    node[parts[parts.length - 1]] = value;
  }
  return out;
}

function putSettingsHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const flat = flattenSettings(req.json());
  for (const idx of resolveStrict(req, ctx)) {
    applySettingsUpdate(idx.settings, flat, false);
    ctx.state.updateSettings(idx.settings, idx.name);
  }
  return { status: 200, body: { acknowledged: true } };
}

function refreshHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const targets = resolveStrict(req, ctx);
  let shards = 0;
  for (const idx of targets) {
    idx.refresh();
    shards += idx.shards.length;
  }
  return { status: 200, body: { _shards: { total: shards * 2, successful: shards, failed: 0 } } };
}

export function registerIndexRoutes(r: Router): void {
  r.add(['PUT'], '/{index}', MASTER_PARAMS, createHandler);
  r.add(['DELETE'], '/{index}', [...MASTER_PARAMS, ...INDEX_EXPANSION_PARAMS], deleteHandler);
  r.add(['HEAD'], '/{index}', [...INDEX_EXPANSION_PARAMS, ...MASTER_PARAMS, 'local', 'flat_settings', 'include_defaults'], existsHandler);
  r.add(['GET'], '/{index}', [...INDEX_EXPANSION_PARAMS, ...MASTER_PARAMS, 'local', 'flat_settings', 'include_defaults'], getHandler);
  const mappingParams = [...INDEX_EXPANSION_PARAMS, ...MASTER_PARAMS, 'local', 'write_index_only'];
  r.add(['GET'], '/{index}/_mapping', mappingParams, getMappingHandler);
  r.add(['GET'], '/_mapping', mappingParams, getMappingHandler);
  r.add(['PUT', 'POST'], '/{index}/_mapping', mappingParams, putMappingHandler);
  const settingsParams = [...INDEX_EXPANSION_PARAMS, ...MASTER_PARAMS, 'local', 'flat_settings', 'include_defaults', 'preserve_existing'];
  r.add(['GET'], '/{index}/_settings', settingsParams, getSettingsHandler);
  r.add(['GET'], '/_settings', settingsParams, getSettingsHandler);
  r.add(['GET'], '/{index}/_settings/{name}', settingsParams, getSettingsHandler);
  r.add(['GET'], '/_settings/{name}', settingsParams, getSettingsHandler);
  r.add(['PUT'], '/{index}/_settings', settingsParams, putSettingsHandler);
  r.add(['GET', 'POST'], '/_refresh', INDEX_EXPANSION_PARAMS, refreshHandler);
  r.add(['GET', 'POST'], '/{index}/_refresh', INDEX_EXPANSION_PARAMS, refreshHandler);
}
