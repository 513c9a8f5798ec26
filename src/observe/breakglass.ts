/**
 * Break-glass rings (SPEC §6): a directive with `ring_buffer: {size}` copies the explain records of
 * the requests it matches into a ring of its own, served at `/_osproxy/admin/breakglass`. A ring
 * lives while its directive does; rings of removed or expired directives are dropped.
 */
import type { ExplainRecord } from './explain.ts';

class Ring {
  private readonly slots: (ExplainRecord | undefined)[];
  private next = 0;

  constructor(readonly size: number) {
    this.slots = new Array<ExplainRecord | undefined>(size);
  }

  add(rec: ExplainRecord): void {
    this.slots[this.next] = rec;
    this.next = (this.next + 1) % this.size;
  }

  /** Newest first. */
  records(): ExplainRecord[] {
    const out: ExplainRecord[] = [];
    for (let k = 1; k <= this.size; k++) {
      const r = this.slots[(this.next - k + this.size) % this.size];
      if (r === undefined) break;
      out.push(r);
    }
    return out;
  }
}

export class BreakglassRings {
  private readonly rings = new Map<string, Ring>();

  add(directive: string, size: number, rec: ExplainRecord): void {
    let ring = this.rings.get(directive);
    if (ring === undefined || ring.size !== size) this.rings.set(directive, (ring = new Ring(size)));
    ring.add(rec);
  }

  /** Records by directive id (newest first), for one directive or all of them. */
  read(directive?: string): Record<string, ExplainRecord[]> {
    const out: Record<string, ExplainRecord[]> = {};
    for (const [id, ring] of this.rings) if (directive === undefined || id === directive) out[id] = ring.records();
    return out;
  }

  /** Drops the rings of directives no longer live. */
  retain(live: (id: string) => boolean): void {
    for (const id of this.rings.keys()) if (!live(id)) this.rings.delete(id);
  }
}
