/**
 * A small search answer without aggregations, rewritten as one parsed tree: one `JSON.parse`, the
 * hits mapped in place, one `JSON.stringify`. It gives what the cut rules give (hit-stream.ts) for
 * the shape a search answer has, at the cost of one JSON round trip instead of a byte scan plus a
 * parse per hit. Hits are parsed either way; the other numbers of such an answer (took, shard
 * counts, totals, scores) are exact as doubles. Aggregations can hold 64-bit integers a double
 * would round, and any other shape is the cutter's to judge: for those this declines (undefined).
 */
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import type { Target } from '../tenancy/index.ts';
import { mapUpstreamError } from './upstream-call.ts';

/** Seal the `_scroll_id` / `pit_id` of a response (SPEC §4.3); absent ⇒ left as it is. */
export interface CursorIdRewriters {
  onScrollId?: (id: string) => string;
  onPitId?: (id: string) => string;
}

export interface HitTreeContext {
  ids: CursorIdRewriters;
  targets: readonly Target[];
  mapHit(hit: JsonObject): JsonObject;
}

/** The rewritten answer, or undefined when its shape is left to the cutter. */
export function rewrittenHitTree(text: string, ctx: HitTreeContext): string | undefined {
  let answer: Json;
  try {
    answer = JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
  if (!isObject(answer) || answer.aggregations !== undefined) return undefined;
  if (!rewriteHits(answer.hits, ctx) || !rewriteIds(answer, ctx.ids) || !rewriteFailures(answer._shards, ctx.targets)) return undefined;
  return JSON.stringify(answer);
}

function rewriteHits(section: Json | undefined, ctx: HitTreeContext): boolean {
  if (section === undefined) return true;
  if (!isObject(section)) return false;
  const list = section.hits;
  if (list === undefined) return true;
  if (!Array.isArray(list)) return false;
  for (let i = 0; i < list.length; i++) {
    const hit = list[i];
    if (!isObject(hit)) return false;
    list[i] = ctx.mapHit(hit);
  }
  return true;
}

function rewriteIds(answer: JsonObject, ids: CursorIdRewriters): boolean {
  return rewriteId(answer, '_scroll_id', ids.onScrollId) && rewriteId(answer, 'pit_id', ids.onPitId);
}

function rewriteId(answer: JsonObject, key: string, rewrite: ((id: string) => string) | undefined): boolean {
  const id = answer[key];
  if (id === undefined || rewrite === undefined) return true;
  if (typeof id !== 'string') return false;
  answer[key] = rewrite(id);
  return true;
}

function rewriteFailures(shards: Json | undefined, targets: readonly Target[]): boolean {
  if (shards === undefined) return true;
  if (!isObject(shards)) return false;
  if (shards.failures !== undefined) shards.failures = mapUpstreamError(shards.failures, [...targets]);
  return true;
}
