import { EngineError, indexNotFound } from '../errors.ts';
import type { JsonObject } from '../json.ts';
import { searchRoutingValues, type AliasMetadata } from './aliases.ts';
import type { IndexState } from './index-state.ts';
import { wildcardMatch } from './index-names.ts';

export interface ResolveOptions {
  /** A missing concrete name is skipped instead of answering 404. */
  ignoreUnavailable?: boolean;
  /** Wildcards that match nothing are fine (default true, as in OpenSearch search). */
  allowNoIndices?: boolean;
  /** IndicesOptions.ignoreAliases: wildcards match indexes only and an alias name is refused (delete index, alias actions). */
  ignoreAliases?: boolean;
  /** expand_wildcards=all (e.g. GetAliasesRequest's strictExpandHidden): wildcards match dot-prefixed and hidden names too. */
  expandHidden?: boolean;
}

/** One index of the alias, with the alias's properties on that index. */
export interface AliasMember {
  index: IndexState;
  alias: AliasMetadata;
}

/** An index a search runs on: the alias filter it is reached through, and the routing values limiting its shards. */
export interface SearchTarget {
  index: IndexState;
  filter?: JsonObject;
  routing?: string[];
}

const isPattern = (s: string): boolean => s.includes('*');

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw.trim());
  } catch {
    return raw.trim();
  }
}

/** IndexNameExpressionResolver.aliasesNotSupportedException. */
function aliasesNotSupported(expression: string): EngineError {
  return new EngineError(400, 'illegal_argument_exception', `The provided expression [${expression}] matches an alias, specify the corresponding concrete indices instead.`);
}

/** IndexAbstraction.Alias.getWriteIndex: the `is_write_index: true` member, else the only member unless it says false. */
function writeMember(members: AliasMember[]): AliasMember | undefined {
  const explicit = members.filter((m) => m.alias.isWriteIndex === true);
  if (explicit.length === 1) return explicit[0];
  if (explicit.length === 0 && members.length === 1 && members[0].alias.isWriteIndex === undefined) return members[0];
  return undefined;
}

function noWriteIndex(alias: string): EngineError {
  return new EngineError(
    400,
    'illegal_argument_exception',
    `no write index is defined for alias [${alias}]. The write index may be explicitly disabled using is_write_index=false or the alias points to multiple indices without one being designated as a write index`,
  );
}

/** Metadata's alias routing check: an alias with index routing overrides the request's, which must agree with it. */
function aliasIndexRouting(alias: string, meta: AliasMetadata, routing: string | undefined): string | undefined {
  if (meta.indexRouting === undefined) return routing;
  if (routing !== undefined && routing !== meta.indexRouting) {
    throw new EngineError(
      400,
      'illegal_argument_exception',
      `Alias [${alias}] has index routing associated with it [${meta.indexRouting}], and was provided with routing value [${routing}], rejecting operation`,
    );
  }
  return meta.indexRouting;
}

/** Resolves index expressions against the indexes and their aliases, as OpenSearch's IndexNameExpressionResolver does. */
export class IndexLookup {
  private readonly indices: ReadonlyMap<string, IndexState>;

  constructor(indices: ReadonlyMap<string, IndexState>) {
    this.indices = indices;
  }

  /** The indexes the alias points to, by index name. */
  members(alias: string): AliasMember[] {
    const out: AliasMember[] = [];
    for (const index of this.indices.values()) {
      const meta = index.aliases.get(alias);
      if (meta !== undefined) out.push({ index, alias: meta });
    }
    return out.sort((a, b) => (a.index.name < b.index.name ? -1 : a.index.name > b.index.name ? 1 : 0));
  }

  isAlias(name: string): boolean {
    for (const index of this.indices.values()) if (index.aliases.has(name)) return true;
    return false;
  }

  /** Every alias name with its members. */
  aliasNames(): Set<string> {
    const out = new Set<string>();
    for (const index of this.indices.values()) for (const name of index.aliases.keys()) out.add(name);
    return out;
  }

