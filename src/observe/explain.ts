/** The decision chain of one request (SPEC §6): who, which tenant, where it went, how long each stage took. */
export interface ExplainRecord {
  request_id: string;
  at: string;
  method: string;
  endpoint?: string;
  principal?: string;
  tenant?: string;
  placement?: string;
  cluster?: string;
  physical?: string[];
  /** The placement epoch the request was routed under (SPEC §5.3). */
  epoch?: number;
  rewrites: string[];
  status?: number;
  timings_ms: Record<string, number>;
  error?: { code: string; reason: string; remediation?: string };
}

/** What a request fills in as it goes; the ring adds `at` when the record is asked for. */
export type ExplainDraft = Omit<ExplainRecord, 'at'>;

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
      if (d.request_id === id) {
        const { request_id, ...rest } = d;
        return { request_id, at: new Date(this.startedMs[slot]).toISOString(), ...rest };
      }
    }
    return undefined;
  }
}
