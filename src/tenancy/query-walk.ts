/**
 * The query walker: every query object is dispatched on its single type key to a handler that
 * checks or rewrites it and walks its children. A type OpenSearch does not know either is its
 * `parsing_exception` (`unknown query [x]`); a known type without a handler is refused: a construct
 * osproxy does not understand could name a field or read another index.
 */
import type { Json, JsonObject } from '../core/json.ts';
import { malformed, refuse } from './errors.ts';
import { rewriteMoreLikeThis, rewritePercolate } from './doc-refs.ts';
import { assertKnownKeys, expectObject } from './json-shape.ts';
import { rewriteIdsQuery } from './meta-queries.ts';
import { compoundHandlers } from './query-compound.ts';
import { leafHandlers, type QueryHandler } from './query-leaves.ts';
import { OPENSEARCH_QUERY_TYPES, unknownQueryReason } from './query-names.ts';
import type { RewriteContext } from './scope.ts';
import { vectorHandlers } from './vector-queries.ts';

const IDS_KEYS: ReadonlySet<string> = new Set(['values', 'type', 'boost', '_name']);

const HANDLERS: ReadonlyMap<string, QueryHandler> = new Map<string, QueryHandler>([
  ...leafHandlers(),
  ...compoundHandlers(),
  ...vectorHandlers(),
  [
    'ids',
    (body, ctx, path) => {
      const b = expectObject(body, path);
      assertKnownKeys(b, IDS_KEYS, path);
      return rewriteIdsQuery(b, ctx, path);
    },
  ],
  ['more_like_this', (body, ctx, path) => rewriteMoreLikeThis(expectObject(body, path), ctx, path)],
  ['percolate', (body, ctx, path) => rewritePercolate(expectObject(body, path), ctx, path)],
]);

export function walkQuery(query: Json, ctx: RewriteContext, path: string): JsonObject {
  const q = expectObject(query, path);
  const types = Object.keys(q);
  if (types.length !== 1) malformed('malformed_query', `[${path}] must hold exactly one query type`);
  const type = types[0];
  const handler = HANDLERS.get(type);
  if (handler === undefined) {
    if (!OPENSEARCH_QUERY_TYPES.has(type)) malformed('unknown_query', unknownQueryReason(type));
    refuse('unsupported_query', `[${path}] uses the query type [${type}], which osproxy does not serve to tenants: it cannot be proven to stay inside the tenant's documents`);
  }
  return handler(q[type], ctx, `${path}.${type}`);
}
