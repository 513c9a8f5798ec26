/**
 * Interleaved rounds, the pure part: after the warm-up every side runs once per round, in a
 * fixed order (direct, proxy, peer, floor, direct, proxy, …), so slow drift on a shared machine
 * (another job, a JIT-warming upstream, thermal limits) lands on every side alike instead of on
 * whichever side happened to run last. Each figure is then the median over a side's rounds: one
 * disturbed round moves it less than it moves a mean.
 */
import { SIDE_ORDER, type Side } from './profile.ts';
import type { RunBudget } from './run-recorder.ts';

export interface ScheduledRun {
  /** 1-based. */
  round: number;
  side: Side;
}

/** Every (round, side) in the order they run; the sides keep SIDE_ORDER whatever order they are given in. */
export function roundSchedule(sides: readonly Side[], rounds: number): ScheduledRun[] {
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`rounds must be a positive integer, got ${rounds}`);
  const ordered = SIDE_ORDER.filter((s) => sides.includes(s));
  const out: ScheduledRun[] = [];
  for (let round = 1; round <= rounds; round++) for (const side of ordered) out.push({ round, side });
  return out;
}

/** `total` requests over `rounds` as evenly as whole numbers allow (the first rounds take the remainder). */
export function splitRequests(total: number, rounds: number): number[] {
  if (total < rounds) throw new Error(`${total} requests cannot fill ${rounds} rounds`);
  const base = Math.floor(total / rounds);
  return Array.from({ length: rounds }, (_, k) => base + (k < total % rounds ? 1 : 0));
}

/** The budget of each round, from a side's budget for the whole level. */
export function roundBudgets(budget: RunBudget, rounds: number): RunBudget[] {
  if (budget.requests !== undefined) return splitRequests(budget.requests, rounds).map((requests) => ({ requests }));
  if (budget.durationMs === undefined) throw new Error('a run needs a duration or a request count');
  return Array.from({ length: rounds }, () => ({ durationMs: (budget.durationMs as number) / rounds }));
}

/** The median of the known values (the mean of the middle two for an even count); null when none is known. */
export function median(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (known.length === 0) return null;
  const mid = Math.floor(known.length / 2);
  return known.length % 2 === 1 ? known[mid] : (known[mid - 1] + known[mid]) / 2;
}
