/** Every verifier over one history; anomalies grouped by verifier (each verifier present, empty when it passed). */
import { VERIFIERS, type Anomaly, type History, type VerifierName } from '../history.ts';
import { verifyNoDuplicates } from './duplicates.ts';
import { verifyFinalState } from './final-state.ts';
import { verifyIsolation } from './isolation.ts';
import { verifyMigrations } from './migration.ts';
import { verifyMonotonicReads } from './monotonic-reads.ts';

export type Verdicts = Record<VerifierName, Anomaly[]>;

export function verifyHistory(history: History): Verdicts {
  const all = [...verifyIsolation(history), ...verifyFinalState(history), ...verifyMonotonicReads(history), ...verifyNoDuplicates(history), ...verifyMigrations(history)];
  const out = Object.fromEntries(VERIFIERS.map((v) => [v, [] as Anomaly[]])) as Verdicts;
  for (const a of all) out[a.verifier].push(a);
  return out;
}
