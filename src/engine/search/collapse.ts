import { EngineError } from '../errors.ts';
import { isObject, type Json, type JsonObject } from '../json.ts';
import { docValuesColumn, type DocValuesColumn } from './fields/doc-values-column.ts';
import { fieldInfo, type FieldInfo } from './fields/field-info.ts';
import type { SearchRequest } from './request.ts';
import { compareDocOrder, type Ranked, type SortPlan, type SortValue } from './sort.ts';
import type { SearchableIndex } from './types.ts';

/**
 * Field collapsing (`collapse` in a search body), as OpenSearch 2.x does it: the hits are the top
 * document of each distinct value of a single-valued keyword or numeric field, groups ordered by
 * their top document; documents without a value form one group under `null`. `inner_hits`
 * (collapse-expand.ts) run one more search per group and inner hit definition.
 */

/** The value a document collapses under: a keyword, a number, or null when it has none. */
export type CollapseKey = string | number | null;

/** One `inner_hits` definition: a search over the group's documents. */
export interface InnerHitSpec {
  name: string;
  req: SearchRequest;
}

export interface CollapseSpec {
  field: string;
  innerHits: InnerHitSpec[];
}

/** A collapsed hit: the group's top document and the value the group shares. */
export interface Group {
  head: Ranked;
  key: CollapseKey;
}

/** What in the request collapsing cannot be combined with (SearchService.parseSource). */
export interface CollapseContext {
  scroll: boolean;
  searchAfter?: Json;
  rescore?: Json;
}

const COLLAPSE_KEYS = new Set(['field', 'inner_hits', 'max_concurrent_group_searches']);

// InnerHitBuilder's keys; `name`, `ignore_unmapped` are not search options, the rest are the group search's.
const INNER_HIT_KEYS = new Set([
  'name', 'ignore_unmapped', 'from', 'size', 'explain', 'version', 'seq_no_primary_term', 'track_scores',
  'stored_fields', 'docvalue_fields', 'fields', '_source', 'script_fields', 'sort', 'highlight', 'collapse',
]);

/** InnerHitBuilder's default size. */
const DEFAULT_INNER_HITS_SIZE = 3;

