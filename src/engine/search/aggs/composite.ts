import { EngineError } from '../../errors.ts';
import type { Json, JsonObject } from '../../json.ts';
import { compareScalars, type Ranked } from '../sort.ts';
import { javaClassOf } from './composite-after.ts';
import { parseComposite, type CompositeSourceSpec } from './composite-parse.ts';
import { resolveSource, type CompositeSource, type KeyPart } from './composite-source.ts';
import { MAX_BUCKETS } from './histogram.ts';
import type { AggRunner } from './types.ts';

/**
 * The `composite` aggregation: every combination of the sources' values found in the documents
 * is a bucket; buckets come in key order (source by source), `size` at a time, and `after`
 * resumes strictly after a key, so a client pages through all of them with `after_key`.
 */

type CompositeKey = readonly KeyPart[];

interface Group {
  key: CompositeKey;
  docs: Ranked[];
}

const illegal = (reason: string): EngineError => new EngineError(400, 'illegal_argument_exception', reason);

/** One source's order: missing first ascending and last descending by default (MissingOrder), then the values. */
function comparePart(a: KeyPart, b: KeyPart, s: CompositeSourceSpec): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    const nullFirst = s.missingOrder === 'first' || (s.missingOrder === 'default' && s.asc);
    return (a === null) === nullFirst ? -1 : 1;
  }
  const c = compareScalars(a, b);
  return s.asc ? c : -c;
}

function compareKeys(a: CompositeKey, b: CompositeKey, specs: CompositeSourceSpec[]): number {
  for (let i = 0; i < specs.length; i++) {
    const c = comparePart(a[i], b[i], specs[i]);
    if (c !== 0) return c;
  }
  return 0;
}

/** CompositeAggregationBuilder.doBuild's checks of `after`: one comparable value per source, by name. */
function afterValues(after: JsonObject, specs: CompositeSourceSpec[]): Json[] {
  const given = Object.keys(after).length;
  if (given !== specs.length) throw illegal(`[after] has ${given} value(s) but [sources] has ${specs.length}`);
  return specs.map((s) => {
    if (!Object.prototype.hasOwnProperty.call(after, s.name)) throw illegal(`Missing value for [after.${s.name}]`);
    const v = after[s.name];
    if (v === null && s.missingBucket) return null;
    if (v === null || typeof v === 'object') throw illegal(`Invalid value for [after.${s.name}], expected comparable, got [${javaClassOf(v)}]`);
    return v;
  });
}

/** The sources' keys of a document; undefined when a source without missing_bucket has no value (no bucket then). */
function keyParts(r: Ranked, sources: CompositeSource[]): (readonly KeyPart[])[] | undefined {
  const parts: (readonly KeyPart[])[] = [];
  for (const s of sources) {
    const keys = s.keys(r);
    if (keys.length > 0) parts.push(keys);
    else if (s.spec.missingBucket) parts.push([null]);
    else return undefined;
  }
  return parts;
}

/** Every combination of one value per source (a multi-valued document is in each of its buckets once). */
function combinations(parts: (readonly KeyPart[])[]): CompositeKey[] {
  let out: KeyPart[][] = [[]];
  for (const values of parts) out = out.flatMap((prefix) => values.map((v) => [...prefix, v]));
  return out;
}

/** Groups the documents by composite key, keeping only keys after `after`. */
function groupByKey(docs: Ranked[], sources: CompositeSource[], after: CompositeKey | undefined): Map<string, Group> {
  const specs = sources.map((s) => s.spec);
  const groups = new Map<string, Group>();
  for (const r of docs) {
    const parts = keyParts(r, sources);
    if (parts === undefined) continue;
    for (const key of combinations(parts)) {
      if (after !== undefined && compareKeys(key, after, specs) <= 0) continue;
      // JSON tells "1" from 1 and null from "null".
      const id = JSON.stringify(key);
      const group = groups.get(id);
      if (group === undefined) groups.set(id, { key, docs: [r] });
      else group.docs.push(r);
    }
  }
  return groups;
}

function renderKey(key: CompositeKey, sources: CompositeSource[]): JsonObject {
  const out: JsonObject = {};
  sources.forEach((s, i) => (out[s.spec.name] = s.render(key[i])));
  return out;
}

/** CompositeAggregator's check of `size` against search.max_buckets, done before `after` is read. */
function checkSize(size: number): void {
  if (size <= MAX_BUCKETS) return;
  throw new EngineError(
    503,
    'too_many_buckets_exception',
    `Trying to create too many buckets. Must be less than or equal to: [${MAX_BUCKETS}] but was [${size}]. ` +
      'This limit can be set by changing the [search.max_buckets] cluster level setting.',
    { max_buckets: MAX_BUCKETS },
  );
}

export const compositeAgg: AggRunner = (body, docs, ctx, sub) => {
  const req = parseComposite(body);
  const sources = req.sources.map((s) => resolveSource(s, ctx));
  const rawAfter = req.after === undefined ? undefined : afterValues(req.after, req.sources);
  checkSize(req.size);
  const after = rawAfter?.map((v, i) => (v === null ? null : sources[i].parseAfter(v)));
  const groups = [...groupByKey(docs, sources, after).values()];
  const page = groups.sort((a, b) => compareKeys(a.key, b.key, req.sources)).slice(0, Math.max(0, req.size));
  const buckets: JsonObject[] = page.map((g) => ({ key: renderKey(g.key, sources), doc_count: g.docs.length, ...sub(g.docs) }));
  // after_key is the last bucket's key, and absent with no buckets (InternalComposite).
  const last = page.at(-1);
  const out: JsonObject = last === undefined ? {} : { after_key: renderKey(last.key, sources) };
  out.buckets = buckets;
  return out;
};
