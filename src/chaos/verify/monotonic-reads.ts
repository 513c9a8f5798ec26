/**
 * Per-session monotonic reads: once a session has seen a key's value, a later real-time read (get,
 * mget) in that session never shows a value whose write had taken effect before that one began.
 */
import type { Anomaly, History } from '../history.ts';
import { indexWrites, keyOf, precedes, type Write } from './write-index.ts';

export function verifyMonotonicReads(history: History): Anomaly[] {
  const { byValue } = indexWrites(history);
  const out: Anomaly[] = [];
  /** session → key → the newest write seen (the one that began last) and the read that saw it. */
  const seen = new Map<string, Map<string, { write: Write; read: number }>>();
  const ops = history.ops.filter((o) => o.realtime === true && o.outcome === 'ok').sort((a, b) => a.start - b.start);
  for (const op of ops) {
    let mine = seen.get(op.session);
    if (mine === undefined) seen.set(op.session, (mine = new Map()));
    for (const r of op.reads ?? []) {
      if (r.value === null) continue;
      const write = byValue.get(r.value);
      if (write === undefined) continue; // a value nobody wrote: the isolation and final-state checks name it
      const k = keyOf(op.tenant, r.key);
      const before = mine.get(k);
      if (before !== undefined && precedes(write, before.write)) {
        out.push({ verifier: 'monotonic-reads', message: `session ${op.session}: read #${op.seq} saw ${r.key}=${r.value} (write #${write.seq}) after read #${before.read} had seen the newer ${before.write.value} (write #${before.write.seq})`, ops: [before.read, op.seq, write.seq, before.write.seq] });
      }
      if (before === undefined || write.start > before.write.start) mine.set(k, { write, read: op.seq });
    }
  }
  return out;
}
