import type { FieldInfo } from '../fields/field-info.ts';
import { fieldIndex, type FieldIndex } from '../fields/postings.ts';
import { keywordReader, textReader } from '../fields/values.ts';
import type { MatchList } from '../query/match-list.ts';
import type { SearchableDoc, SearchableIndex } from '../types.ts';

export const K1 = 1.2;
export const B = 0.75;

/** Collection statistics of one field in one index, as BM25 needs them. */
export interface FieldStats {
  /** Documents with at least one term in the field. */
  docCount: number;
  avgLength: number;
  /** Document frequency of a term (from the snapshot's postings, cached). */
  docFreq(term: string): number;
  /** How many terms the field has in a document (0 when absent); 1 for keyword fields (no norms). */
  lengthOf(doc: SearchableDoc): number;
  /** Frequency of a term in a document's field. */
  termFreq(doc: SearchableDoc, term: string): number;
  /** The snapshot's postings of the field, for set-at-a-time scoring. */
  postings: FieldIndex;
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
    stats = f.kind === 'text' ? textStats(index, f) : keywordStats(index, f);
    perIndex.set(key, stats);
  }
  return stats;
}

function statsOf(postings: FieldIndex, per: Pick<FieldStats, 'lengthOf' | 'termFreq'>): FieldStats {
  const { docCount, totalLength } = postings;
  return {
    docCount,
    avgLength: docCount === 0 ? 1 : totalLength / docCount,
    docFreq: (term) => postings.posting(term).ords.length,
    postings,
    ...per,
  };
}

function textStats(index: SearchableIndex, f: FieldInfo): FieldStats {
  const analyzedField = textReader(f);
  return statsOf(fieldIndex(index, f), {
    lengthOf: (doc) => analyzedField(doc)?.length ?? 0,
    termFreq: (doc, term) => analyzedField(doc)?.tf.get(term) ?? 0,
  });
}

function keywordStats(index: SearchableIndex, f: FieldInfo): FieldStats {
  const keywordValues = keywordReader(f);
  return statsOf(fieldIndex(index, f), {
    lengthOf: () => 1,
    termFreq: (doc, term) => {
      let n = 0;
      for (const v of keywordValues(doc)) if (v === term) n++;
      return n;
    },
  });
}

/** Lucene's BM25 idf: ln(1 + (N - n + 0.5) / (n + 0.5)). */
export const idf = (docCount: number, docFreq: number): number => Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5));

/** Lucene's BM25 term score without the (k1 + 1) factor, as in Lucene 8+. */
export function bm25(weight: number, freq: number, length: number, avgLength: number): number {
  if (freq <= 0) return 0;
  return weight * (freq / (freq + K1 * (1 - B + (B * length) / avgLength)));
}

/** BM25 scores of every document holding `term`: the same arithmetic as scoring each document. */
export function scoredPosting(stats: FieldStats, term: string, weight: number): MatchList {
  const { ords, freqs } = stats.postings.posting(term);
  const scores = new Float64Array(ords.length);
  for (let i = 0; i < ords.length; i++) scores[i] = bm25(weight, freqs[i], stats.postings.lengthAt(ords[i]), stats.avgLength);
  return { ords, scores };
}
