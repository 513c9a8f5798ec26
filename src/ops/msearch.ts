/**
 * `GET/POST /_msearch`, `/{i}/_msearch` (SPEC §4.3): every header/body pair is resolved and wrapped
 * on its own; a pair that fails (unknown index, isolation refusal) becomes its position's error item
 * and is never sent. Valid pairs are grouped per cluster, one upstream `_msearch` each.
 *
 * Two response paths:
 * - streamed: exactly one upstream `_msearch` whose positions are the client's positions 0..n-1
 *   (every pair valid, one cluster). The upstream body is piped through the msearch hit transform.
 * - buffered: anything else (error items, empty targets, several clusters). Each upstream response
 *   still passes through the same transform (so hits are mapped by the same rules), but into
 *   memory (capped at `limits.max_hit_bytes`), and `responses` is re-assembled in request order.
 * The client's `filter_path` is not forwarded upstream: it could hide the names hits are mapped by.
 */
import { pipeline } from 'node:stream/promises';
import { Writable, type Transform } from 'node:stream';
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { asClientError, badGateway, errorBody, illegalArgument, indexNotFound, parseFailed, validationFailed, type OsproxyError } from '../http/errors.ts';
import { jsonReply, type Reply } from '../http/reply.ts';
import { createMsearchResponseTransform, type JsonPath } from '../stream/index.ts';
import { checkSearchParams, rewriteSearchBody, type HitContext, type Target } from '../tenancy/index.ts';
import type { UpstreamCluster } from '../upstream/cluster.ts';
import type { OpContext } from './context.ts';
import { mappedErrorRule, mappedHit, topHitsRules, transformedReply } from './hit-stream.ts';
import { checkContentType, utf8Text } from './json-body.ts';
import { checkTopHitsDepth, emptySearch, tenantRouted } from './search-request.ts';
import { explainTargets, oneCluster } from './targets.ts';
import { callUpstream, readUpstreamJson, relayedUpstreamError } from './upstream-call.ts';

/** Header keys OpenSearch accepts; the ones in FORWARDED_HEADER_KEYS reach the upstream as they are. */
const HEADER_KEYS = new Set([
  'index', 'indices', 'ignore_unavailable', 'allow_no_indices', 'expand_wildcards', 'routing', 'preference', 'request_cache',
  'search_type', 'allow_partial_search_results', 'ccs_minimize_roundtrips', 'cancel_after_time_interval', 'phase_took',
]);
const FORWARDED_HEADER_KEYS = ['preference', 'request_cache', 'search_type', 'allow_partial_search_results'];
const URL_PARAMS = ['max_concurrent_searches', 'rest_total_hits_as_int', 'typed_keys', 'search_type', 'pre_filter_shard_size', 'ccs_minimize_roundtrips'];

interface Pair {
  header: JsonObject;
  body: JsonObject;
}

interface Prepared {
  targets: Target[];
  cluster: UpstreamCluster;
  clusterId: string;
  header: JsonObject;
  body: JsonObject;
  hits: HitContext;
}

type Slot = { ready: JsonObject } | { prepared: Prepared };

function badMsearch(reason: string): OsproxyError {
  return illegalArgument('malformed_msearch', reason);
}

function parseLine(line: string, n: number, what: string): JsonObject {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    throw parseFailed('malformed_msearch', `msearch line ${n} (${what}) is not valid JSON`);
  }
  if (!isObject(v)) throw badMsearch(`msearch line ${n} (${what}) must be a JSON object`);
  return v;
}

/** The NDJSON pairs; any malformed header or body fails the whole request (like OpenSearch). */
export function parsePairs(text: string): Pair[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length === 0) throw validationFailed('no_requests', 'Validation Failed: 1: no requests added;');
  const pairs: Pair[] = [];
  for (let i = 0; i < lines.length; i += 2) {
    const header = lines[i].trim() === '' ? {} : parseLine(lines[i], i + 1, 'header');
    for (const key of Object.keys(header)) {
      if (!HEADER_KEYS.has(key)) throw badMsearch(`key [${key}] is not supported in the metadata section`);
    }
    if (i + 1 >= lines.length) throw badMsearch(`msearch line ${i + 1} is a header without a search body`);
    pairs.push({ header, body: parseLine(lines[i + 1], i + 2, 'body') });
  }
  return pairs;
}

function headerIndex(ctx: OpContext, header: JsonObject): string | undefined {
  const index = header.index ?? header.indices;
  if (index === undefined) return ctx.endpoint.index;
  if (Array.isArray(index)) return index.map(String).join(',');
  if (typeof index !== 'string') throw badMsearch('msearch header [index] must be a string or an array of strings');
  return index;
}


