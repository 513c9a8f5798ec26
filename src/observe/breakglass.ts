/**
 * Break-glass rings (SPEC §6): a directive with `ring_buffer: {size}` copies the explain records of
 * the requests it matches into a ring of its own, served at `/_osproxy/admin/breakglass`. A ring
 * stays readable for a while after its directive expired or was removed (the operator reads it
 * after the look), then it is dropped.
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
  /** When the directive of a ring was first seen gone (ms since the epoch). */
  private readonly goneAt = new Map<string, number>();

  add(directive: string, size: number, rec: ExplainRecord): void {
    let ring = this.rings.get(directive);
    if (ring === undefined || ring.size !== size) this.rings.set(directive, (ring = new Ring(size)));
    this.goneAt.delete(directive);
    ring.add(rec);
  }

  /** Records by directive id (newest first), for one directive or all of them. */
  read(directive?: string): Record<string, ExplainRecord[]> {
    const out: Record<string, ExplainRecord[]> = {};
    for (const [id, ring] of this.rings) if (directive === undefined || id === directive) out[id] = ring.records();
    return out;
  }

  /** Drops the rings of directives that have not been live for `keepMs`. */
  retain(live: (id: string) => boolean, now: number, keepMs: number): void {
    for (const id of this.rings.keys()) {
      if (live(id)) {
        this.goneAt.delete(id);
        continue;
      }
      const gone = this.goneAt.get(id) ?? now;
      this.goneAt.set(id, gone);
      if (now - gone >= keepMs) {
        this.rings.delete(id);
        this.goneAt.delete(id);
      }
    }
  }
}
