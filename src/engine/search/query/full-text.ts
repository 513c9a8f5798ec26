import { analyzerOrStandard, namedAnalyzer, type Token } from '../../analysis/index.ts';
import { EngineError } from '../../errors.ts';
import type { Json, JsonObject } from '../../json.ts';
import { fieldInfo, type FieldInfo } from '../fields/field-info.ts';
import { searchAnalyzerName, textReader } from '../fields/values.ts';
import { bm25, fieldStats, idf, scoredPosting, type FieldStats } from '../scoring/bm25.ts';
import type { SearchableDoc } from '../types.ts';
import { sumOfAtLeast } from './combine.ts';
import { exactValueScorer } from './exact-value.ts';
import { fuzzyTest, maxEdits } from './fuzzy.ts';
import { minimumShouldMatch } from './min-should-match.ts';
import { boolParam, boostOf, singleField, stringValue } from './params.ts';
import { phraseFrequency, type PhraseTerm } from './phrase.ts';
import { DenseScores } from './match-list.ts';
import { matchNone, recordHighlight, withAll, type DocScorer, type QueryContext } from './types.ts';

/** Analyzes query text with the query's analyzer, else the field's search analyzer. */
function queryTokens(f: FieldInfo, text: string, params: JsonObject): Token[] {
  const analyzer = typeof params.analyzer === 'string' ? namedAnalyzer(params.analyzer) : analyzerOrStandard(searchAnalyzerName(f));
  return analyzer(text);
}

/** What a full-text query does when analysis leaves no terms (zero_terms_query). */
function zeroTerms(params: JsonObject, boost: number): DocScorer {
  return String(params.zero_terms_query ?? 'none').toLowerCase() === 'all' ? () => boost : matchNone;
}

/** Non-text fields take the whole query text as one exact value (match on keyword = term). */
function nonTextScorer(ctx: QueryContext, f: FieldInfo, text: Json, params: JsonObject): DocScorer {
  return exactValueScorer(ctx, f, text, { boost: boostOf(params), lenient: boolParam(params.lenient, false), scored: true });
}

/** Per-term scorers of a match query: exact BM25 terms, or the best fuzzy expansion. */
function termScorers(ctx: QueryContext, f: FieldInfo, stats: FieldStats, terms: string[], params: JsonObject, boost: number): DocScorer[] {
  const read = textReader(f);
  return terms.map((term) => {
    const edits = maxEdits(params.fuzziness, term);
    if (edits === 0) {
      recordHighlight(ctx, f.path, (t) => t === term);
      const weight = boost * idf(stats.docCount, stats.docFreq(term));
      return (doc) => {
        const freq = stats.termFreq(doc, term);
        return freq > 0 ? bm25(weight, freq, stats.lengthOf(doc), stats.avgLength) : undefined;
      };
    }
    const test = fuzzyTest(term, edits, typeof params.prefix_length === 'number' ? params.prefix_length : 0);
    recordHighlight(ctx, f.path, test);
    return (doc) => {
      const a = read(doc);
      let best: number | undefined;
      for (const [t, freq] of a?.tf ?? []) {
        if (!test(t)) continue;
        const s = bm25(boost * idf(stats.docCount, stats.docFreq(t)), freq, a?.length ?? 1, stats.avgLength);
        best = best === undefined ? s : Math.max(best, s);
      }
      return best;
    };
  });
}

export function matchOnField(ctx: QueryContext, field: string, params: JsonObject): DocScorer {
  const f = fieldInfo(ctx.index, field);
  if (f === undefined || f.kind === 'object' || f.kind === 'other') return matchNone;
  const query = params.query;
  if (query === undefined || query === null) throw new EngineError(400, 'parsing_exception', 'No text specified for text query');
  if (f.kind !== 'text') return nonTextScorer(ctx, f, query, params);
  const boost = boostOf(params);
  const terms = queryTokens(f, stringValue('match', query), params).map((t) => t.term);
  if (terms.length === 0) return zeroTerms(params, boost);
  const and = String(params.operator ?? 'or').toLowerCase() === 'and';
  const required = and ? terms.length : (minimumShouldMatch(params.minimum_should_match, terms.length) ?? 1);
  const stats = fieldStats(ctx.index, f);
  if (params.fuzziness === undefined || params.fuzziness === null) return exactTermsScorer(ctx, f, stats, terms, boost, required);
  return sumOfAtLeast(termScorers(ctx, f, stats, terms, params, boost), Math.max(1, required));
}

