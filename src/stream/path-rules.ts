/**
 * Cut rules and their compiled form. A rule names a path (object keys, array indexes, or '*'
 * for "any key or index"); the scanner tracks, per open container, a bitmask of the rules whose
 * prefix still matches, so subtrees no rule can reach are scanned without decoding any key.
 */

/** One step of a path: an object key, an array index, or '*' (any key or index). */
export type PathSegment = string | number;
export type PathPattern = readonly PathSegment[];
/** The concrete path of a value: decoded object keys and array indexes from the root. */
export type JsonPath = readonly (string | number)[];

export interface CutRule {
  readonly path: PathPattern;
  /**
   * Called with the raw bytes of a matched value (object, array or scalar, exactly as received).
   * The returned bytes/string are written in its place; return `raw` to observe without changing.
   */
  onValue(raw: Buffer, path: JsonPath): Buffer | string;
}

/** Rules are tracked as bits of an int32 mask; 30 is far more than any caller needs. */
export const MAX_RULES = 30;

export class RuleSet {
  readonly rules: readonly CutRule[];
  /** Mask of every rule: what is "alive" at the root. */
  readonly allMask: number;
  private readonly paths: readonly PathPattern[];
  /** endMasks[d] = rules whose path has exactly d segments. */
  private readonly endMasks: readonly number[];

  constructor(rules: readonly CutRule[]) {
    if (rules.length > MAX_RULES) throw new RangeError(`at most ${MAX_RULES} cut rules are supported`);
    this.rules = rules;
    this.paths = rules.map((r) => r.path);
    this.allMask = rules.length === 0 ? 0 : (2 ** rules.length - 1) | 0;
    const longest = Math.max(0, ...this.paths.map((p) => p.length));
    const endMasks = new Array<number>(longest + 1).fill(0);
    this.paths.forEach((p, r) => (endMasks[p.length] |= 1 << r));
    this.endMasks = endMasks;
  }

  /** Rules of `parentAlive` whose segment number `level` accepts `segment`. */
  advance(parentAlive: number, level: number, segment: string | number): number {
    let alive = 0;
    for (let m = parentAlive; m !== 0; m &= m - 1) {
      const r = lowestBitIndex(m);
      const want = this.paths[r][level];
      if (want === '*' || want === segment) alive |= 1 << r;
    }
    return alive;
  }

  /** Rules whose whole path has `depth` segments (i.e. that match a value at this depth). */
  endingAt(depth: number): number {
    return depth < this.endMasks.length ? this.endMasks[depth] : 0;
  }
}

/** Index of the lowest set bit; the lowest-numbered rule wins when several match. */
export function lowestBitIndex(mask: number): number {
  return 31 - Math.clz32(mask & -mask);
}
