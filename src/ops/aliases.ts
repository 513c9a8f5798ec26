/**
 * `GET /_alias`, `GET|HEAD /{index}/_alias[/{name}]`, `GET|HEAD /_alias/{name}` (RestGetAliasesAction):
 * tenants have no aliases, so every one of the tenant's indexes is listed with `"aliases": {}`, and
 * an explicitly named alias is OpenSearch's 404 `{"error":"alias [x] missing","status":404}`.
 * Nothing about the physical indexes' aliases (the fleet store's, an operator's) is shown.
 */
import { emptyReply, jsonReply, type Reply } from '../http/reply.ts';
import type { OpContext } from './context.ts';
import { searchTargets } from './search-request.ts';

/** Named aliases that must be reported missing: not `_all`/`*`, not wildcards, not excluded by a later `-name` after a wildcard. */
function missingAliases(requested: string[]): string[] {
  if (requested.length === 1 && (requested[0] === '_all' || requested[0] === '*')) return [];
  const firstWildcard = requested.findIndex((a) => a.includes('*'));
  const wildcardAt = firstWildcard < 0 ? requested.length : firstWildcard;
  const matches = (pattern: string, name: string): boolean =>
    pattern === '_all' || new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$').test(name);
  const missing = new Set<string>();
  requested.forEach((name, i) => {
    if (name === '_all' || name.includes('*') || (i > wildcardAt && name.startsWith('-'))) return;
    const excluded = requested.slice(Math.max(i + 1, wildcardAt)).some((later) => later.startsWith('-') && matches(later.slice(1), name));
    if (!excluded) missing.add(name);
  });
  return [...missing].sort();
}

export async function getAliases(ctx: OpContext): Promise<Reply> {
  const targets = searchTargets(ctx);
  const named = ctx.endpoint.id;
  const body: Record<string, unknown> = {};
  let status = 200;
  if (named === undefined) {
    for (const t of targets) body[t.lindex] = { aliases: {} };
  } else {
    const missing = missingAliases(named.split(',').map((n) => n.trim()).filter((n) => n !== ''));
    if (missing.length > 0) {
      status = 404;
      body.error = missing.length === 1 ? `alias [${missing[0]}] missing` : `aliases [${missing.join(',')}] missing`;
      body.status = 404;
    }
  }
  return ctx.method === 'HEAD' ? emptyReply(status) : jsonReply(status, body);
}
