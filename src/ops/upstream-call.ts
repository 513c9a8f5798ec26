import type { Dispatcher } from 'undici';
import type { Readable } from 'node:stream';
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import { badGateway } from '../http/errors.ts';
import type { Target } from '../tenancy/index.ts';
import { logicalText, PHYSICAL_MARK } from '../tenancy/mapping/physical-names.ts';
import type { UpstreamCluster, UpstreamRequest, UpstreamResponse } from '../upstream/cluster.ts';
import { isWhole, type SizedAnswer } from '../upstream/sized-answer.ts';
import type { OpContext } from './context.ts';

export interface CallOptions {
  method: Dispatcher.HttpMethod;
  path: string;
  query?: URLSearchParams;
  body?: Buffer | string | Readable;
  idempotent?: boolean;
  /** The query's `filter_path` was built for the upstream (search: the hit identity kept); others are dropped. */
  filterPath?: boolean;
}

/**
 * Response-format parameters osproxy applies itself to what it returns (server/format-reply.ts):
 * the upstream's own formatting would only be undone, and its `filter_path` could hide what the
 * mapping reads. `error_trace` is never passed on: upstream stack traces are not shown to tenants.
 */
const FORMAT_PARAMS = ['pretty', 'human', 'error_trace', 'filter_path'];

function upstreamQuery(query: URLSearchParams | undefined, keepFilterPath: boolean): string {
  if (query === undefined || query.size === 0) return '';
  // The usual query (routing, refresh, …) has no format parameter: sent as it is, without a copy.
  if (!FORMAT_PARAMS.some((k) => query.has(k))) return `?${query.toString()}`;
  const q = new URLSearchParams();
  for (const [k, v] of query) if (!FORMAT_PARAMS.includes(k) || (k === 'filter_path' && keepFilterPath)) q.append(k, v);
  const text = q.toString();
  return text === '' ? '' : `?${text}`;
}

/** The upstream request for `opts`: the query without format parameters, the request id, the body's type. */
function upstreamRequest(ctx: OpContext, opts: CallOptions): UpstreamRequest {
  const headers: Record<string, string> = { 'x-opaque-id': ctx.id };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  return {
    method: opts.method,
    path: opts.path + upstreamQuery(opts.query, opts.filterPath === true),
    headers,
    body: opts.body,
    idempotent: opts.idempotent ?? (opts.method === 'GET' || opts.method === 'HEAD'),
  };
}

/** `send`, its time charged to the request's upstream share. */
async function timed<T>(ctx: OpContext, send: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await send();
  } finally {
    ctx.addUpstreamMs(performance.now() - started);
  }
}

/** Sends one upstream request and charges its time to the request's upstream share. */
export function callUpstream(ctx: OpContext, cluster: UpstreamCluster, opts: CallOptions): Promise<UpstreamResponse> {
  return timed(ctx, () => cluster.request(upstreamRequest(ctx, opts)));
}

/**
 * {@link callUpstream} for an answer read whole when it declares at most `wholeUpTo` bytes and
 * streamed otherwise (upstream/sized-answer.ts); time to the whole body or to the headers.
 */
export function callUpstreamSized(ctx: OpContext, cluster: UpstreamCluster, opts: CallOptions & { body?: Buffer | string }, wholeUpTo: number): Promise<SizedAnswer> {
  return timed(ctx, () => cluster.requestSized(upstreamRequest(ctx, opts), wholeUpTo));
}

export interface JsonAnswer {
  status: number;
  body: Json | undefined;
}

/**
 * {@link callUpstream} then {@link readUpstreamJson}, for an answer read whole: the body arrives
 * in one buffer (upstream/buffered-answer.ts), with no body stream per request.
 */
export async function callUpstreamJson(ctx: OpContext, cluster: UpstreamCluster, opts: CallOptions & { body?: Buffer | string }): Promise<JsonAnswer> {
  const answer = await timed(ctx, () => cluster.requestBuffered(upstreamRequest(ctx, opts)));
  return { status: answer.status, body: parseUpstreamJson(answer.body.toString('utf8')) };
}

