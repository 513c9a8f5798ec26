import type { Json } from '../../json.ts';

/**
 * Resolves minimum_should_match against the number of optional clauses: `2`, `-1`, `75%`,
 * `-25%` and conditional forms like `3<90%` (all required up to 3 clauses, then 90%).
 */
export function minimumShouldMatch(spec: Json | undefined, optional: number): number | undefined {
  if (spec === undefined || spec === null) return undefined;
  const text = String(spec).trim();
  if (text.includes('<')) return conditional(text, optional);
  return clamp(simple(text, optional), optional);
}

function simple(text: string, optional: number): number {
  if (text.endsWith('%')) {
    const pct = Number(text.slice(0, -1));
    const n = Math.trunc((optional * Math.abs(pct)) / 100);
    return pct < 0 ? optional - n : n;
  }
  const n = Math.trunc(Number(text));
  if (Number.isNaN(n)) return 0;
  return n < 0 ? optional + n : n;
}

function conditional(text: string, optional: number): number {
  let result = optional;
  for (const part of text.split(/\s+/)) {
    const [limit, value] = part.split('<');
    if (optional > Number(limit)) result = simple(value, optional);
  }
  return clamp(result, optional);
}

const clamp = (n: number, optional: number): number => Math.max(0, Math.min(n, optional));
