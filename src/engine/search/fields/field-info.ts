import { EngineError } from '../../errors.ts';
import { leafFields, resolveField } from '../../mapping/fields.ts';
import { isNumericType, type FieldMapping } from '../../mapping/types.ts';
import type { SearchableIndex } from '../types.ts';
import { globToRegExp } from './glob.ts';

/** How the search layer reads a field's values. */
export type FieldKind = 'text' | 'keyword' | 'number' | 'date' | 'boolean' | 'object' | 'other';

/** A field of one index, resolved from the mapping (or a metadata field such as `_id`). */
export interface FieldInfo {
  path: string;
  sourcePath: string;
  kind: FieldKind;
  /** The mapping type (`long`, `keyword`, ...); `object` for containers. */
  type: string;
  mapping: FieldMapping;
  /** Integer numeric types truncate decimals, as OpenSearch's coercion does. */
  integer: boolean;
  meta?: MetaField;
}

/** The metadata fields that can be searched, sorted and aggregated on like mapped fields. */
export type MetaField = '_id' | '_index' | '_seq_no';

const INTEGER_TYPES = new Set(['long', 'integer', 'short', 'byte', 'unsigned_long']);

function kindOf(type: string): FieldKind {
  if (type === 'text' || type === 'match_only_text') return 'text';
  if (type === 'keyword' || type === 'constant_keyword' || type === 'wildcard' || type === 'ip') return 'keyword';
  if (isNumericType(type)) return 'number';
  if (type === 'date' || type === 'date_nanos') return 'date';
  if (type === 'boolean') return 'boolean';
  if (type === 'object' || type === 'nested') return 'object';
  return 'other';
}

function toInfo(path: string, sourcePath: string, mapping: FieldMapping): FieldInfo {
  const type = mapping.type ?? (mapping.properties !== undefined ? 'object' : 'object');
  return { path, sourcePath, kind: kindOf(type), type, mapping, integer: INTEGER_TYPES.has(type) };
}

const META_FIELDS: ReadonlyMap<string, FieldInfo> = new Map([
  ['_id', { path: '_id', sourcePath: '_id', kind: 'keyword', type: 'keyword', mapping: { type: 'keyword' }, integer: false, meta: '_id' }],
  ['_index', { path: '_index', sourcePath: '_index', kind: 'keyword', type: 'keyword', mapping: { type: 'keyword' }, integer: false, meta: '_index' }],
  // OpenSearch's SeqNoFieldMapper: a long point plus doc values, so term(s), range, exists, sort and aggregations work.
  ['_seq_no', { path: '_seq_no', sourcePath: '_seq_no', kind: 'number', type: '_seq_no', mapping: { type: 'long' }, integer: true, meta: '_seq_no' }],
] satisfies [string, FieldInfo][]);

/** The field at a dotted path in an index's mapping, or undefined when it is not mapped. */
export function fieldInfo(index: SearchableIndex, path: string): FieldInfo | undefined {
  const meta = META_FIELDS.get(path);
  if (meta !== undefined) return meta;
  const resolved = resolveField(index.mappings, path);
  return resolved === undefined ? undefined : toInfo(resolved.path, resolved.sourcePath, resolved.mapping);
}

/** Leaf fields matching a field name that may hold `*` wildcards (`title*`, `*.raw`, `*`). */
export function expandFieldPattern(index: SearchableIndex, pattern: string): FieldInfo[] {
  if (!pattern.includes('*')) {
    const one = fieldInfo(index, pattern);
    return one === undefined ? [] : [one];
  }
  const re = globToRegExp(pattern);
  return leafFields(index.mappings)
    .filter((f) => re.test(f.path))
    .map((f) => toInfo(f.path, f.sourcePath, f.mapping));
}

/** Whether term-level and full-text queries can search this field. */
export const isSearchable = (f: FieldInfo): boolean => f.kind !== 'object' && f.kind !== 'other' && f.mapping.index !== false;

/** Sorting and aggregating need doc values; text fields only have them with fielddata=true. */
export function assertFielddata(f: FieldInfo): void {
  if (f.kind === 'text' && f.mapping.fielddata !== true) {
    throw new EngineError(
      400,
      'illegal_argument_exception',
      'Text fields are not optimised for operations that require per-document field data like aggregations and sorting, ' +
        'so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true ' +
        `on [${f.path}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`,
    );
  }
}
