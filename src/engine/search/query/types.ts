import type { Json } from '../../json.ts';
import type { SearchableDoc, SearchableIndex } from '../types.ts';
import type { MatchList } from './match-list.ts';

/** A compiled query: the document's score when it matches, undefined when it does not. */
export interface DocScorer {
  (doc: SearchableDoc): number | undefined;
  /**
   * Set-at-a-time evaluation over the snapshot the query was compiled for (`ctx.index.docs`),
   * when the query can use postings: exactly the documents and scores that calling the scorer
   * on every document gives. Absent means: scan every document.
   */
  all?: () => MatchList;
}

/** Attaches a set-at-a-time evaluation to a per-document scorer (none when `all` is undefined). */
export function withAll(score: (doc: SearchableDoc) => number | undefined, all: (() => MatchList) | undefined): DocScorer {
  const scorer: DocScorer = score;
  if (all !== undefined) scorer.all = all;
  return scorer;
}

/** Tests an indexed term (a token of a text field or a keyword value). */
export type TermTest = (term: string) => boolean;

/** Terms the query looks for, per field, so the highlighter can mark them. */
export type HighlightTerms = Map<string, TermTest[]>;

/** What compiling a query needs: the index searched and where to record highlight terms. */
export interface QueryContext {
  index: SearchableIndex;
  /** `now` of the request, so date math is consistent across indexes. */
  now: number;
  /** Absent in a negated (must_not) context: those terms are not highlighted. */
  highlight?: HighlightTerms;
  /** Compiles a nested query in this context (or a negated copy of it). */
  compile(query: Json, opts?: { negated?: boolean }): DocScorer;
}

export const matchNone: DocScorer = () => undefined;

/** Records a highlight test for a field, when highlighting is being collected. */
export function recordHighlight(ctx: QueryContext, field: string, test: TermTest): void {
  if (ctx.highlight === undefined) return;
  const tests = ctx.highlight.get(field) ?? [];
  tests.push(test);
  ctx.highlight.set(field, tests);
}
