import type { SearchableDoc, SearchableIndex } from '../types.ts';
import type { FieldInfo } from './field-info.ts';
import { alignment, carryOver, previousSnapshot } from './snapshot-lineage.ts';
import { docValuesReader, indexAnalyzerName } from './values.ts';

/** A field's doc values (sort/aggregation/range values) per ordinal of one snapshot. */
export type DocValuesColumn = readonly (readonly (string | number)[])[];

const snapshots = new WeakMap<readonly SearchableDoc[], Map<string, DocValuesColumn>>();

/** What determines a field's doc values (two FieldInfos with one key read identically). */
const dataKey = (f: FieldInfo): string =>
  `docvalues|${f.kind}|${f.meta ?? ''}|${f.sourcePath}|${f.type}|${f.integer}|${String(f.mapping.format)}|${String(f.mapping.scaling_factor)}|` +
  `${String(f.mapping.ignore_above)}|${indexAnalyzerName(f) ?? ''}`;

/**
 * The doc values of `f` for every document of the index's snapshot: the same arrays the per-
 * document reader gives, read once per snapshot (carried over from the previous one where
 * documents are unchanged) so sorting, aggregating and range filters index by ordinal.
 */
export function docValuesColumn(index: SearchableIndex, f: FieldInfo): DocValuesColumn {
  let perSnapshot = snapshots.get(index.docs);
  if (perSnapshot === undefined) snapshots.set(index.docs, (perSnapshot = new Map()));
  const key = dataKey(f);
  let column = perSnapshot.get(key);
  if (column === undefined) {
    column = buildColumn(index, f, key);
    perSnapshot.set(key, column);
  }
  return column;
}

function buildColumn(index: SearchableIndex, f: FieldInfo, key: string): DocValuesColumn {
  const read = docValuesReader(f);
  const prevDocs = previousSnapshot(index, key);
  const prev = prevDocs === undefined ? undefined : snapshots.get(prevDocs)?.get(key);
  if (prevDocs === undefined || prev === undefined) return index.docs.map(read);
  return carryOver(prev, alignment(prevDocs, index.docs), index.docs, read);
}

/** A numeric column's single values unboxed, for tight scans: `first[o]` is valid when `arity[o] === 1`. */
export interface UnboxedColumn {
  first: Float64Array;
  arity: Uint32Array;
}

const unboxed = new WeakMap<DocValuesColumn, UnboxedColumn>();

/** The column's values as typed arrays (cached per column); only meaningful for numeric kinds. */
export function unboxedColumn(column: DocValuesColumn): UnboxedColumn {
  let u = unboxed.get(column);
  if (u === undefined) {
    const first = new Float64Array(column.length);
    const arity = new Uint32Array(column.length);
    for (let o = 0; o < column.length; o++) {
      const values = column[o];
      arity[o] = values.length;
      if (values.length === 1) first[o] = values[0] as number;
    }
    unboxed.set(column, (u = { first, arity }));
  }
  return u;
}