/** Resolves and wraps one pair; refusals are thrown and become the position's error item. */
function prepare(ctx: OpContext, pair: Pair): Slot {
  const { header, body } = pair;
  const { targets, missing } = ctx.scope.resolve(headerIndex(ctx, header));
  if (missing.length > 0 && header.ignore_unavailable !== true && header.ignore_unavailable !== 'true') throw indexNotFound(missing[0]);
  if (targets.length === 0) return { ready: { ...emptySearch(), status: 200 } };
  const scope = ctx.scope.searchScope(targets);
  const params: [string, string][] = [...ctx.query];
  if (typeof header.search_type === 'string') params.push(['search_type', header.search_type]);
  checkSearchParams(params, scope);
  checkTopHitsDepth(body.aggs ?? body.aggregations);
  const rewritten = rewriteSearchBody(body, scope);
  const cluster = oneCluster(ctx, targets);
  const up: JsonObject = { index: [...new Set(targets.map((t) => t.physicalIndex))] };
  for (const key of FORWARDED_HEADER_KEYS) if (header[key] !== undefined) up[key] = header[key];
  if (tenantRouted(targets)) up.routing = ctx.scope.tenant;
  else if (header.routing !== undefined && targets.every((t) => t.placement !== 'shared')) up.routing = header.routing;
  return { prepared: { targets, cluster, clusterId: targets[0].cluster, header: up, body: rewritten, hits: ctx.scope.hitContext(targets) } };
}

/** Hits (top-level and in `top_hits`), shard failures and per-item errors of upstream position i. */
function transformFor(ctx: OpContext, group: Prepared[]): Transform {
  const at = (path: JsonPath): Prepared | undefined => (typeof path[1] === 'number' ? group[path[1]] : undefined);
  const targetsAt = (path: JsonPath): Target[] => at(path)?.targets ?? [];
  return createMsearchResponseTransform({
    maxHitBytes: ctx.services.config.limits.max_hit_bytes,
    onHit: (hit, i) => mappedHit(hit, group[i]?.hits),
    extraRules: [
      ...topHitsRules(['responses', '*'], (path) => at(path)?.hits),
      mappedErrorRule(['responses', '*', '_shards', 'failures'], targetsAt),
      mappedErrorRule(['responses', '*', 'error'], targetsAt),
    ],
  });
}

function upstreamParams(ctx: OpContext): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, v] of ctx.query) if (URL_PARAMS.includes(k)) q.append(k, v);
  return q;
}

function ndjson(group: Prepared[]): string {
  return group.map((p) => `${JSON.stringify(p.header)}\n${JSON.stringify(p.body)}\n`).join('');
}

/** Pipes an upstream msearch body through the transform into memory, at most `cap` bytes. */
async function collect(body: NodeJS.ReadableStream, transform: NodeJS.ReadWriteStream, cap: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > cap) {
        done(badGateway('upstream_response_too_large', `an upstream msearch response exceeded ${cap} bytes; send fewer or smaller searches`));
        return;
      }
      chunks.push(chunk);
      done();
    },
  });
  await pipeline(body, transform, sink);
  return Buffer.concat(chunks);
}

export async function msearch(ctx: OpContext): Promise<Reply> {
  const raw = await ctx.body();
  checkContentType(ctx);
  const pairs = parsePairs(utf8Text(raw));
  const slots: Slot[] = pairs.map((pair) => {
    try {
      return prepare(ctx, pair);
    } catch (e) {
      const shaped = asClientError(e);
      if (shaped.status >= 500) throw e;
      return { ready: errorBody(shaped, ctx.id) as unknown as JsonObject };
    }
  });
  const groups = new Map<string, number[]>();
  slots.forEach((s, pos) => {
    if ('prepared' in s) groups.set(s.prepared.clusterId, [...(groups.get(s.prepared.clusterId) ?? []), pos]);
  });
  explainTargets(ctx, slots.flatMap((s) => ('prepared' in s ? s.prepared.targets : [])));
  ctx.explain.rewrites.push('msearch_wrap');

  const streamable = groups.size === 1 && slots.every((s) => 'prepared' in s);
  const out: JsonObject[] = slots.map((s) => ('ready' in s ? s.ready : {}));
  let took = 0;
  for (const positions of groups.values()) {
    const group = positions.map((p) => (slots[p] as { prepared: Prepared }).prepared);
    const res = await callUpstream(ctx, group[0].cluster, {
      method: 'POST',
      path: '/_msearch',
      query: upstreamParams(ctx),
      body: ndjson(group),
      idempotent: true,
    });
    const allTargets = group.flatMap((p) => p.targets);
    if (res.status !== 200) return jsonReply(res.status, relayedUpstreamError(ctx, res.status, await readUpstreamJson(ctx, res), allTargets));
    if (streamable) return transformedReply(res.body, transformFor(ctx, group));
    const answer = JSON.parse((await collect(res.body, transformFor(ctx, group), ctx.services.config.limits.max_hit_bytes)).toString('utf8')) as Json;
    const responses = isObject(answer) && Array.isArray(answer.responses) ? answer.responses : undefined;
    if (responses === undefined || responses.length !== positions.length) {
      throw badGateway('upstream_bad_response', 'the upstream msearch response does not match the request');
    }
    if (isObject(answer) && typeof answer.took === 'number') took = Math.max(took, answer.took);
    positions.forEach((p, i) => (out[p] = isObject(responses[i]) ? responses[i] : { error: { type: 'exception', reason: 'missing response' }, status: 500 }));
  }
  return jsonReply(200, { took, responses: out });
}

