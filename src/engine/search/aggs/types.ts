import type { JsonObject } from '../../json.ts';
import type { Ranked } from '../sort.ts';
import type { SearchableIndex } from '../types.ts';

/** The search an aggregation runs in. */
export interface AggContext {
  indices: SearchableIndex[];
  now: number;
}

/** Computes one aggregation over a set of documents; `sub` runs the sub-aggregations on a bucket's docs. */
export type AggRunner = (body: JsonObject, docs: Ranked[], ctx: AggContext, sub: SubAggs) => JsonObject;

/** Runs the sub-aggregations of the current aggregation over a bucket's documents. */
export type SubAggs = (docs: Ranked[]) => JsonObject;