/** The common case, kept fast: exact terms scored from one read of the document's field, or from postings. */
function exactTermsScorer(ctx: QueryContext, f: FieldInfo, stats: FieldStats, terms: string[], boost: number, required: number): DocScorer {
  for (const term of terms) recordHighlight(ctx, f.path, (t) => t === term);
  const weights = terms.map((term) => boost * idf(stats.docCount, stats.docFreq(term)));
  const read = textReader(f);
  const avg = stats.avgLength;
  const min = Math.max(1, required);
  const score = (doc: SearchableDoc): number | undefined => {
    const a = read(doc);
    if (a === undefined) return undefined;
    let score = 0;
    let matched = 0;
    for (let i = 0; i < terms.length; i++) {
      const freq = a.tf.get(terms[i]);
      if (freq === undefined) continue;
      matched++;
      score += bm25(weights[i], freq, a.length, avg);
    }
    return matched >= min ? score : undefined;
  };
  return withAll(score, () => {
    const lists = terms.map((term, i) => scoredPosting(stats, term, weights[i]));
    return lists.length === 1 ? lists[0] : DenseScores.of(lists).collect(min);
  });
}

export function matchQuery(body: Json, ctx: QueryContext): DocScorer {
  const { field, params } = singleField('match', body, 'query');
  return matchOnField(ctx, field, params);
}

/** match_phrase and match_phrase_prefix (`prefix` makes the last term a prefix). */
export function phraseOnField(ctx: QueryContext, field: string, params: JsonObject, prefix: boolean): DocScorer {
  const f = fieldInfo(ctx.index, field);
  if (f === undefined || f.kind === 'object' || f.kind === 'other') return matchNone;
  const query = params.query;
  if (f.kind !== 'text') return nonTextScorer(ctx, f, query, params);
  const boost = boostOf(params);
  const tokens = queryTokens(f, stringValue('match_phrase', query), params);
  if (tokens.length === 0) return zeroTerms(params, boost);
  const stats = fieldStats(ctx.index, f);
  const terms: PhraseTerm[] = tokens.map((t, i) => {
    const last = prefix && i === tokens.length - 1;
    const match = last ? (x: string) => x.startsWith(t.term) : t.term;
    recordHighlight(ctx, f.path, last ? (x) => x.startsWith(t.term) : (x) => x === t.term);
    return { match, offset: t.position };
  });
  const idfSum = tokens.reduce((sum, t) => sum + idf(stats.docCount, Math.max(1, stats.docFreq(t.term))), 0);
  const slop = typeof params.slop === 'number' ? params.slop : 0;
  const read = textReader(f);
  return (doc) => {
    const a = read(doc);
    if (a === undefined) return undefined;
    const freq = phraseFrequency(a, terms, slop);
    return freq > 0 ? bm25(boost * idfSum, freq, a.length, stats.avgLength) : undefined;
  };
}

export function matchPhraseQuery(body: Json, ctx: QueryContext): DocScorer {
  const { field, params } = singleField('match_phrase', body, 'query');
  return phraseOnField(ctx, field, params, false);
}

export function matchPhrasePrefixQuery(body: Json, ctx: QueryContext): DocScorer {
  const { field, params } = singleField('match_phrase_prefix', body, 'query');
  return phraseOnField(ctx, field, params, true);
}

/** match_bool_prefix: every term optional (per operator), the last one as a prefix. */
export function matchBoolPrefixQuery(body: Json, ctx: QueryContext): DocScorer {
  const { field, params } = singleField('match_bool_prefix', body, 'query');
  const f = fieldInfo(ctx.index, field);
  if (f === undefined || f.kind !== 'text') return f === undefined ? matchNone : nonTextScorer(ctx, f, params.query, params);
  const terms = queryTokens(f, stringValue('match_bool_prefix', params.query), params).map((t) => t.term);
  if (terms.length === 0) return matchNone;
  const last = terms.pop() as string;
  const boost = boostOf(params);
  const scorers = termScorers(ctx, f, fieldStats(ctx.index, f), terms, params, boost);
  const read = textReader(f);
  recordHighlight(ctx, f.path, (t) => t.startsWith(last));
  scorers.push((doc) => ([...(read(doc)?.tf.keys() ?? [])].some((t) => t.startsWith(last)) ? boost : undefined));
  const and = String(params.operator ?? 'or').toLowerCase() === 'and';
  const required = and ? scorers.length : (minimumShouldMatch(params.minimum_should_match, scorers.length) ?? 1);
  return sumOfAtLeast(scorers, Math.max(1, required));
}
