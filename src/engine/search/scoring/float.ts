/**
 * Lucene scores are 32-bit floats and Java prints the shortest decimal that identifies them:
 * round to float precision and print the same way (0.2876821, not 0.28768208622932434).
 */
export function asJavaFloat(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const f = Math.fround(x);
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(f.toPrecision(p));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}

/** Java's Double.toString for range keys: 100 → "100.0", 0.5 → "0.5". */
export function javaDoubleString(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : x < 0 ? '-Infinity' : 'NaN';
  const abs = Math.abs(x);
  if (abs !== 0 && (abs >= 1e7 || abs < 1e-3)) {
    const [mant, exp] = x.toExponential().split('e');
    return `${mant.includes('.') ? mant : `${mant}.0`}E${Number(exp)}`;
  }
  const s = String(x);
  return s.includes('.') ? s : `${s}.0`;
}
