import { EngineError } from '../../errors.ts';
import type { Json } from '../../json.ts';
import { resolveDateMath } from '../fields/date-math.ts';
import type { FieldInfo } from '../fields/field-info.ts';
import { numericReader, keywordReader, textReader, toBooleanNumber, toNumber, dateFormatOf } from '../fields/values.ts';
import { bm25, fieldStats, idf, scoredPosting } from '../scoring/bm25.ts';
import type { SearchableDoc } from '../types.ts';
import { constantList } from './match-list.ts';
import { matchNone, recordHighlight, withAll, type DocScorer, type QueryContext } from './types.ts';

export interface ExactOptions {
  boost: number;
  lenient?: boolean;
  caseInsensitive?: boolean;
  /** Term queries score with BM25; terms/ids queries are constant-score. */
  scored?: boolean;
}

/** The failure OpenSearch reports for a value the field type cannot parse. */
export function queryValueError(value: Json, f: FieldInfo): EngineError {
  if (f.kind === 'boolean') {
    return new EngineError(400, 'query_shard_exception', `failed to create query: Can't parse boolean value [${String(value)}], expected [true] or [false]`);
  }
  return new EngineError(400, 'query_shard_exception', `failed to create query: For input string: "${String(value)}"`);
}

/**
 * A query value for `_seq_no`, parsed like OpenSearch's SeqNoFieldType: a whole JSON number, or a
 * string that Java's Long.parseLong accepts; anything else fails the query.
 */
export function seqNoQueryValue(value: Json): number {
  const fail = (why: string): never => {
    throw new EngineError(400, 'query_shard_exception', `failed to create query: ${why}`);
  };
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) fail(`Value [${value}] has a decimal part`);
    if (Math.abs(value) > Number.MAX_SAFE_INTEGER) fail(`Value [${value}] is out of range for a long`);
    return value;
  }
  const text = String(value);
  if (!/^[+-]?\d{1,19}$/.test(text) || !Number.isSafeInteger(Number(text))) fail(`For input string: "${text}"`);
  return Number(text);
}

/** Parses a query value for a numeric-like field; undefined when lenient and it does not parse. */
export function numericQueryValue(ctx: QueryContext, f: FieldInfo, value: Json, lenient: boolean): number | undefined {
  let n: number;
  if (f.meta === '_seq_no') {
    try {
      return seqNoQueryValue(value);
    } catch (e) {
      if (lenient) return undefined;
      throw e;
    }
  }
  if (f.kind === 'date') {
    try {
      n = resolveDateMath(value, { format: dateFormatOf(f), now: ctx.now });
    } catch (e) {
      if (lenient) return undefined;
      throw e;
    }
  } else n = f.kind === 'boolean' ? toBooleanNumber(value) : toNumber(value);
  if (!Number.isNaN(n)) return n;
  if (lenient) return undefined;
  throw queryValueError(value, f);
}

/** Matches documents whose field holds exactly `value` (the term/terms/match semantics of non-text fields). */
export function exactValueScorer(ctx: QueryContext, f: FieldInfo, value: Json, opts: ExactOptions): DocScorer {
  switch (f.kind) {
    case 'text':
    case 'keyword':
      return termScorer(ctx, f, String(value), opts);
    case 'number':
    case 'date':
    case 'boolean': {
      const n = numericQueryValue(ctx, f, value, opts.lenient === true);
      if (n === undefined) return matchNone;
      const read = numericReader(f);
      const boost = opts.boost;
      return (doc) => (read(doc).includes(n) ? boost : undefined);
    }
    default:
      return matchNone;
  }
}

/** A single term against a text field's tokens or a keyword field's values, BM25-scored. */
function termScorer(ctx: QueryContext, f: FieldInfo, term: string, opts: ExactOptions): DocScorer {
  const lower = term.toLowerCase();
  recordHighlight(ctx, f.path, opts.caseInsensitive === true ? (t) => t.toLowerCase() === lower : (t) => t === term);
  if (opts.caseInsensitive === true) return caseInsensitiveScorer(f, lower, opts.boost);
  const boost = opts.boost;
  if (opts.scored === false) {
    const has = termPresence(f, term);
    return withAll((doc) => (has(doc) ? boost : undefined), () => constantList(fieldStats(ctx.index, f).postings.posting(term).ords, boost));
  }
  const stats = fieldStats(ctx.index, f);
  const weight = boost * idf(stats.docCount, stats.docFreq(term));
  const score = (doc: SearchableDoc): number | undefined => {
    const freq = stats.termFreq(doc, term);
    return freq > 0 ? bm25(weight, freq, stats.lengthOf(doc), stats.avgLength) : undefined;
  };
  return withAll(score, () => scoredPosting(stats, term, weight));
}

function termPresence(f: FieldInfo, term: string): (doc: SearchableDoc) => boolean {
  if (f.kind === 'text') {
    const read = textReader(f);
    return (doc) => read(doc)?.tf.has(term) === true;
  }
  const read = keywordReader(f);
  return (doc) => read(doc).includes(term);
}

function caseInsensitiveScorer(f: FieldInfo, lower: string, boost: number): DocScorer {
  if (f.kind === 'text') {
    const read = textReader(f);
    return (doc) => {
      const a = read(doc);
      if (a === undefined) return undefined;
      for (const t of a.tf.keys()) if (t.toLowerCase() === lower) return boost;
      return undefined;
    };
  }
  const read = keywordReader(f);
  return (doc) => (read(doc).some((v) => v.toLowerCase() === lower) ? boost : undefined);
}

/** Matches documents with any indexed term passing `test` (prefix, wildcard, regexp, fuzzy); constant score. */
export function termTestScorer(ctx: QueryContext, f: FieldInfo, queryName: string, test: (t: string) => boolean, boost: number): DocScorer {
  if (f.kind === 'text') {
    recordHighlight(ctx, f.path, test);
    const read = textReader(f);
    return (doc) => {
      const a = read(doc);
      if (a === undefined) return undefined;
      for (const t of a.tf.keys()) if (test(t)) return boost;
      return undefined;
    };
  }
  if (f.kind === 'keyword') {
    recordHighlight(ctx, f.path, test);
    const read = keywordReader(f);
    return (doc) => (read(doc).some(test) ? boost : undefined);
  }
  if (f.kind === 'object' || f.kind === 'other') return matchNone;
  throw new EngineError(400, 'query_shard_exception', `Can only use ${queryName} queries on keyword and text fields - not on [${f.path}] which is of type [${f.type}]`);
}
