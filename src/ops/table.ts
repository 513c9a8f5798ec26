import type { EndpointName } from '../http/endpoints.ts';
import type { OpHandler } from './context.ts';
import { deleteDoc, getDoc, indexDoc } from './doc.ts';
import { createIndex, deleteIndex, getIndex, getMapping, indexExists, putIndexMapping, refresh } from './index-admin.ts';
import { clusterHealth, info } from './info.ts';
import { catCount, catIndices } from './cat.ts';
import { count, search } from './search.ts';
import { updateDoc } from './update.ts';
import { bulk } from './bulk.ts';
import { mget } from './mget.ts';
import { clearScroll, scroll } from './scroll.ts';
import { createPit, deletePit, listPits } from './pit.ts';
import { msearch } from './msearch.ts';
import { deleteByQuery, updateByQuery } from './by-query.ts';
import { resolveIndex } from './resolve-index.ts';
import { getSettings } from './settings.ts';
import { getAliases } from './aliases.ts';
import { nodesInfo } from './nodes.ts';
import { fieldCaps } from './field-caps.ts';

/** Endpoint → handler: the one place where the request path meets an ops module. */
export const OPS: Record<EndpointName, OpHandler> = {
  scroll,
  clear_scroll: clearScroll,
  pit_create: createPit,
  pit_delete: deletePit,
  pit_list: listPits,
  nodes_info: nodesInfo,
  resolve_index: resolveIndex,
  settings_get: getSettings,
  alias_get: getAliases,
  field_caps: fieldCaps,
  info,
  cluster_health: clusterHealth,
  doc_index: indexDoc,
  doc_create: indexDoc,
  doc_get: getDoc,
  doc_source: getDoc,
  doc_delete: deleteDoc,
  doc_update: updateDoc,
  search,
  count,
  index_create: createIndex,
  index_get: getIndex,
  index_exists: indexExists,
  index_delete: deleteIndex,
  mapping_get: getMapping,
  mapping_put: putIndexMapping,
  refresh,
  cat_indices: catIndices,
  cat_count: catCount,
  bulk,
  mget,
  msearch,
  delete_by_query: deleteByQuery,
  update_by_query: updateByQuery,
};
