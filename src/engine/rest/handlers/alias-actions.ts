import { applyAliasActions } from '../../ops/alias-actions.ts';
import { parseAliasesBody, parseDeleteAlias, parsePutAlias } from '../../ops/alias-request.ts';
import type { EngineContext } from '../context.ts';
import type { RestRequest } from '../rest-request.ts';
import type { RestResponse, Router } from '../router.ts';

const ACK: RestResponse = { status: 200, body: { acknowledged: true } };
const PARAMS = ['timeout', 'master_timeout', 'cluster_manager_timeout'];

/** `POST /_aliases` (RestIndicesAliasesAction): every action of the body applied as one change. */
function aliasesHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  applyAliasActions(ctx.state, parseAliasesBody(req.json()));
  return ACK;
}

/** `PUT|POST /{index}/_alias/{name}` and its variants (RestIndexPutAliasAction): one add action. */
function putAliasHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  applyAliasActions(ctx.state, [parsePutAlias(req.pathParams.index, req.pathParams.name, req.json())]);
  return ACK;
}

/** `DELETE /{index}/_alias/{name}` (RestIndexDeleteAliasesAction): one remove action. */
function deleteAliasHandler(req: RestRequest, ctx: EngineContext): RestResponse {
  applyAliasActions(ctx.state, [parseDeleteAlias(req.pathParams.index, req.pathParams.name)]);
  return ACK;
}

export function registerAliasActionRoutes(r: Router): void {
  r.add(['POST'], '/_aliases', PARAMS, aliasesHandler);
  for (const segment of ['_alias', '_aliases']) {
    r.add(['PUT', 'POST'], `/{index}/${segment}/{name}`, PARAMS, putAliasHandler);
    r.add(['PUT', 'POST'], `/${segment}/{name}`, PARAMS, putAliasHandler);
    r.add(['PUT'], `/{index}/${segment}`, PARAMS, putAliasHandler);
    r.add(['DELETE'], `/{index}/${segment}/{name}`, PARAMS, deleteAliasHandler);
  }
  r.add(['PUT'], '/_alias', PARAMS, putAliasHandler);
}
