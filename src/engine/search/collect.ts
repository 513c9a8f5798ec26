import type { Json } from '../json.ts';
import { compileQuery } from './query/compile.ts';
import type { DocScorer, HighlightTerms } from './query/types.ts';
import type { Ranked } from './sort.ts';
import type { SearchableIndex } from './types.ts';

const EMPTY_INDEX: SearchableIndex = { name: '', mappings: { properties: {} }, docs: [] };

/* Tests force the per-document path to prove the set-at-a-time path gives identical results. */
let fullScanOnly = false;

/** Runs `fn` with every query evaluated document by document (no postings). For tests. */
export function withFullScan<T>(fn: () => T): T {
  const previous = fullScanOnly;
  fullScanOnly = true;
  try {
    return fn();
  } finally {
    fullScanOnly = previous;
  }
}

/**
 * Every document of the indexes matching `query` (absent = all), scored, in doc order. An index
 * searched through a filtered alias only yields documents that also match the alias filter, which
 * does not score and is not highlighted (DefaultSearchContext.buildFilteredQuery).
 */
export function collectMatches(indices: SearchableIndex[], query: Json | undefined, now: number, highlight?: HighlightTerms): Ranked[] {
  // Validate the query even when there is nothing to search.
  if (indices.length === 0) compileQuery(query, EMPTY_INDEX, now);
  const out: Ranked[] = [];
  indices.forEach((index, indexPos) => {
    const score = compileQuery(query, index, now, highlight);
    const filter = index.aliasFilter === undefined ? undefined : compileQuery(index.aliasFilter, index, now);
    if (score.all !== undefined && !fullScanOnly) collectFromList(out, score.all, index, indexPos, filter);
    else scanAll(out, score, index, indexPos, filter);
  });
  return out;
}

/** Postings-driven: only the documents the query's match list names. */
function collectFromList(out: Ranked[], all: NonNullable<DocScorer['all']>, index: SearchableIndex, indexPos: number, filter: DocScorer | undefined): void {
  const { ords, scores } = all();
  const docs = index.docs;
  for (let i = 0; i < ords.length; i++) {
    const ordinal = ords[i];
    if (filter !== undefined && filter(docs[ordinal]) === undefined) continue;
    out.push({ doc: docs[ordinal], index, indexPos, ordinal, score: scores[i] });
  }
}

function scanAll(out: Ranked[], score: DocScorer, index: SearchableIndex, indexPos: number, filter: DocScorer | undefined): void {
  const docs = index.docs;
  for (let ordinal = 0; ordinal < docs.length; ordinal++) {
    const doc = docs[ordinal];
    if (filter !== undefined && filter(doc) === undefined) continue;
    const s = score(doc);
    if (s !== undefined) out.push({ doc, index, indexPos, ordinal, score: s });
  }
}
