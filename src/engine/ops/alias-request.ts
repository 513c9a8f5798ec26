import { EngineError } from '../errors.ts';
import { isObject, type Json, type JsonObject } from '../json.ts';
import { aliasFromAction, type AliasMetadata } from '../store/aliases.ts';

export type AliasActionType = 'add' | 'remove' | 'remove_index';

/** IndicesAliasesRequest.AliasActions: one add / remove / remove_index entry. */
export interface AliasActionRequest {
  type: AliasActionType;
  indices: string[];
  aliases: string[];
  /** The alias's properties (add only). */
  props: AliasMetadata;
  /** `must_exist` (remove only). */
  mustExist?: boolean;
}

const illegal = (reason: string): EngineError => new EngineError(400, 'illegal_argument_exception', reason);

/** ObjectParser's wrapping of a failure inside a field: `[parser] failed to parse field [field]`, the cause kept. */
function wrapField(parser: string, field: string, e: unknown): EngineError {
  if (!(e instanceof EngineError)) throw e;
  return new EngineError(400, 'x_content_parse_exception', `[${parser}] failed to parse field [${field}]`, {}, e);
}

const unknownField = (parser: string, field: string): EngineError => new EngineError(400, 'x_content_parse_exception', `[${parser}] unknown field [${field}]`);

/** The REMOVE_INDEX style enum name used in "is unsupported for [...]" messages. */
const enumName = (t: AliasActionType): string => t.toUpperCase();

const COMMON = ['index', 'indices', 'alias', 'aliases'];
const ADD_ONLY = ['filter', 'routing', 'index_routing', 'indexRouting', 'index-routing', 'search_routing', 'searchRouting', 'search-routing', 'is_write_index', 'is_hidden'];
const FIELDS: Record<AliasActionType, Set<string>> = {
  add: new Set([...COMMON, ...ADD_ONLY]),
  remove: new Set([...COMMON, 'must_exist']),
  remove_index: new Set(COMMON),
};

function stringArray(v: Json, field: string, parser: string): string[] {
  const list = Array.isArray(v) ? v : [v];
  if (!list.every((s) => typeof s === 'string')) throw new EngineError(400, 'x_content_parse_exception', `[${parser}] ${field} doesn't support values of type: ${Array.isArray(v) ? 'START_ARRAY' : 'VALUE_NUMBER'}`);
  return list as string[];
}

/** AliasActions.indices(...) / index(...) / aliases(...) / alias(...) setters and their checks. */
function setNames(out: AliasActionRequest, key: string, v: Json, parser: string): void {
  const single = key === 'index' || key === 'alias';
  const plural = key === 'index' || key === 'indices' ? 'indices' : 'aliases';
  if (single && typeof v !== 'string') throw new EngineError(400, 'x_content_parse_exception', `[${parser}] ${key} doesn't support values of type: ${Array.isArray(v) ? 'START_ARRAY' : 'VALUE_NUMBER'}`);
  const values = single ? [v as string] : stringArray(v, key, parser);
  const alreadySet = plural === 'indices' ? out.indices.length > 0 : out.aliases.length > 0;
  if (alreadySet) throw illegal(plural === 'indices' ? 'Only one of [index] and [indices] is supported' : 'Only one of [alias] and [aliases] is supported');
  if (plural === 'aliases' && out.type === 'remove_index') throw illegal(`[${key}] is unsupported for [${enumName(out.type)}]`);
  if (single && values[0] === '') throw illegal(`[${key}] can't be empty string`);
  if (!single && values.length === 0) throw illegal(`[${key}] can't be empty`);
  if (!single && values.some((s) => s === '')) throw illegal(`[${key}] can't contain empty string`);
  if (plural === 'indices') out.indices = values;
  else out.aliases = values;
}

/** ADD_PARSER / REMOVE_PARSER / REMOVE_INDEX_PARSER. */
function parseAction(type: AliasActionType, body: Json): AliasActionRequest {
  if (!isObject(body)) throw new EngineError(400, 'x_content_parse_exception', `[${type}] Expected START_OBJECT but was: VALUE_STRING`);
  const out: AliasActionRequest = { type, indices: [], aliases: [], props: {} };
  for (const [key, v] of Object.entries(body)) {
    if (!FIELDS[type].has(key)) throw unknownField(type, key);
    try {
      if (COMMON.includes(key)) setNames(out, key, v, type);
      else if (key === 'must_exist') {
        if (typeof v !== 'boolean') throw illegal(`Failed to parse value [${String(v)}] as only [true] or [false] are allowed.`);
        out.mustExist = v;
      }
    } catch (e) {
      throw wrapField(type, key, e);
    }
  }
  if (type === 'add') out.props = aliasFromAction(body);
  return out;
}

