/**
 * What one tenant request records, and whether an operator killswitch refuses it (SPEC §6): the
 * baseline level, raised by the highest matching unexpired directive (sampled by the request
 * id), raised again by a valid signed `X-Debug-Directive` header. Read from the control snapshot
 * only: no I/O, and with no directive matching a few map lookups.
 */
import type { IncomingMessage } from 'node:http';
import { levelRank, type ObserveLevel } from '../config/observe-schema.ts';
import type { DirectiveMatch } from '../control/directive-set.ts';
import { sampleSlot } from '../control/directive-set.ts';
import type { ControlSnapshot } from '../control/snapshot.ts';
import { forbidden, unavailable, type OsproxyError } from '../http/errors.ts';
import { DEBUG_HEADER, verifyDebugHeader } from '../observe/debug-header.ts';
import type { ExplainDraft } from '../observe/explain.ts';
import type { Services } from '../ops/services.ts';

export interface Observation {
  level: ObserveLevel;
  /** Break-glass rings the request's explain record is copied to (directive ids). */
  rings?: string[];
}

const NO_INDICES: readonly string[] = [];

function indicesOf(expression: string | undefined): readonly string[] {
  if (expression === undefined) return NO_INDICES;
  return expression.includes(',') ? expression.split(',') : [expression];
}

function killswitch(refuse: NonNullable<DirectiveMatch['refuse']>, now: number): OsproxyError {
  const until = new Date(refuse.expiresMs).toISOString();
  const reason = `requests like this one are refused by an operator directive until ${until}`;
  if (refuse.status === 403) return forbidden('killswitch', reason);
  // Retry once the directive lapses, or in 30 s, whichever is sooner: it may be lifted early.
  return unavailable('killswitch', reason, Math.max(1, Math.min(30, Math.ceil((refuse.expiresMs - now) / 1000))));
}

/** Applies the directives and debug header to a request; throws the killswitch's refusal. */
export function observeRequest(
  services: Services,
  snapshot: ControlSnapshot,
  req: IncomingMessage,
  facts: { requestId: string; tenant: string; principal: string; endpoint: string; index?: string },
  now: number,
  explain: ExplainDraft,
): Observation {
  let level = services.config.observe.level;
  let rings: string[] | undefined;
  const match = snapshot.directives.evaluate({ tenant: facts.tenant, principal: facts.principal, endpoint: facts.endpoint, indices: indicesOf(facts.index) }, now, sampleSlot(facts.requestId));
  if (match !== undefined) {
    const m = services.metrics.directives;
    m.matched();
    explain.directives = match.ids;
    if (match.refuse !== undefined) {
      m.refused(match.refuse.status);
      throw killswitch(match.refuse, now);
    }
    if (match.sampled > 0) m.sampled();
    if (levelRank(match.level) > levelRank(level)) level = match.level;
    if (match.rings.length > 0) rings = match.rings;
  }
  const header = req.headers[DEBUG_HEADER];
  if (typeof header === 'string') {
    const o = services.config.observe;
    const verdict = verifyDebugHeader(header, o.debug_header_key, now, o.debug_header_max_ttl_s);
    services.metrics.directives.header(verdict.outcome);
    explain.debug_header = verdict.outcome;
    if (verdict.level !== undefined && levelRank(verdict.level) > levelRank(level)) level = verdict.level;
  }
  return { level, rings };
}
