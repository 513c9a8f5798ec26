/**
 * URL parameter values osproxy refuses although the parameter itself is allowed: what OpenSearch
 * refuses too (named like OpenSearch), and values whose answer would describe more than the
 * tenant's own indexes.
 */
import { illegalArgument, validationFailed } from './errors.ts';
import type { EndpointSpec } from './endpoints.ts';

export function checkParamValues(spec: EndpointSpec, query: URLSearchParams): void {
  if (spec.name === 'doc_source' && query.get('_source') === 'false') {
    // RestGetSourceAction's own check.
    throw validationFailed('source_disabled', 'Validation Failed: 1: fetching source can not be disabled;');
  }
  const level = query.get('level');
  if (spec.name === 'cluster_health' && level !== null && level !== 'cluster') {
    throw illegalArgument('unsupported_parameter_value', `osproxy answers _cluster/health at the cluster level only (level=cluster): level [${level}] would describe indexes that are not the tenant's`);
  }
}
