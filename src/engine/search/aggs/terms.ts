import { EngineError } from '../../errors.ts';
import { isObject, type Json, type JsonObject } from '../../json.ts';
import { formatDate } from '../fields/dates.ts';
import { dateFormatOf } from '../fields/values.ts';
import type { Ranked } from '../sort.ts';
import { aggField, type AggField } from './agg-field.ts';
import { sortBuckets, type Bucket } from './bucket-order.ts';
import type { AggRunner } from './types.ts';

/** include/exclude: a regex string or a list of exact values. */
function keyFilter(include: Json | undefined, exclude: Json | undefined): (key: string | number) => boolean {
  const toTest = (spec: Json | undefined): ((k: string) => boolean) | undefined => {
    if (spec === undefined || spec === null) return undefined;
    if (Array.isArray(spec)) {
      const set = new Set(spec.map(String));
      return (k) => set.has(k);
    }
    if (typeof spec === 'string') {
      const re = new RegExp(`^(?:${spec})$`, 'u');
      return (k) => re.test(k);
    }
    throw new EngineError(400, 'parsing_exception', 'terms include/exclude partitions are not supported by this engine');
  };
  const inc = toTest(include);
  const exc = toTest(exclude);
  return (key) => (inc === undefined || inc(String(key))) && (exc === undefined || !exc(String(key)));
}

/** Groups documents by each distinct value of the field (a doc counts once per value). */
export function groupByValue(field: AggField, docs: Ranked[]): Map<string | number, Ranked[]> {
  const groups = new Map<string | number, Ranked[]>();
  const add = (key: string | number, r: Ranked): void => {
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [r]);
    else list.push(r);
  };
  for (const r of docs) {
    const values = field.values(r);
    // Most fields hold one value: no need for a Set to de-duplicate.
    if (values.length === 1) add(values[0], r);
    else for (const key of new Set(values)) add(key, r);
  }
  return groups;
}

/** Renders a bucket key: dates get key_as_string, booleans "true"/"false". */
function renderKey(field: AggField, key: string | number, format: Json | undefined): JsonObject {
  const info = field.info;
  if (info?.kind === 'date' && typeof key === 'number') {
    return { key, key_as_string: formatDate(key, typeof format === 'string' ? format : dateFormatOf(info)) };
  }
  if (info?.kind === 'boolean') return { key, key_as_string: key === 1 ? 'true' : 'false' };
  return { key };
}

export const termsAgg: AggRunner = (body, docs, ctx, sub) => {
  const field = aggField(body, ctx);
  const size = typeof body.size === 'number' ? body.size : 10;
  const minDocCount = typeof body.min_doc_count === 'number' ? body.min_doc_count : 1;
  const accept = keyFilter(body.include, body.exclude);
  const groups = groupByValue(field, docs);
  // Sub-aggregations are computed up front only when the order refers to them.
  const orderKeys = (Array.isArray(body.order) ? body.order : [body.order ?? {}]).filter(isObject).flatMap((o) => Object.keys(o));
  const eager = orderKeys.some((k) => k !== '_count' && k !== '_key' && k !== '_term');
  let buckets: Bucket[] = [];
  const members = new Map<string | number, Ranked[]>();
  for (const [key, list] of groups) {
    if (list.length < minDocCount || !accept(key)) continue;
    buckets.push({ key, docCount: list.length, subs: eager ? sub(list) : {} });
    members.set(key, list);
  }
  buckets = sortBuckets(buckets, body.order, [{ by: '_count', asc: false }]);
  const shown = buckets.slice(0, size);
  if (!eager) for (const b of shown) b.subs = sub(members.get(b.key) ?? []);
  const other = buckets.slice(size).reduce((n, b) => n + b.docCount, 0);
  const showError = body.show_term_doc_count_error === true;
  return {
    doc_count_error_upper_bound: 0,
    sum_other_doc_count: other,
    buckets: shown.map((b) => ({
      ...renderKey(field, b.key, body.format),
      doc_count: b.docCount,
      ...(showError ? { doc_count_error_upper_bound: 0 } : {}),
      ...b.subs,
    })),
  };
};
