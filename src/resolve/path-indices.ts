/** The resolve stage's reading of a path's `{index}`, per the endpoint's IndexKind. */
import type { Classified } from '../http/classify.ts';
import { illegalArgument } from '../http/errors.ts';
import { validateLogicalIndexName, type Target } from '../tenancy/index.ts';
import type { PathIndices, ResolvedIndices } from './request-scope.ts';

interface Resolver {
  target(lindex: string): Target;
  resolve(expr: string | undefined): ResolvedIndices;
}

/** The one concrete logical index a document endpoint names (no lists or patterns). */
function singleIndex(endpoint: Classified): string {
  const name = endpoint.index ?? '';
  if (name.includes(',') || name.includes('*') || name === '_all') {
    throw illegalArgument('single_index_required', `the ${endpoint.spec.name} endpoint takes one concrete index, not [${name}]`);
  }
  validateLogicalIndexName(name);
  return name;
}

export function pathIndices(scope: Resolver, endpoint: Classified): PathIndices {
  switch (endpoint.spec.index) {
    case 'one': {
      const lindex = singleIndex(endpoint);
      return { kind: 'one', lindex, target: scope.target(lindex) };
    }
    case 'expression':
      return { kind: 'expression', ...scope.resolve(endpoint.index) };
    case 'default':
      return { kind: 'default', lindex: endpoint.index };
    case 'none':
      return { kind: 'none' };
  }
}