/** AliasActions.PARSER ("alias_action"): exactly one of add, remove, remove_index. */
function parseEntry(entry: Json): AliasActionRequest {
  if (!isObject(entry)) throw new EngineError(400, 'x_content_parse_exception', '[alias_action] Expected START_OBJECT but was: VALUE_STRING');
  const found: AliasActionRequest[] = [];
  for (const [key, v] of Object.entries(entry)) {
    if (key !== 'add' && key !== 'remove' && key !== 'remove_index') throw unknownField('alias_action', key);
    try {
      found.push(parseAction(key, v));
    } catch (e) {
      throw wrapField('alias_action', key, e);
    }
  }
  if (found.length > 1) {
    throw new EngineError(400, 'x_content_parse_exception', '[alias_action] failed to build [alias_action] after last required field arrived', {}, illegal('Too many operations declared on operation entry'));
  }
  if (found.length === 0) {
    // The builder returns null and IndicesAliasesRequest.addAliasAction(null) fails on it.
    throw new EngineError(500, 'null_pointer_exception', 'Cannot invoke "org.opensearch.action.admin.indices.alias.IndicesAliasesRequest$AliasActions.validate()" because "aliasAction" is null');
  }
  return found[0];
}

/** AliasActions.validate, run as each action is added to the request. */
export function validateAction(a: AliasActionRequest): void {
  if (a.indices.length === 0) throw illegal('One of [index] or [indices] is required');
  if (a.type !== 'remove_index' && a.aliases.length === 0) throw illegal('One of [alias] or [aliases] is required');
}

/** `POST /_aliases`: IndicesAliasesRequest.PARSER, then RestIndicesAliasesAction's "No action specified". */
export function parseAliasesBody(body: Json | undefined): AliasActionRequest[] {
  if (body === undefined) throw new EngineError(400, 'parse_exception', 'request body is required');
  if (!isObject(body)) throw new EngineError(400, 'x_content_parse_exception', '[aliases] Expected START_OBJECT but was: VALUE_STRING');
  const actions: AliasActionRequest[] = [];
  for (const [key, v] of Object.entries(body)) {
    if (key !== 'actions') throw unknownField('aliases', key);
    try {
      for (const entry of Array.isArray(v) ? v : [v]) {
        const action = parseEntry(entry);
        validateAction(action);
        actions.push(action);
      }
    } catch (e) {
      throw wrapField('aliases', key, e);
    }
  }
  if (actions.length === 0) throw illegal('No action specified');
  return actions;
}

/** Splits a comma-separated path parameter (Strings.splitStringByCommaToArray). */
export const splitNames = (v: string | undefined): string[] => (v === undefined ? [] : v.split(',').filter((s) => s !== ''));

/**
 * RestIndexPutAliasAction: path `{index}`/`{name}`, overridable from the body's `index`/`alias`;
 * the body's value fields and `filter` object are read leniently, like its hand-written parser.
 */
export function parsePutAlias(indexParam: string | undefined, nameParam: string | undefined, body: Json | undefined): AliasActionRequest {
  let indices = splitNames(indexParam);
  let alias = nameParam;
  const props: JsonObject = {};
  if (body !== undefined) {
    if (!isObject(body)) throw illegal('No index alias is specified');
    for (const [key, v] of Object.entries(body)) {
      if (key === 'filter') {
        if (isObject(v)) props.filter = v;
      } else if (v === null || typeof v !== 'object') {
        if (key === 'index') indices = splitNames(String(v));
        else if (key === 'alias') alias = String(v);
        else if (key === 'is_write_index') props.is_write_index = v === true || v === 'true';
        else props[key] = v;
      }
    }
  }
  const action: AliasActionRequest = { type: 'add', indices: [], aliases: [], props: aliasFromAction(props) };
  if (indices.length === 0) throw illegal("[indices] can't be empty");
  if (indices.some((s) => s === '')) throw illegal("[indices] can't contain empty string");
  action.indices = indices;
  if (alias === undefined || alias === '') throw illegal("[alias] can't be empty string");
  action.aliases = [alias];
  return action;
}

/** RestIndexDeleteAliasesAction: a remove action for `{index}` and `{name}` (both comma-separated). */
export function parseDeleteAlias(indexParam: string, nameParam: string): AliasActionRequest {
  const indices = splitNames(indexParam);
  const aliases = splitNames(nameParam);
  if (indices.length === 0) throw illegal("[indices] can't be empty");
  if (aliases.length === 0) throw illegal("[aliases] can't be empty");
  return { type: 'remove', indices, aliases, props: {} };
}
