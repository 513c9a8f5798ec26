/** No cross-tenant read: no response and no final read shows a document or value of another tenant. */
import { tenantOfValue, type Anomaly, type History } from '../history.ts';

export function verifyIsolation(history: History): Anomaly[] {
  const out: Anomaly[] = [];
  for (const op of history.ops) {
    for (const seen of op.reads ?? []) {
      const foreign = seen.tenant !== undefined && seen.tenant !== op.tenant ? seen.tenant : seen.value !== null && tenantOfValue(seen.value) !== op.tenant ? tenantOfValue(seen.value) : undefined;
      if (foreign === undefined) continue;
      out.push({ verifier: 'isolation', message: `${op.kind} #${op.seq} by tenant ${op.tenant} saw ${seen.key}=${seen.value ?? 'null'} of tenant ${foreign}`, ops: [op.seq] });
    }
  }
  for (const [tenant, docs] of history.final) {
    for (const d of docs) {
      if (d.tenant !== tenant || tenantOfValue(d.value) !== tenant) out.push({ verifier: 'isolation', message: `the final read of tenant ${tenant} shows ${d.key}=${d.value} of tenant ${d.tenant}`, ops: [] });
    }
  }
  return out;
}
