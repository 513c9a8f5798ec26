import type { SearchableDoc, SearchableIndex } from '../types.ts';
import type { FieldInfo } from './field-info.ts';
import { alignment, carryOver, previousSnapshot, type Alignment } from './snapshot-lineage.ts';
import { indexAnalyzerName, keywordReader, textReader } from './values.ts';

/** The documents of a snapshot holding a term: ascending ordinals and the term's frequency in each. */
export interface Posting {
  ords: Int32Array;
  freqs: Int32Array;
}

/**
 * A text or keyword field of one snapshot, uninverted lazily. Building a full inverted index on
 * every refresh (once a second under writes) would cost more than it saves, so only the
 * per-ordinal column is built up front (carried over from the previous snapshot where documents
 * are unchanged); each term's posting is gathered on first use, or remapped from the previous
 * snapshot's posting of that term plus the new documents.
 */
export interface FieldIndex {
  /** Documents with at least one term in the field. */
  readonly docCount: number;
  /** Sum of the field lengths (terms, or keyword values) over those documents. */
  readonly totalLength: number;
  /** The length BM25 normalizes by at an ordinal: term count for text, always 1 for keywords (no norms). */
  lengthAt(ordinal: number): number;
  posting(term: string): Posting;
}

/** What a field index is built from: per ordinal, the term frequencies and the number of terms. */
interface FieldColumn {
  /** Per ordinal: the field's terms with their frequencies, or undefined. */
  terms: (ReadonlyMap<string, number> | readonly string[] | undefined)[];
  /** Per ordinal: term count (text) or value count (keyword). */
  counts: Float64Array;
}

/* Bounds memory when a static snapshot sees many distinct query terms. */
const MAX_CACHED_TERMS = 8192;
/* How many earlier snapshots a field index may remap postings from (each keeps its column alive). */
const MAX_LINEAGE = 4;

/** An earlier snapshot's field index and how its ordinals map to this one's. */
interface Predecessor {
  index: SnapshotFieldIndex;
  align: Alignment;
}

class SnapshotFieldIndex implements FieldIndex {
  readonly docCount: number;
  readonly totalLength: number;
  private readonly postings = new Map<string, Posting>();

  constructor(
    readonly column: FieldColumn,
    private readonly keyword: boolean,
    private previous?: Predecessor,
  ) {
    let docCount = 0;
    let totalLength = 0;
    for (const n of column.counts) {
      if (n > 0) docCount++;
      totalLength += n;
    }
    this.docCount = docCount;
    this.totalLength = totalLength;
    this.trimLineage();
  }

  lengthAt(ordinal: number): number {
    return this.keyword ? 1 : this.column.counts[ordinal];
  }

  posting(term: string): Posting {
    return this.known(term) ?? this.store(term, this.gather(term));
  }

  /** The posting when this snapshot or a recent predecessor has it already: no scan of the column. */
  private known(term: string): Posting | undefined {
    const own = this.postings.get(term);
    if (own !== undefined || this.previous === undefined) return own;
    const before = this.previous.index.known(term);
    return before === undefined ? undefined : this.store(term, this.remap(before, this.previous.align, term));
  }

  private store(term: string, p: Posting): Posting {
    if (this.postings.size >= MAX_CACHED_TERMS) this.postings.clear();
    this.postings.set(term, p);
    return p;
  }

  /** Forgets predecessors beyond MAX_LINEAGE so old snapshots can be collected. */
  private trimLineage(): void {
    let node = this.previous;
    for (let depth = 1; node !== undefined && depth < MAX_LINEAGE; depth++) node = node.index.previous;
    if (node !== undefined) node.index.previous = undefined;
  }

  private freqAt(ordinal: number, term: string): number {
    const terms = this.column.terms[ordinal];
    if (terms === undefined) return 0;
    if (!Array.isArray(terms)) return (terms as ReadonlyMap<string, number>).get(term) ?? 0;
    let n = 0;
    for (const v of terms as readonly string[]) if (v === term) n++;
    return n;
  }

