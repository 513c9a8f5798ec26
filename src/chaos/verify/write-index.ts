/**
 * The writes of a history indexed for the verifiers: per tenant and key, every document write with
 * the interval in which it may have taken effect; and every written value to the write that wrote it.
 */
import type { History, OpRecord, Outcome } from '../history.ts';

export interface Write {
  seq: number;
  tenant: string;
  key: string;
  value: string | null;
  outcome: Outcome;
  start: number;
  /**
   * The latest moment it may have taken effect: its op's end when acknowledged at once; Infinity
   * when no answer ever came, or an earlier attempt went unanswered (that attempt may land later).
   */
  effectiveEnd: number;
}

export const keyOf = (tenant: string, key: string): string => `${tenant}\u0000${key}`;

export interface WriteIndex {
  byKey: Map<string, Write[]>;
  byValue: Map<string, Write>;
}

function effectiveEnd(op: OpRecord, outcome: Outcome): number {
  if (outcome === 'unknown' || (op.unansweredAttempts ?? 0) > 0) return Infinity;
  return op.end;
}

export function indexWrites(history: Pick<History, 'ops'>): WriteIndex {
  const byKey = new Map<string, Write[]>();
  const byValue = new Map<string, Write>();
  for (const op of history.ops) {
    for (const w of op.writes ?? []) {
      const write: Write = { seq: op.seq, tenant: op.tenant, key: w.key, value: w.value, outcome: w.outcome, start: op.start, effectiveEnd: effectiveEnd(op, w.outcome) };
      const k = keyOf(op.tenant, w.key);
      const list = byKey.get(k);
      if (list === undefined) byKey.set(k, [write]);
      else list.push(write);
      if (w.value !== null) byValue.set(w.value, write);
    }
  }
  return { byKey, byValue };
}

/** True when `later` began after `earlier` can have taken effect: real-time order, so `later` wins. */
export function precedes(earlier: Write, later: Write): boolean {
  return earlier.effectiveEnd < later.start;
}
