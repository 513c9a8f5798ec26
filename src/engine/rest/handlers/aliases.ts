import type { JsonObject } from '../../json.ts';
import { wildcardMatch } from '../../store/index-names.ts';
import type { IndexState } from '../../store/index-state.ts';
import type { EngineContext } from '../context.ts';
import type { RestRequest } from '../rest-request.ts';
import type { RestResponse, Router } from '../router.ts';
import { INDEX_EXPANSION_PARAMS } from '../search-request.ts';

/*
 * The engine has no aliases and no data streams: these endpoints answer what OpenSearch answers
 * for a cluster without any, so clients that look them up at start-up see the same thing.
 */

const isHidden = (idx: IndexState): boolean => idx.settings.extra['index.hidden'] === 'true';

/**
 * `GET /_resolve/index/{name}` (ResolveIndexAction): matching indexes with their attributes, sorted.
 * A concrete name that does not exist is simply absent (the resolver keeps it, the lookup finds nothing).
 */
function resolveIndexHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const found = ctx.state.resolve(req.pathParams.name, { ignoreUnavailable: true, allowNoIndices: true });
  const indices = found.map((idx) => ({ name: idx.name, attributes: isHidden(idx) ? ['hidden', 'open'] : ['open'] }));
  return { status: 200, body: { indices, aliases: [], data_streams: [] } };
}

/** Wildcards and `_all` are never reported missing; neither is a name a later `-pattern` excludes. */
function missingAliases(requested: string[]): string[] {
  const firstWildcard = requested.findIndex((a) => a.includes('*'));
  const wildcardAt = firstWildcard < 0 ? requested.length : firstWildcard;
  const missing = new Set<string>();
  requested.forEach((name, i) => {
    if (name === '_all' || name.includes('*') || (i > wildcardAt && name.startsWith('-'))) return;
    const excluded = requested.slice(Math.max(i + 1, wildcardAt)).some((later) => {
      if (!later.startsWith('-')) return false;
      const pattern = later.slice(1);
      return pattern === '_all' || wildcardMatch(pattern, name);
    });
    if (!excluded) missing.add(name);
  });
  return [...missing].sort();
}

/**
 * RestGetAliasesAction: without alias names every index is listed with empty `aliases`; with names,
 * only indexes that have a matching alias (none here), and 404 `{"error":"alias [x] missing"}` for
 * explicitly requested names.
 */
function getAliasesHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const targets = ctx.state.resolve(req.pathParams.index, { ignoreUnavailable: req.bool('ignore_unavailable'), allowNoIndices: req.bool('allow_no_indices', true) });
  const body: JsonObject = {};
  if (req.pathParams.name === undefined) {
    for (const idx of targets) body[idx.name] = { aliases: {} };
    return { status: 200, body };
  }
  const missing = missingAliases(req.pathParams.name.split(',').filter((n) => n !== ''));
  if (missing.length === 0) return { status: 200, body };
  const error = missing.length === 1 ? `alias [${missing[0]}] missing` : `aliases [${missing.join(',')}] missing`;
  return { status: 404, body: { error, status: 404 } };
}

export function registerAliasRoutes(r: Router): void {
  r.add(['GET'], '/_resolve/index/{name}', ['expand_wildcards'], resolveIndexHandler);
  const params = [...INDEX_EXPANSION_PARAMS, 'local'];
  r.add(['GET'], '/_alias', params, getAliasesHandler);
  r.add(['GET'], '/_aliases', params, getAliasesHandler);
  r.add(['GET', 'HEAD'], '/_alias/{name}', params, getAliasesHandler);
  r.add(['GET', 'HEAD'], '/{index}/_alias', params, getAliasesHandler);
  r.add(['GET', 'HEAD'], '/{index}/_alias/{name}', params, getAliasesHandler);
}
