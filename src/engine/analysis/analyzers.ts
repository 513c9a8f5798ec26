import { EngineError } from '../errors.ts';
import { standardTokens } from './standard.ts';
import type { Token } from './token.ts';

export type Analyzer = (text: string) => Token[];

const ENGLISH_STOP_WORDS = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it', 'no', 'not', 'of',
  'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they', 'this', 'to', 'was', 'will', 'with',
]);

const lowercase = (tokens: Token[]): Token[] => {
  for (const t of tokens) t.term = t.term.toLowerCase();
  return tokens;
};

/** Splits on runs matching `re`, numbering positions in order. */
function splitTokens(text: string, re: RegExp): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(re)) {
    const start = m.index ?? 0;
    out.push({ term: m[0], position: out.length, start, end: start + m[0].length });
  }
  return out;
}

/** Drops stop words but keeps the position gaps they leave (as Lucene's StopFilter does). */
const withoutStopWords = (tokens: Token[]): Token[] => tokens.filter((t) => !ENGLISH_STOP_WORDS.has(t.term));

const ANALYZERS: Record<string, Analyzer> = {
  standard: (text) => lowercase(standardTokens(text)),
  simple: (text) => lowercase(splitTokens(text, /\p{L}+/gu)),
  whitespace: (text) => splitTokens(text, /\S+/gu),
  keyword: (text) => [{ term: text, position: 0, start: 0, end: text.length }],
  stop: (text) => withoutStopWords(lowercase(splitTokens(text, /\p{L}+/gu))),
  // No stemming: the english analyzer is approximated by standard + stop words.
  english: (text) => withoutStopWords(lowercase(standardTokens(text))),
};

export const isKnownAnalyzer = (name: string): boolean => Object.prototype.hasOwnProperty.call(ANALYZERS, name);

/** The analyzer by name; unknown names (custom analyzers of a mapping) fall back to standard. */
export function analyzerOrStandard(name: string | undefined): Analyzer {
  return name !== undefined && isKnownAnalyzer(name) ? ANALYZERS[name] : ANALYZERS.standard;
}

/** The analyzer by name, or a 400 like OpenSearch's for a query naming an unknown one. */
export function namedAnalyzer(name: string): Analyzer {
  if (!isKnownAnalyzer(name)) throw new EngineError(400, 'illegal_argument_exception', `analyzer [${name}] has not been configured in mappings`);
  return ANALYZERS[name];
}

/** Tokens with positions and offsets. */
export function analyzeTokens(text: string, analyzer = 'standard'): Token[] {
  return namedAnalyzer(analyzer)(text);
}

/** The terms `text` analyzes to (standard analyzer by default). */
export function analyze(text: string, analyzer = 'standard'): string[] {
  return analyzeTokens(text, analyzer).map((t) => t.term);
}
