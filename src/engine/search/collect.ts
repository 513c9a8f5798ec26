import type { Json } from '../json.ts';
import { compileQuery } from './query/compile.ts';
import type { HighlightTerms } from './query/types.ts';
import type { Ranked } from './sort.ts';
import type { SearchableIndex } from './types.ts';

const EMPTY_INDEX: SearchableIndex = { name: '', mappings: { properties: {} }, docs: [] };

/** Every document of the indexes matching `query` (absent = all), scored, in doc order. */
export function collectMatches(indices: SearchableIndex[], query: Json | undefined, now: number, highlight?: HighlightTerms): Ranked[] {
  // Validate the query even when there is nothing to search.
  if (indices.length === 0) compileQuery(query, EMPTY_INDEX, now);
  const out: Ranked[] = [];
  indices.forEach((index, indexPos) => {
    const score = compileQuery(query, index, now, highlight);
    const docs = index.docs;
    for (let ordinal = 0; ordinal < docs.length; ordinal++) {
      const doc = docs[ordinal];
      const s = score(doc);
      if (s !== undefined) out.push({ doc, index, indexPos, ordinal, score: s });
    }
  });
  return out;
}
