/**
 * The chaos workload's history (SPEC §8): every operation a client sent, with what it asked for,
 * what it was told and when. The verifiers read nothing else, plus a final read of each tenant's
 * data and the record of any migration that ran.
 */

export type OpKind = 'index' | 'bulk' | 'update' | 'delete' | 'get' | 'mget' | 'search';

export const OP_KINDS: readonly OpKind[] = ['index', 'bulk', 'update', 'delete', 'get', 'mget', 'search'];

/**
 * `ok`: acknowledged; `failed`: definitely refused (nothing changed); `unknown`: no answer or a
 * server error after retries (the write may or may not have happened).
 */
export type Outcome = 'ok' | 'failed' | 'unknown';

/** One document write an operation asked for (a `_bulk` has one per item). `value` null: a delete. */
export interface WriteEffect {
  key: string;
  value: string | null;
  outcome: Outcome;
}

/** One document a response showed: its id, its `v` (null: not found) and the tenant its source names. */
export interface Observed {
  key: string;
  value: string | null;
  tenant?: string;
}

export interface OpRecord {
  /** Unique in a history; verifiers name operations by it. */
  seq: number;
  /** The client (writer or reader) that sent it: monotonic reads are per session. */
  session: string;
  tenant: string;
  kind: OpKind;
  /** ms since the run began: the first attempt's start, the last attempt's end. */
  start: number;
  end: number;
  /** The last attempt's HTTP status (0: no answer). */
  status: number;
  attempts: number;
  /** Attempts before the last that got no answer (they may still take effect after a later one). */
  unansweredAttempts?: number;
  outcome: Outcome;
  writes?: WriteEffect[];
  /** What a read's response showed. `realtime`: a get/mget (sees the latest write, no refresh needed). */
  reads?: Observed[];
  realtime?: boolean;
  /** A short reason for a non-ok outcome (status and error type). */
  error?: string;
}

/** A document as the final read found it. */
export interface FinalDoc {
  key: string;
  value: string;
  tenant: string;
}

/** A migration that ran during the scenario, as its status and the source placement showed it at the end. */
export interface MigrationRecord {
  tenant: string;
  index: string;
  from: string;
  to: string;
  state: string;
  /** The epoch the cutover fenced the source at (null: no fence yet). */
  fenceEpoch: number | null;
  /** The highest epoch stamped on the tenant's documents left in the source (null: none there). */
  sourceHighestStamp: number | null;
}

export interface History {
  ops: OpRecord[];
  /** tenant → its documents at the end (after refresh). */
  final: Map<string, FinalDoc[]>;
  migrations: MigrationRecord[];
}

export type VerifierName = 'isolation' | 'acknowledged-writes' | 'no-resurrection' | 'monotonic-reads' | 'no-duplicates' | 'migration';

export const VERIFIERS: readonly VerifierName[] = ['isolation', 'acknowledged-writes', 'no-resurrection', 'monotonic-reads', 'no-duplicates', 'migration'];

export interface Anomaly {
  verifier: VerifierName;
  message: string;
  /** The operations involved (`seq`), for the report. */
  ops: number[];
}

/** Value strings name their tenant and writer: `<tenant>/<session>/<n>`; unique in a run. */
export function valueOf(tenant: string, session: string, n: number): string {
  return `${tenant}/${session}/${n}`;
}

export function tenantOfValue(value: string): string {
  return value.split('/')[0];
}
