import type { Json } from '../core/json.ts';

/** The decision chain of one request (SPEC §6): who, which tenant, where it went, how long each stage took. */
export interface ExplainRecord {
  request_id: string;
  at: string;
  method: string;
  endpoint?: string;
  /** The route that matched (`/{index}/_doc/{id}`): the path's shape, never its names or ids. */
  route?: string;
  /** The logical indexes the request was routed to. */
  indices?: string[];
  principal?: string;
  tenant?: string;
  placement?: string;
  cluster?: string;
  physical?: string[];
  /** The placement epoch the request was routed under (SPEC §5.3). */
  epoch?: number;
  rewrites: string[];
  status?: number;
  /** What the request recorded: `shape` unless a directive or a debug header raised it. */
  level?: string;
  /** The directives that matched it (ids), and what its `X-Debug-Directive` header came to. */
  directives?: string[];
  debug_header?: string;
  bytes_in?: number;
  bytes_out?: number;
  timings_ms: Record<string, number>;
  /** `timing` and above: milliseconds per stage (auth, resolve, rewrite, upstream, transform, send). */
  stages_ms?: Record<string, number>;
  /** `rewrite`: the body's shape (keys and value kinds, never values) before and after rewriting. */
  rewrite?: { before: Json; after: Json };
  error?: { code: string; reason: string; remediation?: string };
}

/** What a request fills in as it goes; the ring adds `at` when the record is asked for. */
export type ExplainDraft = Omit<ExplainRecord, 'at'>;

/** The record of a draft that arrived at `atMs` (ms since the epoch). */
export function explainRecord(d: ExplainDraft, atMs: number): ExplainRecord {
  const { request_id, ...rest } = d;
  return { request_id, at: new Date(atMs).toISOString(), ...rest };
}

/**
 * A bounded ring of recent explain records, served by `/_osproxy/explain/{request_id}`. Every
 * request adds one and almost none is ever read, so adding costs a slot write: no index (a read
 * scans the ring, newest first) and no timestamp formatting (done when a record is read).
 */
export class ExplainRing {
  private readonly drafts: (ExplainDraft | undefined)[];
  private readonly startedMs: Float64Array;
  private next = 0;

  constructor(size = 1024) {
    this.drafts = new Array<ExplainDraft | undefined>(size);
    this.startedMs = new Float64Array(size);
  }

  /** `atMs`: when the request arrived (ms since the epoch). */
  add(rec: ExplainDraft, atMs: number): void {
    this.drafts[this.next] = rec;
    this.startedMs[this.next] = atMs;
    this.next = (this.next + 1) % this.drafts.length;
  }

  /** The newest record with that request id (a client may send the same x-request-id twice). */
  get(id: string): ExplainRecord | undefined {
    const n = this.drafts.length;
    for (let k = 1; k <= n; k++) {
      const slot = (this.next - k + n) % n;
      const d = this.drafts[slot];
      if (d === undefined) return undefined;
      if (d.request_id === id) return explainRecord(d, this.startedMs[slot]);
    }
    return undefined;
  }
}
