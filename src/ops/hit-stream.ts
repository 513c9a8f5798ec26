/**
 * Search-shaped answers streamed through the hit transform (SPEC §4.5): every hit — top level,
 * in `top_hits` at any bucket depth, in each msearch response — is mapped to the tenant's names or
 * the response is cut; shard failures are mapped like upstream errors.
 */
import { pipeline, type Readable, type Transform } from 'node:stream';
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { badGateway, OsproxyError } from '../http/errors.ts';
import { JSON_CONTENT_TYPE, streamReply, type Reply } from '../http/reply.ts';
import { JsonCutter, JsonCutterTransform, searchResponseRules, StreamJsonError, type CutRule, type JsonPath } from '../stream/index.ts';
import { mapHit, type HitContext, type Target } from '../tenancy/index.ts';
import { isWhole, type SizedAnswer } from '../upstream/sized-answer.ts';
import type { OpContext } from './context.ts';
import { rewrittenHitTree, type CursorIdRewriters } from './hit-tree.ts';
import { mapUpstreamError } from './upstream-call.ts';

/**
 * An upstream answer that declares at most this many bytes is read whole and rewritten in one
 * pass over one buffer (the same cut rules), then sent with its content-length: for the common
 * small search answer the stream plumbing (two pipelines, a Transform, chunked writes) costs more
 * than the rewriting. Larger or undeclared answers stream, memory ≈ the largest hit.
 */
export const BUFFERED_ANSWER_MAX_BYTES = 256 * 1024;

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

/** The `top_hits` paths under each prefix, built once: every search request has them among its rules. */
const topHitsPaths = new Map<string, readonly (readonly string[])[]>();

function topHitsPathsUnder(prefix: readonly string[]): readonly (readonly string[])[] {
  const key = prefix.join('\0');
  let paths = topHitsPaths.get(key);
  if (paths === undefined) {
    paths = Array.from({ length: TOP_HITS_DEPTH }, (_, k) => Object.freeze([...prefix, 'aggregations', ...Array<string>(k + 1).fill('*'), 'hits', 'hits', '*']));
    topHitsPaths.set(key, paths);
  }
  return paths;
}

/** `prefix.aggregations.*…*.hits.hits.*`: each `top_hits` hit mapped with the context of its response. */
export function topHitsRules(prefix: readonly string[], hitsAt: (path: JsonPath) => HitContext | undefined): CutRule[] {
  // One handler for every depth: a request builds one closure, not one per rule.
  const onValue = (raw: Buffer, at: JsonPath): string => {
    const hit = parseRaw(raw);
    if (!isObject(hit)) throw badGateway('unexpected_hit', 'an aggregation hit had an unexpected shape');
    return JSON.stringify(mappedHit(hit, hitsAt(at)));
  };
  return topHitsPathsUnder(prefix).map((path) => ({ path, onValue }));
}

/** Errors and partial shard failures name physical indexes (and nodes): mapped like any upstream error. */
export function mappedErrorRule(path: readonly string[], targetsAt: (path: JsonPath) => readonly Target[]): CutRule {
  return { path, onValue: (raw, at) => JSON.stringify(mapUpstreamError(parseRaw(raw), [...targetsAt(at)])) };
}

/** An upstream body piped through a rewriting transform, as a streamed 200 reply. */
export function transformedReply(body: Readable, transform: Transform): Reply {
  // Errors on either side destroy both; the sender then cuts the client connection.
  return streamReply(200, pipeline(body, transform, () => {}));
}

/** The largest answer read whole: small, and no hit in it can exceed `max_hit_bytes`. */
export function wholeAnswerLimit(ctx: OpContext): number {
  return Math.min(BUFFERED_ANSWER_MAX_BYTES, ctx.services.config.limits.max_hit_bytes);
}

/** A small answer rewritten by `rules` in one pass; a rule or scanner failure is a clean 502. */
function cutWhole(raw: Buffer, rules: readonly CutRule[], maxValueBytes: number): Reply {
  let out: Buffer[];
  try {
    const cutter = new JsonCutter(rules, { maxValueBytes });
    out = cutter.push(raw);
    out.push(...cutter.end());
  } catch (e) {
    if (e instanceof OsproxyError) throw e;
    const why = e instanceof StreamJsonError ? e.message : 'it could not be rewritten';
    throw badGateway('upstream_bad_response', `the upstream answer was refused: ${why}`);
  }
  return { status: 200, headers: { 'content-type': JSON_CONTENT_TYPE }, body: out.length === 1 ? out[0] : Buffer.concat(out) };
}

export interface HitReplyOptions extends CursorIdRewriters {
  /** The request asked for aggregations: the answer goes through the cut rules, never a parsed tree. */
  aggregations?: boolean;
}

/**
 * A search response sent to the client, each hit rewritten: an answer read whole (at most
 * {@link wholeAnswerLimit}) is rewritten before anything is sent, as one parsed tree when it
 * has no aggregations (hit-tree.ts); a larger one streams, memory ≈ the largest hit.
 */
export function streamHits(ctx: OpContext, res: SizedAnswer, hits: HitContext, options: HitReplyOptions = {}): Reply {
  const { aggregations, ...ids } = options;
  const targets = [...hits.byPhysical.values()].flat();
  const onHit = (hit: JsonObject): JsonObject => mappedHit(hit, hits);
  const maxValueBytes = ctx.services.config.limits.max_hit_bytes;
  // Built only for the cutter: the common small answer takes the tree and needs none of them.
  const rules = (): CutRule[] =>
    searchResponseRules({ ...ids, onHit, extraRules: [...topHitsRules([], () => hits), mappedErrorRule(['_shards', 'failures'], () => targets)] });
  if (!isWhole(res)) return transformedReply(res.body, new JsonCutterTransform(rules(), { maxValueBytes }));
  const tree = aggregations === true ? undefined : rewrittenHitTree(res.body.toString('utf8'), { ids, targets, mapHit: onHit });
  if (tree === undefined) return cutWhole(res.body, rules(), maxValueBytes);
  return { status: 200, headers: { 'content-type': JSON_CONTENT_TYPE }, body: tree };
}