// NumberFieldMapper's types: scaled_float has its own field type, which collapsing does not accept.
const COLLAPSE_NUMBER_TYPES = new Set(['long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'unsigned_long']);

const tokenOf = (v: Json): string =>
  Array.isArray(v) ? 'START_ARRAY' : isObject(v) ? 'START_OBJECT' : typeof v === 'string' ? 'VALUE_STRING' : typeof v === 'number' ? 'VALUE_NUMBER' : typeof v === 'boolean' ? 'VALUE_BOOLEAN' : 'VALUE_NULL';

const parseError = (reason: string, cause?: EngineError): EngineError => new EngineError(400, 'x_content_parse_exception', reason, {}, cause);

/** ObjectParser's wrapping of a failure inside one of the collapse object's fields. */
const fieldFailure = (field: string, cause: EngineError): EngineError => parseError(`[collapse] failed to parse field [${field}]`, cause);

const illegalArgument = (reason: string): EngineError => new EngineError(400, 'illegal_argument_exception', reason);

/**
 * Parses the `collapse` object. Inner hit definitions are parsed (and so validated) up front with
 * `parseInner`, the search request parser, whatever the search then finds.
 */
export function parseCollapse(v: JsonObject, parseInner: (body: JsonObject) => SearchRequest): CollapseSpec {
  for (const key of Object.keys(v)) if (!COLLAPSE_KEYS.has(key)) throw parseError(`[collapse] unknown field [${key}]`);
  checkMaxConcurrent(v.max_concurrent_group_searches);
  return { field: collapseField(v.field), innerHits: innerHitsOf(v.inner_hits, parseInner) };
}

function collapseField(v: Json | undefined): string {
  // OpenSearch fails with a NullPointerException on a missing field; refusing it like an empty one is kinder.
  if (v === undefined || v === null) throw illegalArgument('field name is null or empty');
  if (typeof v !== 'string') throw parseError(`[collapse] field doesn't support values of type: ${tokenOf(v)}`);
  if (v === '') throw fieldFailure('field', illegalArgument('field name is null or empty'));
  return v;
}

/** Only validated: the group searches run one after the other here, so there is nothing to bound. */
function checkMaxConcurrent(v: Json | undefined): void {
  if (v === undefined || v === null) return;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isInteger(n)) throw fieldFailure('max_concurrent_group_searches', new EngineError(400, 'number_format_exception', `For input string: "${String(v)}"`));
  if (n < 1) throw fieldFailure('max_concurrent_group_searches', illegalArgument('maxConcurrentGroupRequests` must be positive'));
}

function innerHitsOf(v: Json | undefined, parseInner: (body: JsonObject) => SearchRequest): InnerHitSpec[] {
  if (v === undefined || v === null) return [];
  if (isObject(v)) return [innerHit(v, parseInner)];
  if (!Array.isArray(v)) throw parseError(`[collapse] inner_hits doesn't support values of type: ${tokenOf(v)}`);
  return v.map((entry) => {
    if (!isObject(entry)) throw fieldFailure('inner_hits', new EngineError(400, 'parsing_exception', 'Invalid token in inner_hits array'));
    return innerHit(entry, parseInner);
  });
}

function innerHit(v: JsonObject, parseInner: (body: JsonObject) => SearchRequest): InnerHitSpec {
  for (const key of Object.keys(v)) {
    if (!INNER_HIT_KEYS.has(key)) throw fieldFailure('inner_hits', parseError(`[inner_hits] unknown field [${key}]`));
  }
  const { name, ignore_unmapped: _ignored, ...options } = v;
  // OpenSearch 2.x accepts a nameless definition and then fails writing the response (a null key);
  // Elasticsearch later made the name required up front, which is what is done here.
  if (typeof name !== 'string' || name === '') throw illegalArgument('[inner_hits] of [collapse] must have a [name]');
  return { name, req: parseInner({ ...options, size: options.size ?? DEFAULT_INNER_HITS_SIZE }) };
}

/** Whether some inner hit definition (at any depth) highlights: the query must then record its terms. */
export function innerHitsHighlight(spec: CollapseSpec | undefined): boolean {
  return spec !== undefined && spec.innerHits.some((h) => h.req.highlight !== undefined || innerHitsHighlight(h.req.collapse));
}

/** SearchException: no status of its own, so OpenSearch answers 500 for these refusals. */
const searchException = (reason: string): EngineError => new EngineError(500, 'search_exception', reason);

/** The refusals SearchService.parseSource makes before looking at the field (OpenSearch 2.x). */
function checkCombination(ctx: CollapseContext): void {
  if (ctx.scroll) throw searchException('cannot use `collapse` in a scroll context');
  // OpenSearch 3.3 accepts search_after when sorting by the collapse field alone; 2.x refuses it outright.
  if (ctx.searchAfter !== undefined && ctx.searchAfter !== null && !(Array.isArray(ctx.searchAfter) && ctx.searchAfter.length === 0)) {
    throw searchException('cannot use `collapse` in conjunction with `search_after`');
  }
  const rescore = ctx.rescore;
  if (rescore !== undefined && rescore !== null && !(Array.isArray(rescore) && rescore.length === 0)) {
    throw searchException('cannot use `collapse` in conjunction with `rescore`');
  }
}

/** CollapseBuilder.build: a keyword or number field with doc values (and indexed, to expand groups). */
function checkField(spec: CollapseSpec, f: FieldInfo): void {
  const accepted = f.meta === undefined && (f.type === 'keyword' || COLLAPSE_NUMBER_TYPES.has(f.type));
  if (!accepted) throw illegalArgument(`unknown type for collapse field \`${spec.field}\`, only keywords and numbers are accepted`);
  if (f.mapping.doc_values === false) throw illegalArgument(`cannot collapse on field \`${spec.field}\` without \`doc_values\``);
  if (f.mapping.index === false && spec.innerHits.length > 0) {
    throw illegalArgument(`cannot expand \`inner_hits\` for collapse field \`${spec.field}\`, only indexed field can retrieve \`inner_hits\``);
  }
}

/** Collapsing bound to the searched indexes: reads each document's collapse value and picks group heads. */
export class Collapser {
  private readonly columns = new Map<SearchableIndex, DocValuesColumn | undefined>();

  constructor(readonly spec: CollapseSpec, indices: SearchableIndex[], ctx: CollapseContext) {
    checkCombination(ctx);
    let mapped = false;
    for (const index of indices) {
      const f = fieldInfo(index, spec.field);
      if (f !== undefined) {
        checkField(spec, f);
        mapped = true;
      }
      // An index without the field (OpenSearch fails its shards) collapses its documents under null,
      // as sorting treats such an index's documents as missing the value.
      this.columns.set(index, f === undefined ? undefined : docValuesColumn(index, f));
    }
    if (!mapped && indices.length > 0) throw illegalArgument(`no mapping found for \`${spec.field}\` in order to collapse on`);
  }

  /** The document's collapse value; a document with several values cannot be collapsed. */
  keyOf(r: Ranked): CollapseKey {
    const values = this.columns.get(r.index)?.[r.ordinal];
    if (values === undefined || values.length === 0) return null;
    // Keyword doc values are a sorted set (repeated values count once), numeric ones keep repeats.
    const distinct = typeof values[0] === 'string' ? new Set(values).size : values.length;
    if (distinct > 1) {
      throw new EngineError(500, 'illegal_state_exception', `failed to collapse ${r.ordinal}, the collapse field must be single valued`);
    }
    return values[0];
  }

  /** Every distinct value of the document ([null] without one): the groups whose searches find it. */
  valuesOf(r: Ranked): CollapseKey[] {
    const values = this.columns.get(r.index)?.[r.ordinal];
    return values === undefined || values.length === 0 ? [null] : [...new Set(values)];
  }

  /** The hit's `fields` entry for the collapse value (null for the group of documents without one). */
  fieldsOf(group: Group): JsonObject {
    return { [this.spec.field]: [group.key] };
  }

  /**
   * The first `k` groups: each group's head is its best hit in the search's order (score, or the
   * sort plan, ties in doc order), and groups are ordered by their heads. Sort values are set on
   * the heads.
   */
  top(hits: Ranked[], plan: SortPlan | undefined, k: number): Group[] {
    if (k <= 0 || hits.length === 0) return [];
    const { compare, columns } = comparator(hits, plan);
    const best = new Map<CollapseKey, number>();
    for (let i = 0; i < hits.length; i++) {
      const key = this.keyOf(hits[i]);
      const current = best.get(key);
      if (current === undefined || compare(i, current) < 0) best.set(key, i);
    }
    const heads = [...best.entries()].sort((a, b) => compare(a[1], b[1])).slice(0, k);
    return heads.map(([key, i]) => {
      if (columns !== undefined) hits[i].sortValues = columns.map((c) => c[i]);
      return { head: hits[i], key };
    });
  }
}

/** Compares hits by position: score descending or the sort plan, then doc order (as orderHits does). */
function comparator(hits: Ranked[], plan: SortPlan | undefined): { compare: (i: number, j: number) => number; columns?: SortValue[][] } {
  if (plan === undefined) return { compare: (i, j) => hits[j].score - hits[i].score || compareDocOrder(hits[i], hits[j]) };
  const columns = plan.valueColumns(hits);
  return { compare: (i, j) => plan.compareAt(columns, i, j) || compareDocOrder(hits[i], hits[j]), columns };
}
