// Comparing a response with a chapter's expectation. Payloads match partially, the way the
// upstream runner's json-diff does: every expected key must be present and match, extra actual
// keys are fine; arrays match element by element by position and the actual array may be
// longer. One deliberate difference: an expected empty array requires an empty actual array
// (upstream ignores it), since a story writing `hits: []` means "no hits".
import type { Json } from './story.ts';
import type { ActualResponse } from './request.ts';

export interface Mismatch {
  /** Where in the payload, e.g. `hits.hits[0]._source.title`; `$` is the whole payload. */
  path: string;
  expected: string;
  actual: string;
}

const MISSING = '<missing>';

/** All places where `actual` does not satisfy `expected`, in document order. */
export function matchPayload(expected: Json, actual: Json | undefined, path = '$'): Mismatch[] {
  if (actual === undefined) return [{ path, expected: show(expected), actual: MISSING }];
  if (Array.isArray(expected)) return matchArray(expected, actual, path);
  if (isObject(expected)) return matchObject(expected, actual, path);
  return expected === actual ? [] : [{ path, expected: show(expected), actual: show(actual) }];
}

function matchObject(expected: { [k: string]: Json }, actual: Json, path: string): Mismatch[] {
  if (!isObject(actual)) return [{ path, expected: 'an object', actual: show(actual) }];
  return Object.entries(expected).flatMap(([key, value]) =>
    matchPayload(value, Object.hasOwn(actual, key) ? actual[key] : undefined, childPath(path, key)),
  );
}

function matchArray(expected: Json[], actual: Json, path: string): Mismatch[] {
  if (!Array.isArray(actual)) return [{ path, expected: 'an array', actual: show(actual) }];
  if (expected.length === 0 && actual.length > 0) return [{ path, expected: '[]', actual: `${actual.length} element(s)` }];
  return expected.flatMap((value, i) => matchPayload(value, actual[i], `${path}[${i}]`));
}

function isObject(v: Json | undefined): v is { [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function childPath(parent: string, key: string): string {
  const segment = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key);
  return parent === '$' ? segment : `${parent}.${segment}`;
}

/** Compact JSON, shortened so that a mismatch on a big subtree stays one readable line. */
function show(v: Json): string {
  const text = JSON.stringify(v);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** `expected` is a code or a list of acceptable codes; absent means 200. */
export function statusMatches(expected: number | number[] | undefined, actual: number): boolean {
  const allowed = expected === undefined ? [200] : Array.isArray(expected) ? expected : [expected];
  return allowed.includes(actual);
}

export interface Expectation {
  status?: number | number[];
  content_type?: string;
  payload?: Json;
}

/**
 * Problems with `res` as lines for a report; empty when it matches. The status comes first and,
 * when wrong, alone: a payload diff against an error body would only be noise.
 */
export function checkResponse(expect: Expectation, res: ActualResponse): string[] {
  if (!statusMatches(expect.status, res.status)) {
    const wanted = expect.status === undefined ? 200 : expect.status;
    return [`status: expected ${JSON.stringify(wanted)}, got ${res.status}${errorSummary(res)}`];
  }
  const problems: string[] = [];
  if (expect.content_type !== undefined && expect.content_type !== res.contentType) {
    problems.push(`content-type: expected ${expect.content_type}, got ${res.contentType ?? MISSING}`);
  }
  if (expect.payload !== undefined) problems.push(...matchPayload(expect.payload, res.payload).map(formatMismatch));
  return problems;
}

export function formatMismatch(m: Mismatch): string {
  return `${m.path}: expected ${m.expected}, got ${m.actual}`;
}

/** ` (type: reason)` from an OpenSearch error body, or a short excerpt of a text one. */
function errorSummary(res: ActualResponse): string {
  const error = isObject(res.payload) ? res.payload.error : undefined;
  if (isObject(error)) return ` (${String(error.type ?? 'error')}: ${String(error.reason ?? '')})`;
  if (typeof error === 'string') return ` (${error})`;
  const text = res.text.trim();
  return text === '' ? '' : ` (${text.length > 160 ? `${text.slice(0, 157)}...` : text})`;
}
