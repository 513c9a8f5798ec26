// Just enough of npm-semver's range grammar for story `version` gates (`>= 2.x`, `< 2.0`,
// `~1.2`, `^2`, `1.0 - 2.3`, `a || b`), evaluated against release versions only: the stories
// gate on released OpenSearch versions, so prerelease ordering is not needed.

type Triple = [number, number, number];

/** A possibly partial version: `2`, `2.x`, `2.17`, `2.17.0`; wildcard parts are undefined. */
interface Partial {
  parts: [number | undefined, number | undefined, number | undefined];
  /** How many leading parts are concrete numbers. */
  concrete: number;
}

/** A half-open or closed interval check on one version. */
type Comparator = (v: Triple) => boolean;

export class SemverRangeError extends Error {}

/** True if `version` (e.g. `2.17.0`) lies in `range`; throws SemverRangeError on bad syntax. */
export function satisfies(version: string, range: string): boolean {
  const v = parsePartial(version);
  if (v.concrete === 0) throw new SemverRangeError(`invalid version "${version}"`);
  const triple: Triple = [v.parts[0] ?? 0, v.parts[1] ?? 0, v.parts[2] ?? 0];
  return parseRange(range).some((set) => set.every((cmp) => cmp(triple)));
}

/** `||`-separated sets of space-separated comparators. */
function parseRange(range: string): Comparator[][] {
  return range.split('||').map((set) => parseComparatorSet(set.trim()));
}

function parseComparatorSet(set: string): Comparator[] {
  if (set === '' || set === '*' || set === 'x' || set === 'X') return [() => true];
  const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(set);
  if (hyphen) return [comparator('>=', parsePartial(hyphen[1])), comparator('<=', parsePartial(hyphen[2]))];
  // `>= 2.0` is written with a space after the operator; glue operators to their versions first.
  const tokens = set.replace(/(<=|>=|<|>|=|~|\^)\s+/g, '$1').split(/\s+/);
  return tokens.map((t) => {
    const m = /^(<=|>=|<|>|=|~|\^)?v?(.+)$/.exec(t);
    if (!m) throw new SemverRangeError(`invalid comparator "${t}" in "${set}"`);
    return comparator(m[1] ?? '=', parsePartial(m[2]));
  });
}

function parsePartial(text: string): Partial {
  const m = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:[-+].*)?$/.exec(text.trim());
  if (!m) throw new SemverRangeError(`invalid version "${text}"`);
  const parts = [m[1], m[2], m[3]].map((p) => (p === undefined || /^[xX*]$/.test(p) ? undefined : Number(p))) as Partial['parts'];
  let concrete = 0;
  while (concrete < 3 && parts[concrete] !== undefined) concrete++;
  return { parts, concrete };
}

function compare(a: Triple, b: Triple): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** Smallest version the partial covers: `2.x` → 2.0.0. */
function lowest(p: Partial): Triple {
  return [p.parts[0] ?? 0, p.concrete >= 2 ? (p.parts[1] ?? 0) : 0, p.concrete >= 3 ? (p.parts[2] ?? 0) : 0];
}

/** First version after what the partial covers: `2.x` → 3.0.0, `2.1` → 2.2.0, `2.1.3` → 2.1.4. */
function after(p: Partial): Triple {
  const [a, b, c] = lowest(p);
  if (p.concrete <= 1) return [a + 1, 0, 0];
  if (p.concrete === 2) return [a, b + 1, 0];
  return [a, b, c + 1];
}

/** Caret: changes that do not modify the left-most non-zero concrete part. */
function caretUpper(p: Partial): Triple {
  const [a, b, c] = lowest(p);
  if (a > 0 || p.concrete <= 1) return [a + 1, 0, 0];
  if (b > 0 || p.concrete === 2) return [0, b + 1, 0];
  return [0, 0, c + 1];
}

function comparator(op: string, p: Partial): Comparator {
  if (p.concrete === 0) return () => true; // `*`, `>= x`: anything
  const lo = lowest(p);
  const hi = after(p);
  const between = (from: Triple, to: Triple): Comparator => (v) => compare(v, from) >= 0 && compare(v, to) < 0;
  switch (op) {
    case '=':
      return between(lo, hi);
    case '>=':
      return (v) => compare(v, lo) >= 0;
    case '>':
      return (v) => compare(v, hi) >= 0;
    case '<':
      return (v) => compare(v, lo) < 0;
    case '<=':
      return (v) => compare(v, hi) < 0;
    case '~':
      return between(lo, p.concrete >= 2 ? [lo[0], lo[1] + 1, 0] : [lo[0] + 1, 0, 0]);
    case '^':
      return between(lo, caretUpper(p));
    default:
      throw new SemverRangeError(`unknown operator "${op}"`);
  }
}