function parseUpstreamJson(text: string): Json | undefined {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw badGateway('upstream_bad_response', 'the upstream answered with a body that is not JSON');
  }
}

/** Reads a (small) upstream JSON body; a non-JSON answer is a 502, never passed through raw. */
export async function readUpstreamJson(ctx: OpContext, res: UpstreamResponse | SizedAnswer): Promise<Json | undefined> {
  if (isWhole(res)) return parseUpstreamJson(res.body.toString('utf8'));
  const started = performance.now();
  let text: string;
  try {
    text = await res.body.text();
  } catch {
    // The connection failed while the answer was being read (reset, timeout): a 502, never a 500.
    throw badGateway('upstream_transport_failed', 'the connection to the upstream failed mid-response', { type: 'transport_exception', retryable: true });
  } finally {
    ctx.addUpstreamMs(performance.now() - started);
  }
  return parseUpstreamJson(text);
}

const PREVIEW = "Preview of field's value: '";

/** Layout keys (index_uuid / shard / node ids describe the physical layout): never shown to a tenant. */
export function isLayoutKey(k: string): boolean {
  return k === 'index_uuid' || k === 'shard' || k === 'node';
}

/**
 * True when mapUpstreamError, given only `target` and the id pair `pid` → `id`, certainly leaves
 * `s` as it is (nothing for any of its replacements to act on); false: it may change it.
 */
export function keptAsItIs(s: string, target: Target, pid: string): boolean {
  return !s.includes(PREVIEW) && !s.includes(pid) && !s.includes(target.physicalIndex) && !s.includes(PHYSICAL_MARK);
}

/** Replaces physical names by logical ones in every string of an upstream error. */
function mapStrings(node: Json, replace: (s: string) => string): Json {
  if (typeof node === 'string') return replace(node);
  if (Array.isArray(node)) return node.map((n) => mapStrings(n, replace));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) {
    if (isLayoutKey(k)) continue;
    out[k] = mapStrings(v, replace);
  }
  return out;
}

/**
 * Upstream errors pass through with names mapped (SPEC §4.7): physical index → logical, physical
 * id → logical id; any remaining trace of a physical shared index name is masked.
 */
export function mapUpstreamError(body: Json | undefined, targets: Target[], ids: Map<string, string> = new Map()): Json {
  if (body === undefined) return { error: { root_cause: [], type: 'exception', reason: 'upstream error' }, status: 500 };
  const byPhysical = new Map<string, string>();
  for (const t of targets) if (!byPhysical.has(t.physicalIndex)) byPhysical.set(t.physicalIndex, t.lindex);
  const names = [...byPhysical.keys()].sort((a, b) => b.length - a.length);
  const replace = (s: string): string => {
    // Error bodies never carry document values (SPEC §4.7); OpenSearch quotes them in previews.
    // (Each step is skipped when it has nothing to replace: most strings, e.g. every `result` of a bulk, have none.)
    let out = s.includes(PREVIEW) ? s.replace(/Preview of field's value: '[\s\S]*'/, "Preview of field's value: [redacted]") : s;
    for (const [pid, id] of ids) if (out.includes(pid)) out = out.split(pid).join(id);
    for (const name of names) if (out.includes(name)) out = out.split(name).join(byPhysical.get(name) as string);
    // Per-tenant field names (shared placement) back to the tenant's.
    return logicalText(out);
  };
  return mapStrings(body, replace);
}

/** An upstream error as relayed to a client: names mapped, plus osproxy's block (SPEC §4.7). */
export function relayedUpstreamError(ctx: OpContext, status: number, body: Json | undefined, targets: Target[], ids?: Map<string, string>): Json {
  const mapped = mapUpstreamError(body, targets, ids);
  if (!isObject(mapped) || mapped.error === undefined) return mapped;
  return { ...mapped, osproxy: { code: 'upstream_refused', retryable: status === 429 || status >= 500, request_id: ctx.id } };
}

/** Sends an upstream error to the client with names mapped, keeping its status. */
export function upstreamErrorStatus(res: UpstreamResponse): number {
  return res.status >= 400 ? res.status : 502;
}
