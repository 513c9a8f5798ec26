import { EngineError } from '../../errors.ts';
import { isObject, type Json, type JsonObject } from '../../json.ts';
import { compareScalars } from '../sort.ts';

/** A bucket being built: its key, documents count and rendered sub-aggregations. */
export interface Bucket {
  key: string | number;
  docCount: number;
  subs: JsonObject;
}

type Criterion = { by: string; asc: boolean };

function criteria(order: Json | undefined, dflt: Criterion[]): Criterion[] {
  if (order === undefined || order === null) return dflt;
  const list = Array.isArray(order) ? order : [order];
  return list.filter(isObject).flatMap((o) =>
    Object.entries(o).map(([by, dir]) => {
      const d = String(dir).toLowerCase();
      if (d !== 'asc' && d !== 'desc') throw new EngineError(400, 'parsing_exception', `Unknown order direction [${String(dir)}]`);
      return { by: by === '_term' ? '_key' : by, asc: d === 'asc' };
    }),
  );
}

/** A sub-aggregation's value for ordering: `name` (single value) or `name.metric`. */
function subValue(b: Bucket, path: string): number {
  const [name, metric] = path.split('.');
  const agg = b.subs[name];
  if (!isObject(agg)) throw new EngineError(400, 'aggregation_execution_exception', `Invalid aggregator order path [${path}]. Unknown aggregation [${name}]`);
  const v = metric !== undefined ? agg[metric] : agg.value !== undefined ? agg.value : agg.doc_count;
  return typeof v === 'number' ? v : -Infinity;
}

function compareBy(a: Bucket, b: Bucket, c: Criterion): number {
  let d: number;
  if (c.by === '_count') d = a.docCount - b.docCount;
  else if (c.by === '_key') d = compareScalars(a.key, b.key);
  else d = subValue(a, c.by) - subValue(b, c.by);
  return c.asc ? d : -d;
}

/** Sorts buckets by the `order` spec; ties broken by key ascending (OpenSearch's terms default). */
export function sortBuckets(buckets: Bucket[], order: Json | undefined, dflt: Criterion[]): Bucket[] {
  const list = criteria(order, dflt);
  return buckets.sort((a, b) => {
    for (const c of list) {
      const d = compareBy(a, b, c);
      if (d !== 0) return d;
    }
    return compareScalars(a.key, b.key);
  });
}
