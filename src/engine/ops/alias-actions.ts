import { EngineError, indexNotFound } from '../errors.ts';
import type { JsonObject } from '../json.ts';
import { compileQuery } from '../search/index.ts';
import { aliasesNotFound, aliasMatcher, aliasNamedLikeIndex, sameAlias, validateAliasStandalone, type AliasMetadata } from '../store/aliases.ts';
import type { AliasChange, EngineState } from '../store/engine-state.ts';
import type { IndexState } from '../store/index-state.ts';
import type { AliasActionRequest } from './alias-request.ts';

/** AliasAction: one concrete step (an alias on one index, or one index to delete). */
type ConcreteAction =
  | { type: 'add'; index: IndexState; alias: string; props: AliasMetadata }
  | { type: 'remove'; index: IndexState; alias: string; mustExist?: boolean }
  | { type: 'remove_index'; index: IndexState };

const sortNames = (names: Iterable<string>): string[] => [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * TransportIndicesAliasesAction: each action's index expressions resolve against indexes only
 * (an alias name is refused, a missing index is a 404); `remove` expands its alias patterns
 * against the aliases the index has. Nothing left to do at all is `aliases_not_found_exception`.
 */
function concreteActions(state: EngineState, actions: AliasActionRequest[]): ConcreteAction[] {
  const out: ConcreteAction[] = [];
  const requested = new Set<string>();
  for (const action of actions) {
    const indices = state.lookup.concrete(action.indices.join(','), { allowNoIndices: false, ignoreAliases: true });
    for (const a of action.aliases) requested.add(a);
    for (const index of indices) {
      if (action.type === 'remove_index') out.push({ type: 'remove_index', index });
      else if (action.type === 'add') for (const alias of action.aliases) out.push({ type: 'add', index, alias, props: action.props });
      else {
        const matches = aliasMatcher(action.aliases);
        for (const alias of sortNames(index.aliases.keys())) if (matches(alias)) out.push({ type: 'remove', index, alias, mustExist: action.mustExist });
      }
    }
  }
  if (out.length === 0 && actions.length > 0) throw aliasesNotFound([...requested]);
  return out;
}

/** AliasValidator.validateAliasFilter: the filter must be a query the index can run. */
function validateFilter(alias: string, filter: JsonObject, index: IndexState): void {
  try {
    compileQuery(filter, index.searchView(), Date.now());
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    throw new EngineError(400, 'illegal_argument_exception', `failed to parse filter for alias [${alias}]`, {}, e);
  }
}

/**
 * MetadataIndexAliasesService.applyAliasActions: the indexes to delete go first (so an index can be
 * replaced by an alias of its name), then every add and remove runs against the result, in order.
 */
function planChange(state: EngineState, actions: ConcreteAction[]): AliasChange {
  const drop = new Set<IndexState>();
  for (const a of actions) if (a.type === 'remove_index') drop.add(a.index);
  const set = new Map<IndexState, Map<string, AliasMetadata>>();
  const working = (idx: IndexState): Map<string, AliasMetadata> => {
    let aliases = set.get(idx);
    if (aliases === undefined) set.set(idx, (aliases = new Map(idx.aliases)));
    return aliases;
  };
  for (const a of actions) {
    if (a.type === 'remove_index') continue;
    if (drop.has(a.index)) throw indexNotFound(a.index.name);
    const aliases = working(a.index);
    if (a.type === 'remove') {
      if (aliases.has(a.alias)) aliases.delete(a.alias);
      else if (a.mustExist === true) throw new EngineError(400, 'illegal_argument_exception', `required alias [${a.alias}] does not exist`);
      continue;
    }
    validateAliasStandalone(a.alias, a.props.indexRouting);
    const sameName = state.indices.get(a.alias);
    if (sameName !== undefined && !drop.has(sameName)) throw aliasNamedLikeIndex(a.alias, sameName);
    if (a.props.filter !== undefined) validateFilter(a.alias, a.props.filter, a.index);
    if (!sameAlias(aliases.get(a.alias), a.props)) aliases.set(a.alias, structuredClone(a.props));
  }
  return { drop: [...drop], set };
}

/** Runs one `_aliases` request (or PUT/DELETE `_alias`) as a single atomic change. */
export function applyAliasActions(state: EngineState, actions: AliasActionRequest[]): void {
  state.applyAliasChange(planChange(state, concreteActions(state, actions)));
}
