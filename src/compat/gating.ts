// Whether a story, chapter or step applies to the server we test: `version` (a semver range) and
// `distributions` (included / excluded lists) gate them, as in the upstream runner.
import type { Distributions } from './story.ts';
import { satisfies, SemverRangeError } from './semver.ts';

/** The server the stories are played against. */
export interface Target {
  version: string;
  /** Upstream's distribution names: `opensearch.org`, `amazon-managed`, `amazon-serverless`. */
  distribution: string;
}

/** osproxy presents itself as OpenSearch 2.x core (SPEC §9). */
export const DEFAULT_TARGET: Target = { version: '2.17.0', distribution: 'opensearch.org' };

interface Gated {
  version?: string;
  distributions?: Distributions;
}

/** Why `item` does not apply to `target`, or undefined if it does. */
export function gateReason(item: Gated, target: Target = DEFAULT_TARGET): string | undefined {
  return distributionReason(item.distributions, target.distribution) ?? versionReason(item.version, target.version);
}

function distributionReason(d: Distributions | undefined, distribution: string): string | undefined {
  const included = d?.included ?? [];
  const excluded = d?.excluded ?? [];
  if (included.length > 0 && !included.includes(distribution)) {
    return `distribution ${distribution} is not in [${included.join(', ')}]`;
  }
  if (excluded.includes(distribution)) return `distribution ${distribution} is excluded`;
  return undefined;
}

function versionReason(range: string | undefined, version: string): string | undefined {
  if (range === undefined) return undefined;
  try {
    return satisfies(version, range) ? undefined : `version ${version} does not satisfy ${range}`;
  } catch (e) {
    if (e instanceof SemverRangeError) return `unreadable version range "${range}": ${e.message}`;
    throw e;
  }
}
