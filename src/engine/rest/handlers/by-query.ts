import { EngineError } from '../../errors.ts';
import { isObject, type Json, type JsonObject } from '../../json.ts';
import { DEFAULT_SCROLL_SIZE, executeByQuery, parseConflicts } from '../../ops/by-query.ts';
import type { EngineContext } from '../context.ts';
import type { RestRequest } from '../rest-request.ts';
import type { RestResponse, Router } from '../router.ts';
import { INDEX_EXPANSION_PARAMS, QUERY_STRING_PARAMS, searchBody, searchTargets, searchViews } from '../search-request.ts';

const BY_QUERY_PARAMS = [
  ...INDEX_EXPANSION_PARAMS, ...QUERY_STRING_PARAMS, 'conflicts', 'refresh', 'routing', 'scroll_size', 'wait_for_completion',
  'requests_per_second', 'slices', 'max_docs', 'timeout', 'wait_for_active_shards', 'scroll', 'search_type', 'search_timeout',
  'preference', 'request_cache', 'terminate_after', 'stats', 'version', 'version_type', 'pipeline', 'sort', 'from', 'size',
  '_source', '_source_includes', '_source_excludes',
];
const BODY_KEYS = new Set(['query', 'max_docs', 'conflicts', 'script', 'slice', 'size']);

const invalid = (why: string): EngineError => new EngineError(400, 'action_request_validation_exception', `Validation Failed: 1: ${why};`);

/** A body `max_docs` must agree with the URL's (`max_docs`, or the deprecated `size`), as setMaxDocsValidateIdentical checks. */
function maxDocsOf(req: RestRequest, body: JsonObject): number | undefined {
  const fromUrl = req.int('max_docs') ?? req.int('size');
  const fromBody = body.max_docs;
  if (fromBody !== undefined && typeof fromBody !== 'number') throw new EngineError(400, 'illegal_argument_exception', `[max_docs] must be a number`);
  if (fromUrl !== undefined && fromBody !== undefined && fromUrl !== fromBody) {
    throw new EngineError(400, 'illegal_argument_exception', `[max_docs] set to two different values [${fromBody}] and [${fromUrl}]`);
  }
  const maxDocs = fromUrl ?? fromBody;
  if (maxDocs === undefined) return undefined;
  if (maxDocs < 0) throw new EngineError(400, 'illegal_argument_exception', `[max_docs] parameter cannot be negative, found [${maxDocs}]`);
  if (maxDocs === 0) {
    throw invalid(`maxDocs should be greater than 0 if the request is limited to some number of documents or -1 if it isn't but it was [${maxDocs}]`);
  }
  return maxDocs;
}

/** `scroll_size` (else the body's search `size`, else 1000): hits per scroll batch. */
function scrollSizeOf(req: RestRequest, body: JsonObject): number {
  const bodySize: Json | undefined = body.size;
  const size = req.int('scroll_size') ?? (typeof bodySize === 'number' ? bodySize : DEFAULT_SCROLL_SIZE);
  if (size < 0) throw new EngineError(400, 'illegal_argument_exception', `[size] parameter cannot be negative, found [${size}]`);
  if (size === 0) throw invalid('[size] cannot be [0] in a scroll context');
  return size;
}

function handler(kind: 'delete' | 'update') {
  return (req: RestRequest, ctx: EngineContext): RestResponse => {
    if (req.str('wait_for_completion') === 'false') {
      throw new EngineError(400, 'illegal_argument_exception', 'the embedded engine runs by-query requests synchronously: wait_for_completion=false is not supported');
    }
    const body = searchBody(req, req.json());
    for (const key of Object.keys(body)) {
      if (!BODY_KEYS.has(key) || (kind === 'delete' && key === 'script')) {
        throw new EngineError(400, 'parsing_exception', `[${kind === 'delete' ? 'delete_by_query' : 'update_by_query'}] unknown field [${key}]`);
      }
    }
    if (kind === 'delete' && body.query === undefined) throw invalid('query is missing');
    const maxDocs = maxDocsOf(req, body);
    const scrollSize = scrollSizeOf(req, body);
    const proceedOnConflict = parseConflicts(req.str('conflicts') ?? body.conflicts);
    const refresh = req.bool('refresh'); // a boolean here (AbstractBaseReindexRestHandler), not a refresh policy
    const targets = searchTargets(ctx.state, req);
    const out = executeByQuery(ctx.state, {
      kind,
      indices: targets.map((t) => t.index),
      views: searchViews(targets),
      query: body.query,
      script: isObject(body) ? body.script : undefined,
      maxDocs,
      proceedOnConflict,
      scrollSize,
    });
    // refresh=true refreshes the indexes that were written to, once the request has finished.
    if (refresh) for (const idx of out.touched) idx.refresh();
    return { status: out.status, body: out.body };
  };
}

export function registerByQueryRoutes(r: Router): void {
  r.add(['POST'], '/{index}/_delete_by_query', BY_QUERY_PARAMS, handler('delete'));
  r.add(['POST'], '/{index}/_update_by_query', BY_QUERY_PARAMS, handler('update'));
}