  private exists(name: string, opts: ResolveOptions): boolean {
    return this.indices.has(name) || (opts.ignoreAliases !== true && this.isAlias(name));
  }

  /** Wildcard matches: names starting with `.` only for patterns that do; hidden aliases never (expand_wildcards=open). */
  private matches(pattern: string, opts: ResolveOptions): { indices: string[]; aliases: string[] } {
    const visible = (name: string): boolean => opts.expandHidden === true || !name.startsWith('.') || pattern.startsWith('.');
    const indices = [...this.indices.keys()].filter((n) => visible(n) && wildcardMatch(pattern, n));
    const aliases: string[] = [];
    if (opts.ignoreAliases !== true) {
      for (const name of this.aliasNames()) {
        if (!visible(name) || !wildcardMatch(pattern, name)) continue;
        if (opts.expandHidden !== true && this.members(name).every((m) => m.alias.isHidden === true)) continue;
        aliases.push(name);
      }
    }
    return { indices, aliases };
  }

  /**
   * WildcardExpressionResolver: the index and alias names an expression (`a`, `a,b`, `logs-*`, `_all`,
   * `-excluded` after a wildcard) stands for. Aliases a wildcard matches become their indexes unless
   * `preserveAliases` (as the alias filter lookup asks).
   */
  names(expr: string | undefined, opts: ResolveOptions = {}, preserveAliases = false): string[] {
    const parts = expr === undefined || expr === '' || expr === '_all' ? ['*'] : expr.split(',').map(decode);
    const result = new Set<string>();
    let wildcardSeen = false;
    for (const part of parts) {
      if (part === '') throw indexNotFound(part);
      if (this.exists(part, opts)) {
        result.add(part);
        continue;
      }
      const exclude = part.startsWith('-') && wildcardSeen;
      const expression = exclude ? part.slice(1) : part;
      if (!isPattern(expression)) {
        if (opts.ignoreUnavailable !== true) {
          if (this.indices.has(expression)) {
            // an index after a `-`: excluded below
          } else if (!this.isAlias(expression)) throw indexNotFound(expression);
          else if (opts.ignoreAliases === true) throw aliasesNotSupported(expression);
        }
        if (exclude) result.delete(expression);
        else result.add(expression);
        continue;
      }
      const found = this.matches(expression, opts);
      const expanded = [...found.indices];
      for (const alias of found.aliases) {
        if (preserveAliases) expanded.push(alias);
        else for (const m of this.members(alias)) expanded.push(m.index.name);
      }
      for (const name of expanded) {
        if (exclude) result.delete(name);
        else result.add(name);
      }
      if (opts.allowNoIndices === false && found.indices.length + found.aliases.length === 0) throw indexNotFound(expression);
      wildcardSeen = true;
    }
    return [...result];
  }

