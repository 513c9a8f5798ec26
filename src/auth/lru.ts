/**
 * A small bounded LRU on Map's insertion order; set() evicts the oldest. get() moves an entry to
 * the young end only once it has aged past half the cache: a hit on a recent entry (the same
 * credential on every request) then costs one lookup, not a delete and a re-insert. An entry
 * read at least once per max/2 insertions is thus never evicted, as in a strict LRU.
 */
interface Slot<V> {
  value: V;
  /** The insertion count when the entry was last put at the young end. */
  at: number;
}

export class Lru<K, V> {
  private readonly map = new Map<K, Slot<V>>();
  private insertions = 0;

  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError('LRU size must be a positive integer');
  }

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    const slot = this.map.get(key);
    if (slot === undefined) return undefined;
    if (this.insertions - slot.at >= this.max >> 1) {
      this.map.delete(key);
      slot.at = ++this.insertions;
      this.map.set(key, slot);
    }
    return slot.value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, { value, at: ++this.insertions });
    if (this.map.size > this.max) {
      const oldest = this.map.keys().next();
      if (oldest.done !== true) this.map.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }
}
