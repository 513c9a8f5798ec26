import { EngineError } from '../errors.ts';
import { isObject, type Json, type JsonObject } from '../json.ts';
import { nameProblem, wildcardMatch } from './index-names.ts';

/** One alias of one index, as OpenSearch's AliasMetadata holds it (absent = not set). */
export interface AliasMetadata {
  filter?: JsonObject;
  indexRouting?: string;
  searchRouting?: string;
  isWriteIndex?: boolean;
  isHidden?: boolean;
}

/** AliasMetadata.Builder.toXContent: filter, index_routing, search_routing, is_write_index, is_hidden. */
export function aliasToJson(a: AliasMetadata): JsonObject {
  const out: JsonObject = {};
  if (a.filter !== undefined) out.filter = structuredClone(a.filter);
  if (a.indexRouting !== undefined) out.index_routing = a.indexRouting;
  if (a.searchRouting !== undefined) out.search_routing = a.searchRouting;
  if (a.isWriteIndex !== undefined) out.is_write_index = a.isWriteIndex;
  if (a.isHidden !== undefined) out.is_hidden = a.isHidden;
  return out;
}

/** AliasMetadata.equals: an add that changes nothing is not a change. */
export function sameAlias(a: AliasMetadata | undefined, b: AliasMetadata): boolean {
  return a !== undefined && JSON.stringify(aliasToJson(a)) === JSON.stringify(aliasToJson(b));
}

