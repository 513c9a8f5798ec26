/**
 * Index expressions (`a`, `a,b`, `logs-*`, `_all`, none, `-excluded`) resolved against one
 * tenant's own logical indexes, so that a pattern can never reach another tenant's names.
 */
import { validateLogicalIndexName } from '../tenancy/index.ts';

export interface ExpressionMatch {
  /** The tenant's logical indexes the expression names, sorted. */
  names: string[];
  /** Concrete names that are not registered (404 unless ignore_unavailable). */
  missing: string[];
  /** Wildcard parts that matched none of the tenant's indexes (404 with allow_no_indices=false). */
  unmatched: string[];
}

function wildcardRegex(pattern: string): RegExp {
  return new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
}

export function matchExpression(expr: string | undefined, known: readonly string[], has: (name: string) => boolean): ExpressionMatch {
  const parts = expr === undefined || expr === '' || expr === '_all' ? ['*'] : expr.split(',');
  const chosen = new Set<string>();
  const missing: string[] = [];
  const unmatched: string[] = [];
  for (const raw of parts) {
    const part = raw.trim();
    if (part.startsWith('-') && chosen.size > 0) {
      const re = wildcardRegex(part.slice(1));
      for (const name of [...chosen]) if (re.test(name)) chosen.delete(name);
    } else if (part.includes('*')) {
      const re = wildcardRegex(part);
      const hits = known.filter((name) => re.test(name));
      for (const name of hits) chosen.add(name);
      if (hits.length === 0) unmatched.push(part);
    } else {
      validateLogicalIndexName(part);
      if (has(part)) chosen.add(part);
      else missing.push(part);
    }
  }
  return { names: [...chosen].sort(), missing, unmatched };
}
