import { randomBytes } from 'node:crypto';
import { EngineError } from '../errors.ts';
import type { JsonObject } from '../json.ts';
import type { SearchableIndex, SearchOptions } from '../search/types.ts';
import { parseTimeMs } from '../store/settings.ts';

/** An open scroll: a frozen view of the indexes, the search, and how far the client has read. */
export interface ScrollContext {
  id: string;
  indices: SearchableIndex[];
  body: JsonObject;
  opts: SearchOptions;
  offset: number;
  size: number;
  expiresAt: number;
}

/** An open point in time: a frozen view searched by later requests naming it. */
export interface PitContext {
  id: string;
  indices: SearchableIndex[];
  createdAt: number;
  keepAliveMs: number;
  expiresAt: number;
}

/** OpenSearch's search.max_keep_alive default. */
const MAX_KEEP_ALIVE_MS = 24 * 3_600_000;

export function parseKeepAlive(v: string | undefined, what: string): number {
  if (v === undefined) throw new EngineError(400, 'illegal_argument_exception', `${what} is required`);
  const ms = parseTimeMs(v, what);
  if (ms <= 0) throw new EngineError(400, 'illegal_argument_exception', `failed to parse [${what}] with value [${v}]`);
  if (ms > MAX_KEEP_ALIVE_MS) {
    throw new EngineError(400, 'illegal_argument_exception', `Keep alive for request (${v}) is too large. It must be less than (1d). This limit can be set by changing the [search.max_keep_alive] cluster level setting.`);
  }
  return ms;
}

function newCursorId(kind: string): string {
  return Buffer.from(`${kind}:${randomBytes(18).toString('base64url')}`).toString('base64url');
}

/** Scroll and PIT contexts with expiry. */
export class CursorStore {
  private readonly scrolls = new Map<string, ScrollContext>();
  private readonly pits = new Map<string, PitContext>();
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.timer = setInterval(() => this.sweep(), 5_000);
    this.timer.unref();
  }

  openScroll(ctx: Omit<ScrollContext, 'id'>): ScrollContext {
    const scroll = { ...ctx, id: newCursorId('scroll') };
    this.scrolls.set(scroll.id, scroll);
    return scroll;
  }

  scroll(id: string): ScrollContext {
    const s = this.scrolls.get(id);
    if (s === undefined || s.expiresAt < Date.now()) {
      this.scrolls.delete(id);
      throw new EngineError(404, 'search_context_missing_exception', `No search context found for id [${id}]`);
    }
    return s;
  }

  /** Frees scrolls; returns how many were open. */
  clearScrolls(ids: string[] | 'all'): number {
    if (ids === 'all') {
      const n = this.scrolls.size;
      this.scrolls.clear();
      return n;
    }
    let freed = 0;
    for (const id of ids) if (this.scrolls.delete(id)) freed++;
    return freed;
  }

  openPit(indices: SearchableIndex[], keepAliveMs: number): PitContext {
    const now = Date.now();
    const pit = { id: newCursorId('pit'), indices, createdAt: now, keepAliveMs, expiresAt: now + keepAliveMs };
    this.pits.set(pit.id, pit);
    return pit;
  }

  pit(id: string): PitContext {
    const p = this.pits.get(id);
    if (p === undefined || p.expiresAt < Date.now()) {
      this.pits.delete(id);
      throw new EngineError(404, 'search_context_missing_exception', `No search context found for id [${id}]`);
    }
    return p;
  }

  listPits(): PitContext[] {
    this.sweep();
    return [...this.pits.values()];
  }

  deletePit(id: string): boolean {
    return this.pits.delete(id);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, s] of this.scrolls) if (s.expiresAt < now) this.scrolls.delete(id);
    for (const [id, p] of this.pits) if (p.expiresAt < now) this.pits.delete(id);
  }

  close(): void {
    clearInterval(this.timer);
  }
}
