import { EngineError } from '../../errors.ts';
import { isObject } from '../../json.ts';
import { executeByQuery, parseConflicts } from '../../ops/by-query.ts';
import type { EngineContext } from '../context.ts';
import { refreshPolicy } from '../params.ts';
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
    if (kind === 'delete' && body.query === undefined) {
      throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: query is missing;');
    }
    const targets = searchTargets(ctx.state, req);
    const maxDocs = req.int('max_docs') ?? (typeof body.max_docs === 'number' ? body.max_docs : undefined);
    const out = executeByQuery(ctx.state, {
      kind,
      indices: targets,
      views: searchViews(targets, req.str('routing')),
      query: body.query,
      script: isObject(body) ? body.script : undefined,
      maxDocs,
      proceedOnConflict: parseConflicts(req.str('conflicts') ?? body.conflicts),
    });
    if (refreshPolicy(req) !== 'false') for (const idx of targets) idx.refresh();
    return out;
  };
}

export function registerByQueryRoutes(r: Router): void {
  r.add(['POST'], '/{index}/_delete_by_query', BY_QUERY_PARAMS, handler('delete'));
  r.add(['POST'], '/{index}/_update_by_query', BY_QUERY_PARAMS, handler('update'));
}
