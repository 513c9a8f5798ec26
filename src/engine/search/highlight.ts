import { analyzerOrStandard } from '../analysis/index.ts';
import { EngineError } from '../errors.ts';
import { isObject, type Json, type JsonObject } from '../json.ts';
import { expandFieldPattern, type FieldInfo } from './fields/field-info.ts';
import { indexAnalyzerName, rawValues } from './fields/values.ts';
import type { HighlightTerms, TermTest } from './query/types.ts';
import type { SearchableDoc, SearchableIndex } from './types.ts';

interface FieldOptions {
  pre: string;
  post: string;
  fragmentSize: number;
  fragments: number;
  requireFieldMatch: boolean;
  html: boolean;
}

/** The highlight request's fields as [pattern, options] pairs (object or array form). */
export function highlightFields(spec: JsonObject): [string, JsonObject][] {
  const fields = spec.fields;
  if (Array.isArray(fields)) return fields.filter(isObject).flatMap((o) => Object.entries(o).map(([k, v]): [string, JsonObject] => [k, isObject(v) ? v : {}]));
  if (isObject(fields)) return Object.entries(fields).map(([k, v]) => [k, isObject(v) ? v : {}]);
  throw new EngineError(400, 'parsing_exception', '[highlight] requires [fields]');
}

function tags(v: Json | undefined, dflt: string): string {
  return Array.isArray(v) && typeof v[0] === 'string' ? v[0] : dflt;
}

function fieldOptions(global: JsonObject, own: JsonObject): FieldOptions {
  const pick = (k: string): Json | undefined => own[k] ?? global[k];
  return {
    pre: tags(pick('pre_tags'), '<em>'),
    post: tags(pick('post_tags'), '</em>'),
    fragmentSize: Number(pick('fragment_size') ?? 100),
    fragments: Number(pick('number_of_fragments') ?? 5),
    requireFieldMatch: pick('require_field_match') !== false,
    html: pick('encoder') === 'html',
  };
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');

/** Wraps the matching tokens of one value; undefined when nothing in it matches. */
function markValue(value: string, f: FieldInfo, test: TermTest, o: FieldOptions): { text: string; first: number } | undefined {
  const enc = o.html ? escapeHtml : (s: string) => s;
  if (f.kind === 'keyword') return test(value) ? { text: o.pre + enc(value) + o.post, first: 0 } : undefined;
  let out = '';
  let at = 0;
  let first = -1;
  for (const t of analyzerOrStandard(indexAnalyzerName(f))(value)) {
    if (!test(t.term)) continue;
    if (first < 0) first = t.start;
    out += enc(value.slice(at, t.start)) + o.pre + enc(value.slice(t.start, t.end)) + o.post;
    at = t.end;
  }
  return first < 0 ? undefined : { text: out + enc(value.slice(at)), first };
}

/** Long values are cut into sentences; the ones holding matches are the fragments. */
function fragmentsOf(value: string, f: FieldInfo, test: TermTest, o: FieldOptions): string[] {
  if (o.fragments === 0 || value.length <= o.fragmentSize) {
    const marked = markValue(value, f, test, o);
    return marked === undefined ? [] : [marked.text];
  }
  const out: string[] = [];
  for (const sentence of value.split(/(?<=[.!?])\s+/)) {
    const marked = markValue(sentence, f, test, o);
    if (marked !== undefined) out.push(marked.text);
  }
  return out;
}

function testsFor(f: FieldInfo, terms: HighlightTerms, requireFieldMatch: boolean): TermTest | undefined {
  const tests = requireFieldMatch ? (terms.get(f.path) ?? []) : [...terms.values()].flat();
  if (tests.length === 0) return undefined;
  return (t) => tests.some((test) => test(t));
}

/** The `highlight` object of one hit, or undefined when no requested field matched. */
export function highlightHit(doc: SearchableDoc, index: SearchableIndex, spec: JsonObject, terms: HighlightTerms): JsonObject | undefined {
  const out: JsonObject = {};
  for (const [pattern, own] of highlightFields(spec)) {
    const o = fieldOptions(spec, own);
    for (const f of expandFieldPattern(index, pattern)) {
      if (f.kind !== 'text' && f.kind !== 'keyword') continue;
      const test = testsFor(f, terms, o.requireFieldMatch);
      if (test === undefined) continue;
      const fragments = rawValues(doc, f)
        .filter((v): v is string => typeof v === 'string')
        .flatMap((v) => fragmentsOf(v, f, test, o));
      if (fragments.length > 0) out[f.path] = o.fragments === 0 ? fragments : fragments.slice(0, o.fragments);
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
