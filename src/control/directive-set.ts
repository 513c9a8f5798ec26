/**
 * The directives of one control snapshot, indexed for the request path (SPEC §6): each directive
 * sits in one bucket, chosen by its most selective match key (tenant, then principal, endpoint,
 * index; or the global list), so a request looks at four buckets by key and never scans the whole
 * set. With no directive matching, evaluation is a few map lookups.
 */
import { levelRank, type ObserveLevel } from '../config/observe-schema.ts';
import type { DirectiveDoc } from './directive-doc.ts';
import type { EntryVersion } from './documents.ts';

export interface DirectiveEntry extends EntryVersion {
  readonly id: string;
  readonly doc: DirectiveDoc;
  /** `expires_at` in ms since the epoch. */
  readonly expiresMs: number;
}

/** What the request path knows about a request when directives are evaluated. */
export interface RequestFacts {
  tenant: string;
  principal: string;
  endpoint: string;
  /** The logical index names the request's path names (an expression split at commas). */
  indices: readonly string[];
}

/** The outcome for one request, when at least one directive matched. */
export interface DirectiveMatch {
  /** The highest level among the matching directives that sampled this request ('off' if none). */
  level: ObserveLevel;
  /** Ids of the matching, sampling directives with a ring buffer. */
  rings: string[];
  /** A matching killswitch: the request is refused (every match, sampled or not). */
  refuse?: { id: string; status: 503 | 403; expiresMs: number };
  /** Ids of every matching directive (for the request's explain record). */
  ids: string[];
  matched: number;
  sampled: number;
}

function push(map: Map<string, DirectiveEntry[]>, key: string, e: DirectiveEntry): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [e]);
  else list.push(e);
}

function matches(e: DirectiveEntry, f: RequestFacts): boolean {
  const m = e.doc.match;
  return (m.tenant === undefined || m.tenant === f.tenant)
    && (m.principal === undefined || m.principal === f.principal)
    && (m.endpoint === undefined || m.endpoint === f.endpoint)
    && (m.index === undefined || f.indices.includes(m.index));
}

/** 0–999 from a request id (FNV-1a): the same request samples alike on every directive and instance. */
export function sampleSlot(requestId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < requestId.length; i++) h = Math.imul(h ^ requestId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 1000;
}

export class DirectiveSet {
  private readonly byTenant = new Map<string, DirectiveEntry[]>();
  private readonly byPrincipal = new Map<string, DirectiveEntry[]>();
  private readonly byEndpoint = new Map<string, DirectiveEntry[]>();
  private readonly byIndex = new Map<string, DirectiveEntry[]>();
  private readonly global: DirectiveEntry[] = [];

  constructor(readonly entries: ReadonlyMap<string, DirectiveEntry>) {
    for (const e of entries.values()) {
      const m = e.doc.match;
      if (m.tenant !== undefined) push(this.byTenant, m.tenant, e);
      else if (m.principal !== undefined) push(this.byPrincipal, m.principal, e);
      else if (m.endpoint !== undefined) push(this.byEndpoint, m.endpoint, e);
      else if (m.index !== undefined) push(this.byIndex, m.index, e);
      else this.global.push(e);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** Directives not yet expired at `now`. */
  active(now: number): DirectiveEntry[] {
    return [...this.entries.values()].filter((e) => e.expiresMs > now);
  }

  /** The matching unexpired directives' outcome, or undefined when none matches (the common case). */
  evaluate(f: RequestFacts, now: number, slot: number): DirectiveMatch | undefined {
    if (this.entries.size === 0) return undefined;
    let out = scan(this.byTenant.get(f.tenant), f, now, slot, undefined);
    out = scan(this.byPrincipal.get(f.principal), f, now, slot, out);
    out = scan(this.byEndpoint.get(f.endpoint), f, now, slot, out);
    if (this.byIndex.size > 0) for (const index of f.indices) out = scan(this.byIndex.get(index), f, now, slot, out);
    return this.global.length === 0 ? out : scan(this.global, f, now, slot, out);
  }
}

/** Adds the bucket's matching directives to `out` (created on the first match: none allocates nothing). */
function scan(list: readonly DirectiveEntry[] | undefined, f: RequestFacts, now: number, slot: number, out: DirectiveMatch | undefined): DirectiveMatch | undefined {
  if (list === undefined) return out;
  for (const e of list) {
    if (e.expiresMs <= now || !matches(e, f)) continue;
    out ??= { level: 'off', rings: [], ids: [], matched: 0, sampled: 0 };
    out.matched++;
    out.ids.push(e.id);
    if (e.doc.refuse !== undefined && out.refuse === undefined) out.refuse = { id: e.id, status: e.doc.refuse.status, expiresMs: e.expiresMs };
    if (slot >= e.doc.sample_per_mille) continue;
    out.sampled++;
    if (levelRank(e.doc.level) > levelRank(out.level)) out.level = e.doc.level;
    if (e.doc.ring_buffer !== undefined) out.rings.push(e.id);
  }
  return out;
}