  /** The concrete indexes of an expression, by name; aliases stand for all their indexes. */
  concrete(expr: string | undefined, opts: ResolveOptions = {}): IndexState[] {
    const single = expr !== undefined && !expr.includes(',');
    const chosen = new Map<string, IndexState>();
    for (const name of this.names(expr, opts)) {
      const idx = this.indices.get(name);
      if (idx !== undefined) {
        chosen.set(name, idx);
        continue;
      }
      const members = opts.ignoreAliases === true ? [] : this.members(name);
      if (members.length === 0 && (single ? opts.allowNoIndices === false : opts.ignoreUnavailable !== true)) throw indexNotFound(name);
      for (const m of members) chosen.set(m.index.name, m.index);
    }
    if (chosen.size === 0 && opts.allowNoIndices === false) throw indexNotFound(expr ?? '_all');
    return [...chosen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * concreteWriteIndex: the index itself, or the alias's write index (an error when it has none);
   * undefined when nothing has that name (a write may then create the index).
   */
  writeIndex(name: string): IndexState | undefined {
    const idx = this.indices.get(name);
    if (idx !== undefined) return idx;
    const members = this.members(name);
    if (members.length === 0) return undefined;
    const w = writeMember(members);
    if (w === undefined) throw noWriteIndex(name);
    return w.index;
  }

  /** concreteSingleIndex (GET, mget, explain): an alias must point to exactly one index; undefined when nothing has that name. */
  singleIndex(name: string): IndexState | undefined {
    const idx = this.indices.get(name);
    if (idx !== undefined) return idx;
    const members = this.members(name);
    if (members.length > 1) {
      throw new EngineError(
        400,
        'illegal_argument_exception',
        `alias [${name}] has more than one index associated with it [${members.map((m) => m.index.name).join(', ')}], can't execute a single index op`,
      );
    }
    return members[0]?.index;
  }

  /** Metadata.resolveWriteIndexRouting / resolveIndexRouting: the routing a document operation through `name` uses. */
  routing(name: string, routing: string | undefined, write: boolean): string | undefined {
    if (this.indices.has(name)) return routing;
    const members = this.members(name);
    if (members.length === 0) return routing;
    const member = write ? writeMember(members) : members[0];
    if (member === undefined) throw new EngineError(400, 'illegal_argument_exception', `alias [${name}] does not have a write index`);
    return aliasIndexRouting(name, member.alias, routing);
  }

  /** The indexes a search runs on, with the filters of the aliases it reaches them through and the shards routing limits it to. */
  searchTargets(expr: string | undefined, routing: string | undefined, opts: ResolveOptions = {}): SearchTarget[] {
    const concrete = this.concrete(expr, opts);
    const all = expr === undefined || expr === '' || expr === '_all';
    const lenient = { ignoreUnavailable: true, allowNoIndices: true };
    const withAliases = all ? [] : this.names(expr, lenient, true);
    const routings = this.searchRouting(this.names(expr, lenient), routing);
    return concrete.map((index) => {
      const target: SearchTarget = { index };
      const filter = all ? undefined : this.aliasFilter(index, new Set(withAliases));
      if (filter !== undefined) target.filter = filter;
      const r = routings === undefined ? undefined : routings.get(index.name);
      if (r !== undefined) target.routing = [...r];
      return target;
    });
  }

  /** IndexNameExpressionResolver.filteringAliases + AliasFilter: none when the index is reached directly or through an unfiltered alias. */
  private aliasFilter(index: IndexState, names: Set<string>): JsonObject | undefined {
    if (names.has(index.name)) return undefined;
    const filters: JsonObject[] = [];
    for (const [alias, meta] of [...index.aliases].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (!names.has(alias)) continue;
      if (meta.filter === undefined) return undefined;
      filters.push(meta.filter);
    }
    if (filters.length === 0) return undefined;
    return filters.length === 1 ? filters[0] : { bool: { should: filters } };
  }

  /** IndexNameExpressionResolver.resolveSearchRouting: routing values per index, undefined for "every shard". */
  private searchRouting(names: string[], routing: string | undefined): Map<string, Set<string>> | undefined {
    const param = routing === undefined ? undefined : new Set(routing.split(',').map((r) => r.trim()).filter((r) => r !== ''));
    const routings = new Map<string, Set<string>>();
    const norouting = new Set<string>();
    const direct = (index: string): void => {
      if (norouting.has(index)) return;
      norouting.add(index);
      if (param !== undefined) routings.set(index, new Set(param));
      else routings.delete(index);
    };
    for (const name of names) {
      if (this.indices.has(name)) {
        direct(name);
        continue;
      }
      for (const m of this.members(name)) {
        if (norouting.has(m.index.name)) continue;
        const values = searchRoutingValues(m.alias);
        if (values.length === 0) {
          direct(m.index.name);
          continue;
        }
        const r = routings.get(m.index.name) ?? new Set<string>();
        for (const v of values) r.add(v);
        if (param !== undefined) for (const v of [...r]) if (!param.has(v)) r.delete(v);
        if (r.size === 0) routings.delete(m.index.name);
        else routings.set(m.index.name, r);
      }
    }
    return routings.size === 0 ? undefined : routings;
  }
}
