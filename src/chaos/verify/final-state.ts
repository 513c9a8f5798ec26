/**
 * The final state against the acknowledged order, per tenant and key. What the final read shows
 * must be the work of a write that no acknowledged write superseded (one that began after it had
 * taken effect): otherwise an acknowledged write was lost or overtaken (`acknowledged-writes`), or,
 * when the superseding write was a delete, an acknowledged delete came back (`no-resurrection`).
 */
import type { Anomaly, History } from '../history.ts';
import { indexWrites, keyOf, precedes, type Write } from './write-index.ts';

const fmt = (w: Write): string => `#${w.seq} ${w.value === null ? 'delete' : `${w.key}=${w.value}`}`;

function checkKey(writes: Write[], final: string | undefined, byValue: Map<string, Write>, tenant: string, key: string): Anomaly[] {
  const acked = writes.filter((w) => w.outcome === 'ok');
  const supersededBy = (w: Write): Write[] => acked.filter((later) => later !== w && precedes(w, later));
  if (final !== undefined) {
    const writer = byValue.get(final);
    if (writer === undefined || writer.tenant !== tenant || writer.key !== key) {
      return [{ verifier: 'acknowledged-writes', message: `tenant ${tenant} ${key} holds ${final}, which no write of this key wrote`, ops: writer === undefined ? [] : [writer.seq] }];
    }
    const later = supersededBy(writer);
    if (writer.outcome === 'failed') return [{ verifier: 'acknowledged-writes', message: `tenant ${tenant} ${key} holds the value of refused write ${fmt(writer)}`, ops: [writer.seq] }];
    if (later.length === 0) return [];
    const deletes = later.filter((w) => w.value === null);
    if (deletes.length > 0) {
      return [{ verifier: 'no-resurrection', message: `tenant ${tenant} ${key}: acknowledged ${deletes.map(fmt).join(', ')} came after ${fmt(writer)}, yet the value is back`, ops: [writer.seq, ...deletes.map((w) => w.seq)] }];
    }
    return [{ verifier: 'acknowledged-writes', message: `tenant ${tenant} ${key} holds ${fmt(writer)}, overtaken by acknowledged ${later.map(fmt).join(', ')}`, ops: [writer.seq, ...later.map((w) => w.seq)] }];
  }
  // Absent at the end: some delete that nothing acknowledged came after must explain it.
  const explained = writes.some((w) => w.value === null && w.outcome !== 'failed' && supersededBy(w).length === 0);
  if (explained || acked.length === 0) return [];
  const last = acked.filter((w) => supersededBy(w).length === 0);
  return [{ verifier: 'acknowledged-writes', message: `tenant ${tenant} ${key} is missing; acknowledged ${last.map(fmt).join(', ')} should be there`, ops: last.map((w) => w.seq) }];
}

export function verifyFinalState(history: History): Anomaly[] {
  const { byKey, byValue } = indexWrites(history);
  const out: Anomaly[] = [];
  const finals = new Map<string, string>();
  for (const [tenant, docs] of history.final) for (const d of docs) finals.set(keyOf(tenant, d.key), d.value);
  const keys = new Set([...byKey.keys(), ...finals.keys()]);
  for (const k of keys) {
    const [tenant, key] = k.split('\u0000');
    out.push(...checkKey(byKey.get(k) ?? [], finals.get(k), byValue, tenant, key));
  }
  return out;
}
