/**
 * Search-shaped answers streamed through the hit transform (SPEC §4.5): every hit — top level,
 * in `top_hits` at any bucket depth, in each msearch response — is mapped to the tenant's names or
 * the response is cut; shard failures are mapped like upstream errors.
 */
import { pipeline, type Readable, type Transform } from 'node:stream';
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { badGateway } from '../http/errors.ts';
import { streamReply, type Reply } from '../http/reply.ts';
import { createSearchResponseTransform, type CutRule, type JsonPath } from '../stream/index.ts';
import { mapHit, type HitContext, type Target } from '../tenancy/index.ts';
import type { OpContext } from './context.ts';
import { mapUpstreamError } from './upstream-call.ts';

/**
 * How many path segments between `aggregations` and a `top_hits` result are searched: each bucket
 * aggregation level adds up to three (`name.buckets.<i>`), so 24 covers 8 aggregation levels
 * (search-request.ts refuses deeper `top_hits`).
 */
const TOP_HITS_DEPTH = 24;

export function mappedHit(hit: JsonObject, hits: HitContext | undefined): JsonObject {
  const mapped = hits === undefined ? undefined : mapHit(hit, hits);
  // The filter makes this unreachable; if it ever happens the response is cut, never leaked.
  if (mapped === undefined) throw badGateway('foreign_hit', 'a hit outside the tenant scope was refused');
  return mapped;
}

function parseRaw(raw: Buffer): Json {
  return JSON.parse(raw.toString('utf8')) as Json;
}

/** `prefix.aggregations.*…*.hits.hits.*`: each `top_hits` hit mapped with the context of its response. */
export function topHitsRules(prefix: readonly string[], hitsAt: (path: JsonPath) => HitContext | undefined): CutRule[] {
  const rules: CutRule[] = [];
  for (let depth = 1; depth <= TOP_HITS_DEPTH; depth++) {
    rules.push({
      path: [...prefix, 'aggregations', ...Array<string>(depth).fill('*'), 'hits', 'hits', '*'],
      onValue(raw, at) {
        const hit = parseRaw(raw);
        if (!isObject(hit)) throw badGateway('unexpected_hit', 'an aggregation hit had an unexpected shape');
        return JSON.stringify(mappedHit(hit, hitsAt(at)));
      },
    });
  }
  return rules;
}

/** Errors and partial shard failures name physical indexes (and nodes): mapped like any upstream error. */
export function mappedErrorRule(path: readonly string[], targetsAt: (path: JsonPath) => readonly Target[]): CutRule {
  return { path, onValue: (raw, at) => JSON.stringify(mapUpstreamError(parseRaw(raw), [...targetsAt(at)])) };
}

/** Seal the `_scroll_id` / `pit_id` of a response (SPEC §4.3); absent ⇒ copied through. */
export interface CursorIdRewriters {
  onScrollId?: (id: string) => string;
  onPitId?: (id: string) => string;
}

/** An upstream body piped through a rewriting transform, as a streamed 200 reply. */
export function transformedReply(body: Readable, transform: Transform): Reply {
  // Errors on either side destroy both; the sender then cuts the client connection.
  return streamReply(200, pipeline(body, transform, () => {}));
}

/** A search response streamed to the client, each hit rewritten; memory ≈ the largest hit. */
export function streamHits(ctx: OpContext, body: Readable, hits: HitContext, ids: CursorIdRewriters = {}): Reply {
  const targets = [...hits.byPhysical.values()].flat();
  const transform = createSearchResponseTransform({
    ...ids,
    maxHitBytes: ctx.services.config.limits.max_hit_bytes,
    onHit: (hit) => mappedHit(hit, hits),
    extraRules: [...topHitsRules([], () => hits), mappedErrorRule(['_shards', 'failures'], () => targets)],
  });
  return transformedReply(body, transform);
}
