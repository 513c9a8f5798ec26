import { EngineError } from '../errors.ts';
import type { WriteConditions } from '../ops/versioning.ts';
import type { IndexState } from '../store/index-state.ts';
import type { RestRequest } from './rest-request.ts';
import type { JsonObject } from '../json.ts';

export const WRITE_PARAMS = ['routing', 'refresh', 'timeout', 'version', 'version_type', 'if_seq_no', 'if_primary_term', 'op_type', 'pipeline', 'wait_for_active_shards', 'require_alias'];
export const SOURCE_PARAMS = ['_source', '_source_includes', '_source_excludes', '_source_include', '_source_exclude'];

/** Concurrency conditions from URL parameters. */
export function writeConditions(req: RestRequest): WriteConditions {
  const vt = req.str('version_type');
  if (vt !== undefined && !['internal', 'external', 'external_gte'].includes(vt)) {
    throw new EngineError(400, 'illegal_argument_exception', `No version type match [${vt}]`);
  }
  const opType = req.str('op_type');
  if (opType !== undefined && opType !== 'index' && opType !== 'create') {
    throw new EngineError(400, 'illegal_argument_exception', `opType must be 'create' or 'index', found: [${opType}]`);
  }
  return {
    opType: opType as WriteConditions['opType'],
    version: req.int('version'),
    versionType: vt as WriteConditions['versionType'],
    ifSeqNo: req.int('if_seq_no'),
    ifPrimaryTerm: req.int('if_primary_term'),
  };
}

export type RefreshPolicy = 'false' | 'true' | 'wait_for';

export function refreshPolicy(req: RestRequest): RefreshPolicy {
  const v = req.str('refresh');
  if (v === undefined || v === 'false') return 'false';
  if (v === '' || v === 'true') return 'true';
  if (v === 'wait_for') return 'wait_for';
  throw new EngineError(400, 'illegal_argument_exception', `Unknown value for refresh: [${v}].`);
}

/** Applies the refresh policy after a write and marks the response like OpenSearch does. */
export function applyRefresh(policy: RefreshPolicy, indices: Iterable<IndexState>, body: JsonObject | undefined): void {
  if (policy === 'false') return;
  for (const idx of indices) idx.refresh();
  if (policy === 'true' && body !== undefined) body.forced_refresh = true;
}

export interface SourceSpec {
  fetch: boolean;
  includes?: string[];
  excludes?: string[];
}

/** `_source=false|true|a,b`, `_source_includes`, `_source_excludes` (URL forms). */
export function sourceSpec(req: RestRequest): SourceSpec {
  const src = req.str('_source');
  const includes = req.list('_source_includes') ?? req.list('_source_include');
  const excludes = req.list('_source_excludes') ?? req.list('_source_exclude');
  if (src === 'false') return { fetch: false };
  if (src === undefined || src === 'true' || src === '') return { fetch: true, includes, excludes };
  return { fetch: true, includes: src.split(','), excludes };
}
