/** Field-name patterns as OpenSearch reads them in queries: `title^2` boosts, `*` wildcards. */
import { isReservedField, reservedNames, type ReservedFields } from './reserved-fields.ts';

/** `title^2` → `title` (OpenSearch cuts at the first `^`). */
export function stripBoost(field: string): string {
  const caret = field.indexOf('^');
  return caret === -1 ? field : field.slice(0, caret);
}

/** `*` is OpenSearch's field wildcard; `?` is treated as one too, to stay on the safe side. */
export function isPattern(field: string): boolean {
  return field.includes('*') || field.includes('?');
}

/** `*`, `*.*`: patterns meaning "every field", allowed because documents are scoped by the filter. */
export function isCatchAll(pattern: string): boolean {
  return pattern.includes('*') && /^[*.]+$/.test(pattern);
}

function patternRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
  return new RegExp(`^${body}$`);
}

/**
 * Could this field name or pattern resolve to a reserved field? Exact names and sub-fields match;
 * a pattern matches when it matches a reserved name (or its `.keyword`) or its literal prefix
 * leads into one (`_*`, `_ten*`, `_tenant.k*`). Catch-all patterns are exempt (see isCatchAll).
 */
export function couldNameReserved(field: string, reserved: ReservedFields): boolean {
  if (!isPattern(field)) return isReservedField(field, reserved);
  if (isCatchAll(field)) return false;
  const re = patternRegExp(field);
  const prefix = field.slice(0, field.search(/[*?]/));
  return reservedNames(reserved).some(
    (name) => re.test(name) || re.test(`${name}.keyword`) || (prefix !== '' && (name.startsWith(prefix) || prefix.startsWith(`${name}.`))),
  );
}
