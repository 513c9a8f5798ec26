import type { JsonObject } from '../../json.ts';
import { splitNames } from '../../ops/alias-request.ts';
import { aliasMatcher, aliasToJson } from '../../store/aliases.ts';
import { wildcardMatch } from '../../store/index-names.ts';
import type { IndexState } from '../../store/index-state.ts';
import type { EngineContext } from '../context.ts';
import type { RestRequest } from '../rest-request.ts';
import type { RestResponse, Router } from '../router.ts';
import { INDEX_EXPANSION_PARAMS } from '../search-request.ts';

const isHidden = (idx: IndexState): boolean => idx.settings.extra['index.hidden'] === 'true';
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** An index's aliases as GET _alias and GET /{index} render them: `{name: {filter, index_routing, ...}}`, by name. */
export function aliasesJson(idx: IndexState, names?: string[]): JsonObject {
  const out: JsonObject = {};
  for (const name of names ?? [...idx.aliases.keys()].sort(byName)) {
    const meta = idx.aliases.get(name);
    if (meta !== undefined) out[name] = aliasToJson(meta);
  }
  return out;
}

/**
 * `GET /_resolve/index/{name}` (ResolveIndexAction): the indexes (with their aliases) and the aliases
 * (with their indexes) the expression names; wildcards match both, and a missing name is just absent.
 */
function resolveIndexHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const names = ctx.state.lookup.names(req.pathParams.name, { ignoreUnavailable: true, allowNoIndices: true }, true);
  const indices: JsonObject[] = [];
  const aliases: JsonObject[] = [];
  for (const name of [...new Set(names)].sort(byName)) {
    const idx = ctx.state.get(name);
    if (idx !== undefined) {
      const entry: JsonObject = { name };
      if (idx.aliases.size > 0) entry.aliases = [...idx.aliases.keys()].sort(byName);
      entry.attributes = isHidden(idx) ? ['hidden', 'open'] : ['open'];
      indices.push(entry);
      continue;
    }
    const members = ctx.state.lookup.members(name);
    if (members.length > 0) aliases.push({ name, indices: members.map((m) => m.index.name) });
  }
  return { status: 200, body: { indices, aliases, data_streams: [] } };
}

/**
 * RestGetAliasesAction.buildRestResponse: explicitly named aliases that nothing returned are
 * missing; wildcards and `_all` never are, nor is a name a later `-pattern` (after the first wildcard) excludes.
 */
function missingAliases(requested: string[], returned: Set<string>): string[] {
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
    if (!excluded && !returned.has(name)) missing.add(name);
  });
  return [...missing].sort(byName);
}

/**
 * RestGetAliasesAction: without alias names every resolved index is listed with its aliases; with
 * names, only the indexes that have a matching alias, and a 404 with `{"error":"alias [x] missing"}`
 * (ahead of what was found) for names nothing matched.
 */
function getAliasesHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  const namesProvided = req.pathParams.name !== undefined;
  const requested = splitNames(req.pathParams.name);
  // paramAsStringArrayOrEmptyIfAll: `_all` or `*` alone stands for every alias.
  const patterns = requested.length === 1 && (requested[0] === '_all' || requested[0] === '*') ? [] : requested;
  const matches = aliasMatcher(patterns);
  // GetAliasesRequest defaults to strictExpandHidden: without an index, every index is looked at.
  const targets = ctx.state.resolve(req.pathParams.index, { ignoreUnavailable: req.bool('ignore_unavailable'), allowNoIndices: req.bool('allow_no_indices', true), expandHidden: true });
  const found = new Map<string, string[]>();
  const returned = new Set<string>();
  for (const idx of targets) {
    const names = [...idx.aliases.keys()].filter(matches).sort(byName);
    found.set(idx.name, names);
    for (const n of names) returned.add(n);
  }
  const missing = missingAliases(patterns, returned);
  const body: JsonObject = {};
  if (missing.length > 0) {
    body.error = missing.length === 1 ? `alias [${missing[0]}] missing` : `aliases [${missing.join(',')}] missing`;
    body.status = 404;
  }
  for (const idx of targets) {
    const names = found.get(idx.name) ?? [];
    if (!namesProvided || names.length > 0) body[idx.name] = { aliases: aliasesJson(idx, names) };
  }
  return { status: missing.length > 0 ? 404 : 200, body };
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