/** The search routing values of an alias (AliasMetadata.searchRoutingValues). */
export function searchRoutingValues(a: AliasMetadata): string[] {
  return a.searchRouting === undefined ? [] : a.searchRouting.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** XContentParser.text() of a routing value: strings and numbers are both taken as text. */
function routingText(v: Json): string | undefined {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

/**
 * Alias.fromXContent (the `aliases` of a create-index body): filter, routing, index_routing,
 * search_routing, is_write_index, is_hidden; other keys are skipped, as the parser skips them.
 */
export function parseAliasDefinition(name: string, body: Json): AliasMetadata {
  if (!isObject(body)) throw new EngineError(400, 'illegal_argument_exception', `No alias is specified`);
  const out: AliasMetadata = {};
  for (const [key, v] of Object.entries(body)) {
    if (key === 'filter' && isObject(v)) {
      if (Object.keys(v).length > 0) out.filter = structuredClone(v);
    } else if (typeof v === 'string' && key === 'routing') {
      out.indexRouting = v;
      out.searchRouting = v;
    } else if (typeof v === 'string' && ['index_routing', 'indexRouting', 'index-routing'].includes(key)) {
      out.indexRouting = v;
    } else if (typeof v === 'string' && ['search_routing', 'searchRouting', 'search-routing'].includes(key)) {
      out.searchRouting = v;
    } else if (typeof v === 'boolean' && key === 'is_write_index') {
      out.isWriteIndex = v;
    } else if (typeof v === 'boolean' && key === 'is_hidden') {
      out.isHidden = v;
    }
  }
  validateAliasStandalone(name, out.indexRouting);
  return out;
}

/** The properties an `add` alias action (or PUT _alias body) carries, parsed as IndicesAliasesRequest.AliasActions does. */
export function aliasFromAction(params: JsonObject): AliasMetadata {
  const out: AliasMetadata = {};
  const routing = params.routing === undefined ? undefined : routingText(params.routing);
  const indexRouting = params.index_routing ?? params.indexRouting ?? params['index-routing'];
  const searchRouting = params.search_routing ?? params.searchRouting ?? params['search-routing'];
  // AliasActions.indexRouting()/searchRouting(): the specific value, else `routing`.
  const ir = indexRouting === undefined || indexRouting === null ? routing : routingText(indexRouting);
  const sr = searchRouting === undefined || searchRouting === null ? routing : routingText(searchRouting);
  if (ir !== undefined) out.indexRouting = ir;
  if (sr !== undefined) out.searchRouting = sr;
  if (isObject(params.filter) && Object.keys(params.filter).length > 0) out.filter = structuredClone(params.filter);
  if (typeof params.is_write_index === 'boolean') out.isWriteIndex = params.is_write_index;
  if (typeof params.is_hidden === 'boolean') out.isHidden = params.is_hidden;
  return out;
}

/** AliasValidator.validateAliasStandalone: the name rules of index names (not lower case) and one index routing value. */
export function validateAliasStandalone(name: string, indexRouting: string | undefined): void {
  if (name.trim() === '') throw new EngineError(400, 'illegal_argument_exception', 'alias name is required');
  const problem = nameProblem(name);
  if (problem !== undefined) throw new EngineError(400, 'invalid_alias_name_exception', `Invalid alias name [${name}]: ${problem}`);
  if (indexRouting !== undefined && indexRouting.includes(',')) {
    throw new EngineError(400, 'illegal_argument_exception', `alias [${name}] has several index routing values associated with it`);
  }
}

/** InvalidAliasNameException(index, name, desc): an index already carries the alias's name. */
export function aliasNamedLikeIndex(alias: string, index: { name: string; uuid: string }): EngineError {
  return new EngineError(400, 'invalid_alias_name_exception', `Invalid alias name [${alias}], an index exists with the same name as the alias`, {
    index_uuid: index.uuid,
    index: index.name,
  });
}

/** AliasesNotFoundException: `aliases [a, b] missing` (Arrays.toString), resource type `aliases`. */
export function aliasesNotFound(names: string[]): EngineError {
  return new EngineError(404, 'aliases_not_found_exception', `aliases [${names.join(', ')}] missing`, {
    'resource.type': 'aliases',
    'resource.id': names.length === 1 ? names[0] : names,
  });
}

/** An index as the layout check sees it: its name, uuid and aliases. */
export interface AliasHolder {
  name: string;
  uuid: string;
  aliases: ReadonlyMap<string, AliasMetadata>;
}

const illegalState = (reason: string): EngineError => new EngineError(500, 'illegal_state_exception', reason);

/**
 * The checks Metadata.Builder.build runs on every change: no alias may be named like an index, an
 * alias has at most one write index, and is_hidden is the same on all of an alias's indexes.
 */
export function validateAliasLayout(indices: AliasHolder[]): void {
  const byName = new Set(indices.map((i) => i.name));
  const duplicates: string[] = [];
  for (const idx of indices) {
    for (const alias of idx.aliases.keys()) if (byName.has(alias)) duplicates.push(`${alias} (alias of [${idx.name}/${idx.uuid}]) conflicts with index`);
  }
  if (duplicates.length > 0) {
    throw illegalState(`index, alias, and data stream names need to be unique, but the following duplicates were found [${duplicates.join(',')}]`);
  }
  const members = new Map<string, { index: string; meta: AliasMetadata }[]>();
  for (const idx of [...indices].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    for (const [alias, meta] of idx.aliases) {
      const list = members.get(alias) ?? [];
      list.push({ index: idx.name, meta });
      members.set(alias, list);
    }
  }
  for (const [alias, list] of members) {
    const writers = list.filter((m) => m.meta.isWriteIndex === true).map((m) => m.index);
    if (writers.length > 1) throw illegalState(`alias [${alias}] has more than one write index [${writers.join(',')}]`);
    const hidden = list.filter((m) => m.meta.isHidden === true).map((m) => m.index);
    const visible = list.filter((m) => m.meta.isHidden !== true).map((m) => m.index);
    if (hidden.length > 0 && visible.length > 0) {
      throw illegalState(
        `alias [${alias}] has is_hidden set to true on indices [${hidden.join(',')}] but does not have is_hidden set to true on indices [${visible.join(',')}]; alias must have the same is_hidden setting on all indices`,
      );
    }
  }
}

/**
 * Metadata.findAliases' matching: patterns (`a`, `a*`, `_all`, `-excluded`) applied in order;
 * no patterns match every alias.
 */
export function aliasMatcher(patterns: string[]): (alias: string) => boolean {
  const parsed = patterns.map((p) => (p.startsWith('-') ? { pattern: p.slice(1), include: false } : { pattern: p, include: true }));
  return (alias) => {
    let matched = parsed.length === 0;
    for (const { pattern, include } of parsed) {
      if (include) {
        if (!matched) matched = pattern === '_all' || wildcardMatch(pattern, alias);
      } else if (matched) matched = !wildcardMatch(pattern, alias);
    }
    return matched;
  };
}
