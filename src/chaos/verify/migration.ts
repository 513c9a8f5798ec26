/**
 * Migration invariants: every migration that ran reached `complete`, and its source took no write
 * at or after the epoch its cutover fenced it at (one placement accepts writes at a time).
 */
import type { Anomaly, History } from '../history.ts';

export function verifyMigrations(history: History): Anomaly[] {
  const out: Anomaly[] = [];
  for (const m of history.migrations) {
    const what = `migration of ${m.tenant}/${m.index} ${m.from} → ${m.to}`;
    if (m.state !== 'complete') out.push({ verifier: 'migration', message: `${what} ended ${m.state}, not complete`, ops: [] });
    if (m.fenceEpoch === null) out.push({ verifier: 'migration', message: `${what} never fenced its source`, ops: [] });
    else if (m.sourceHighestStamp !== null && m.sourceHighestStamp >= m.fenceEpoch) {
      out.push({ verifier: 'migration', message: `${what}: the source took a write at epoch ${m.sourceHighestStamp}, at or after its fence at ${m.fenceEpoch}`, ops: [] });
    }
  }
  return out;
}