  private gather(term: string): Posting {
    const ords: number[] = [];
    const freqs: number[] = [];
    for (let o = 0; o < this.column.terms.length; o++) {
      const freq = this.freqAt(o, term);
      if (freq > 0) {
        ords.push(o);
        freqs.push(freq);
      }
    }
    return { ords: Int32Array.from(ords), freqs: Int32Array.from(freqs) };
  }

  /** The previous posting's surviving documents merged (in ordinal order) with matching fresh ones. */
  private remap(before: Posting, align: Alignment, term: string): Posting {
    const ords: number[] = [];
    const freqs: number[] = [];
    const { fresh, prevToNext } = align;
    let f = 0;
    const pushFreshUpTo = (limit: number): void => {
      for (; f < fresh.length && fresh[f] < limit; f++) {
        const freq = this.freqAt(fresh[f], term);
        if (freq > 0) {
          ords.push(fresh[f]);
          freqs.push(freq);
        }
      }
    };
    for (let i = 0; i < before.ords.length; i++) {
      const o = prevToNext[before.ords[i]];
      if (o < 0) continue;
      pushFreshUpTo(o);
      ords.push(o);
      freqs.push(before.freqs[i]);
    }
    pushFreshUpTo(Infinity);
    return { ords: Int32Array.from(ords), freqs: Int32Array.from(freqs) };
  }
}

const snapshots = new WeakMap<readonly SearchableDoc[], Map<string, SnapshotFieldIndex>>();

/** What determines a field's indexed terms (two FieldInfos with one key index identically). */
const dataKey = (f: FieldInfo): string =>
  `postings|${f.kind}|${f.meta ?? ''}|${f.sourcePath}|${indexAnalyzerName(f) ?? ''}|${String(f.mapping.ignore_above)}`;

/** The field index of a text/keyword field over the index's current snapshot (cached per snapshot). */
export function fieldIndex(index: SearchableIndex, f: FieldInfo): FieldIndex {
  let perSnapshot = snapshots.get(index.docs);
  if (perSnapshot === undefined) snapshots.set(index.docs, (perSnapshot = new Map()));
  const key = dataKey(f);
  let built = perSnapshot.get(key);
  if (built === undefined) {
    built = buildFieldIndex(index, f, key);
    perSnapshot.set(key, built);
  }
  return built;
}

function buildFieldIndex(index: SearchableIndex, f: FieldInfo, key: string): SnapshotFieldIndex {
  const docs = index.docs;
  const read = columnReader(f);
  const prevDocs = previousSnapshot(index, key);
  const prev = prevDocs === undefined ? undefined : snapshots.get(prevDocs)?.get(key);
  if (prevDocs === undefined || prev === undefined) return new SnapshotFieldIndex(readColumn(docs, read), f.kind !== 'text');
  const align = alignment(prevDocs, docs);
  const terms = carryOver(prev.column.terms, align, docs, (doc) => read(doc).terms);
  const counts = new Float64Array(docs.length);
  for (let o = 0; o < docs.length; o++) {
    const p = align.nextToPrev[o];
    counts[o] = p >= 0 ? prev.column.counts[p] : read(docs[o]).count;
  }
  return new SnapshotFieldIndex({ terms, counts }, f.kind !== 'text', { index: prev, align });
}

type ColumnReader = (doc: SearchableDoc) => { terms: FieldColumn['terms'][number]; count: number };

function columnReader(f: FieldInfo): ColumnReader {
  if (f.kind === 'text') {
    const read = textReader(f);
    return (doc) => {
      const a = read(doc);
      return { terms: a?.tf, count: a?.length ?? 0 };
    };
  }
  const read = keywordReader(f);
  return (doc) => {
    const values = read(doc);
    return { terms: values, count: values.length };
  };
}

function readColumn(docs: readonly SearchableDoc[], read: ColumnReader): FieldColumn {
  const terms = new Array<FieldColumn['terms'][number]>(docs.length);
  const counts = new Float64Array(docs.length);
  for (let o = 0; o < docs.length; o++) {
    const r = read(docs[o]);
    terms[o] = r.terms;
    counts[o] = r.count;
  }
  return { terms, counts };
}
