import type { FieldInfo } from '../fields/field-info.ts';
import { keywordReader, textReader } from '../fields/values.ts';
import type { SearchableDoc, SearchableIndex } from '../types.ts';

export const K1 = 1.2;
export const B = 0.75;

/** Collection statistics of one field in one index, as BM25 needs them. */
export interface FieldStats {
  /** Documents with at least one term in the field. */
  docCount: number;
  avgLength: number;
  /** Document frequency of a term (computed lazily, cached). */
  docFreq(term: string): number;
  /** How many terms the field has in a document (0 when absent); 1 for keyword fields (no norms). */
  lengthOf(doc: SearchableDoc): number;
  /** Frequency of a term in a document's field. */
  termFreq(doc: SearchableDoc, term: string): number;
}

/* Per-index statistics keyed by the (refresh-replaced) docs array. */
const statsCache = new WeakMap<readonly SearchableDoc[], Map<string, FieldStats>>();

export function fieldStats(index: SearchableIndex, f: FieldInfo): FieldStats {
  let perIndex = statsCache.get(index.docs);
  if (perIndex === undefined) {
    perIndex = new Map();
    statsCache.set(index.docs, perIndex);
  }
  const key = `${f.kind}:${f.path}:${String(f.mapping.analyzer)}`;
  let stats = perIndex.get(key);
  if (stats === undefined) {
    stats = f.kind === 'text' ? textStats(index.docs, f) : keywordStats(index.docs, f);
    perIndex.set(key, stats);
  }
  return stats;
}

function textStats(docs: readonly SearchableDoc[], f: FieldInfo): FieldStats {
  const analyzedField = textReader(f);
  let docCount = 0;
  let total = 0;
  for (const d of docs) {
    const a = analyzedField(d);
    if (a === undefined || a.length === 0) continue;
    docCount++;
    total += a.length;
  }
  const termFreq = (doc: SearchableDoc, term: string): number => analyzedField(doc)?.tf.get(term) ?? 0;
  return {
    docCount,
    avgLength: docCount === 0 ? 1 : total / docCount,
    docFreq: lazyDocFreq(docs, termFreq),
    lengthOf: (doc) => analyzedField(doc)?.length ?? 0,
    termFreq,
  };
}

function keywordStats(docs: readonly SearchableDoc[], f: FieldInfo): FieldStats {
  const keywordValues = keywordReader(f);
  let docCount = 0;
  let total = 0;
  for (const d of docs) {
    const n = keywordValues(d).length;
    if (n > 0) docCount++;
    total += n;
  }
  const termFreq = (doc: SearchableDoc, term: string): number => {
    let n = 0;
    for (const v of keywordValues(doc)) if (v === term) n++;
    return n;
  };
  return {
    docCount,
    avgLength: docCount === 0 ? 1 : total / docCount,
    docFreq: lazyDocFreq(docs, termFreq),
    lengthOf: () => 1,
    termFreq,
  };
}

function lazyDocFreq(docs: readonly SearchableDoc[], termFreq: (d: SearchableDoc, t: string) => number): (term: string) => number {
  const df = new Map<string, number>();
  return (term) => {
    let n = df.get(term);
    if (n === undefined) {
      n = 0;
      for (const d of docs) if (termFreq(d, term) > 0) n++;
      df.set(term, n);
    }
    return n;
  };
}

/** Lucene's BM25 idf: ln(1 + (N - n + 0.5) / (n + 0.5)). */
export const idf = (docCount: number, docFreq: number): number => Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5));

/** Lucene's BM25 term score without the (k1 + 1) factor, as in Lucene 8+. */
export function bm25(weight: number, freq: number, length: number, avgLength: number): number {
  if (freq <= 0) return 0;
  return weight * (freq / (freq + K1 * (1 - B + (B * length) / avgLength)));
}
