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

/** A bounded ring of recent explain records, served by `/_osproxy/explain/{request_id}`. */
export class ExplainRing {
  private readonly ring: (ExplainRecord | undefined)[];
  private readonly byId = new Map<string, ExplainRecord>();
  private next = 0;

  constructor(size = 1024) {
    this.ring = new Array<ExplainRecord | undefined>(size);
  }

  add(rec: ExplainRecord): void {
    const old = this.ring[this.next];
    if (old !== undefined) this.byId.delete(old.request_id);
    this.ring[this.next] = rec;
    this.byId.set(rec.request_id, rec);
    this.next = (this.next + 1) % this.ring.length;
  }

  get(id: string): ExplainRecord | undefined {
    return this.byId.get(id);
  }
}
