import type { Token } from './token.ts';

/** Lucene's StandardTokenizer splits tokens longer than this. */
export const MAX_TOKEN_LENGTH = 255;

/*
 * An approximation of Unicode word segmentation (UAX #29) as Lucene's StandardTokenizer does it:
 * runs of letters/digits/underscores, joined across `'` and `.` between letters or digits
 * ("don't", "u.s.a", "3.14") and across `,` between digits ("1,000"). Ideographs and kana are
 * single-character tokens. Everything else separates tokens.
 */
const IDEOGRAPHIC = /[\p{Script=Han}\p{Script=Hiragana}]/u;
const WORD = /[\p{L}\p{N}\p{M}_]+(?:(?:['’.][\p{L}\p{N}\p{M}_]+)|(?:,\p{N}+))*/gu;

/** Tokenizes with the standard tokenizer, without lowercasing. */
export function standardTokens(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const start = m.index ?? 0;
    pushWord(m[0], start, out);
  }
  return out;
}

function pushWord(word: string, start: number, out: Token[]): void {
  if (!IDEOGRAPHIC.test(word)) {
    pushChunks(word, start, out);
    return;
  }
  // Split ideographs off as single-character tokens, keep the rest as words.
  let run = '';
  let runStart = start;
  let offset = start;
  for (const ch of word) {
    if (IDEOGRAPHIC.test(ch)) {
      if (run !== '') pushChunks(run, runStart, out);
      run = '';
      out.push({ term: ch, position: out.length, start: offset, end: offset + ch.length });
      runStart = offset + ch.length;
    } else {
      if (run === '') runStart = offset;
      run += ch;
    }
    offset += ch.length;
  }
  if (run !== '') pushChunks(run, runStart, out);
}

function pushChunks(word: string, start: number, out: Token[]): void {
  for (let i = 0; i < word.length; i += MAX_TOKEN_LENGTH) {
    const term = word.slice(i, i + MAX_TOKEN_LENGTH);
    out.push({ term, position: out.length, start: start + i, end: start + i + term.length });
  }
}
