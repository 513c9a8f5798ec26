/**
 * OpenSearch's `filter_path` as a set of patterns walked one key at a time (for the streaming
 * formatter): comma-separated dotted paths, `*` within a segment, `**` for any depth, a leading
 * `-` to exclude instead of include. Arrays are transparent (their items see the array's state).
 * Exclusions apply first, then inclusions; a container an inclusion has not fully matched is
 * written only if something inside it is.
 */

/** Remaining pattern segments, one list per pattern still alive at a position. */
export type Patterns = readonly (readonly string[])[];

export interface FilterPath {
  includes: Patterns;
  excludes: Patterns;
}

/** The client's `filter_path`, or undefined when it filters nothing. */
export function parseFilterPath(value: string | null | undefined): FilterPath | undefined {
  if (value === null || value === undefined) return undefined;
  const all = value.split(',').map((f) => f.trim()).filter((f) => f !== '');
  if (all.length === 0) return undefined;
  return {
    excludes: all.filter((f) => f.startsWith('-')).map((f) => f.slice(1).split('.')),
    includes: all.filter((f) => !f.startsWith('-')).map((f) => f.split('.')),
  };
}

const segmentRegex = new Map<string, RegExp>();

function segmentMatches(pattern: string, key: string): boolean {
  if (pattern === '*' || pattern === '**') return true;
  if (!pattern.includes('*')) return pattern === key;
  let re = segmentRegex.get(pattern);
  if (re === undefined) {
    re = new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
    segmentRegex.set(pattern, re);
  }
  return re.test(key);
}

/** The patterns that continue below `key`. */
export function descend(patterns: Patterns, key: string): Patterns {
  const next: (readonly string[])[] = [];
  for (const p of patterns) {
    if (p[0] === '**') {
      next.push(p);
      if (p.length > 1 && segmentMatches(p[1], key)) next.push(p.slice(2));
    } else if (segmentMatches(p[0], key)) next.push(p.slice(1));
  }
  return next;
}

/** Whether some pattern ends exactly here. */
export function ended(patterns: Patterns): boolean {
  return patterns.some((p) => p.length === 0);
}
