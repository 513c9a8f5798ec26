import type { AnalyzedField } from '../fields/values.ts';

/** One query term of a phrase with its position offset in the query. */
export interface PhraseTerm {
  /** Exact term, or a test for the last term of a phrase_prefix. */
  match: string | ((t: string) => boolean);
  offset: number;
}

function positionsOf(field: AnalyzedField, match: PhraseTerm['match']): number[] {
  const out: number[] = [];
  for (const t of field.tokens) if (typeof match === 'string' ? t.term === match : match(t.term)) out.push(t.position);
  return out;
}

/**
 * How many times the phrase occurs in the field. Slop is approximated: each term may sit at
 * most `slop` positions (in total) away from where the exact phrase would put it.
 */
export function phraseFrequency(field: AnalyzedField, terms: PhraseTerm[], slop: number): number {
  if (terms.length === 0) return 0;
  const positions = terms.map((t) => positionsOf(field, t.match));
  if (positions.some((p) => p.length === 0)) return 0;
  let freq = 0;
  for (const start of positions[0]) {
    let budget = slop;
    let ok = true;
    for (let i = 1; i < terms.length && ok; i++) {
      const expected = start + terms[i].offset - terms[0].offset;
      let best = Infinity;
      for (const p of positions[i]) best = Math.min(best, Math.abs(p - expected));
      budget -= best;
      ok = budget >= 0;
    }
    if (ok) freq++;
  }
  return freq;
}
