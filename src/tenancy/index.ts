/** Tenancy: tenant → placement → physical names; id codec; reserved fields; query wrapping; hit mapping. */
export { IsolationError, TenancyConfigError, type IsolationErrorType } from './errors.ts';
export {
  DEFAULT_CLUSTER,
  DEFAULT_TEMPLATES,
  TENANT_ID_PATTERN,
  couldRender,
  indexNameProblem,
  resolveTarget,
  validateLogicalIndexName,
  type PlacementInput,
  type PlacementKind,
  type RoutingMode,
  type Target,
  type TargetFields,
} from './names.ts';
export { MAX_ID_BYTES, decodeId, decodeSharedId, encodeId, encodeSharedId, splitSharedId, type SharedIdParts } from './id-codec.ts';
export {
  DEFAULT_RESERVED_FIELDS,
  assertNoReservedFields,
  injectReservedFields,
  isReservedField,
  reservedNames,
  stripReservedFields,
  type ReservedFields,
} from './reserved-fields.ts';
export { scopeFilter, type ScriptPolicy, type SearchScope } from './scope.ts';
export { checkScript } from './scripts.ts';
export { checkSearchParams, rewriteByQueryBody, rewriteCountBody, rewriteSearchBody, rewriteSearchParams } from './search-rewrite.ts';
export { buildHitContext, mapHit, mapHits, type HitContext } from './hit-mapper.ts';
