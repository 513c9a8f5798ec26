/** No duplicate document: no search response and no final read lists one id of a tenant twice. */
import type { Anomaly, History } from '../history.ts';

function repeated(keys: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const k of keys) (seen.has(k) ? twice : seen).add(k);
  return [...twice];
}

export function verifyNoDuplicates(history: History): Anomaly[] {
  const out: Anomaly[] = [];
  for (const op of history.ops) {
    if (op.kind !== 'search' || op.reads === undefined) continue;
    const twice = repeated(op.reads.map((r) => r.key));
    if (twice.length > 0) out.push({ verifier: 'no-duplicates', message: `search #${op.seq} of tenant ${op.tenant} lists ${twice.join(', ')} more than once`, ops: [op.seq] });
  }
  for (const [tenant, docs] of history.final) {
    const twice = repeated(docs.map((d) => d.key));
    if (twice.length > 0) out.push({ verifier: 'no-duplicates', message: `the final read of tenant ${tenant} holds ${twice.join(', ')} more than once`, ops: [] });
  }
  return out;
}
