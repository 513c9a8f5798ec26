/**
 * The timed part of one level: every side warmed up, then the sides interleaved in rounds
 * (rounds.ts), each round's CPU read around it for the side's hop and the upstream, its samples
 * appended to `samples.csv`. A side's result: latency over all its samples, throughput and CPU
 * per request the median over its rounds.
 */
import { LatencyHistogram } from './latency-histogram.ts';
import { runLoad, runName, sender, warmUp, type LoadShape, type SideContext, type SideTarget } from './measure-side.ts';
import type { LatencyStats, RoundResult, Side, SideResult } from './profile.ts';
import { median, roundBudgets, roundSchedule } from './rounds.ts';
import type { RunBudget, RunOutcome } from './run-recorder.ts';
import { cpuAround, type CpuSpent } from './tree-cpu.ts';

function perRequest(spent: number | null, requests: number): number | null {
  return spent === null || requests === 0 ? null : spent / requests;
}

/** One round's figures from its load run and the CPU spent meanwhile. */
export function roundResult(round: number, outcome: RunOutcome, spent: CpuSpent): RoundResult {
  const { recorder, seconds } = outcome;
  const n = recorder.requests;
  return {
    round,
    requests: n,
    errors: recorder.errors,
    seconds,
    throughput: seconds > 0 ? n / seconds : Number.NaN,
    cpuUsPerRequest: { hop: perRequest(spent.hop, n), upstream: perRequest(spent.upstream, n), client: perRequest(spent.client, n) },
  };
}

/** A side's result from its rounds: counts summed, throughput and each CPU figure the median round's. */
export function sideFromRounds(side: Side, rounds: readonly RoundResult[], latency: LatencyStats): SideResult {
  const sum = (pick: (r: RoundResult) => number): number => rounds.reduce((acc, r) => acc + pick(r), 0);
  const cpu = (pick: (r: RoundResult) => number | null): number | null => median(rounds.map(pick));
  return {
    side,
    requests: sum((r) => r.requests),
    errors: sum((r) => r.errors),
    seconds: sum((r) => r.seconds),
    throughput: median(rounds.map((r) => r.throughput)) ?? Number.NaN,
    latency,
    cpuUsPerRequest: { hop: cpu((r) => r.cpuUsPerRequest.hop), upstream: cpu((r) => r.cpuUsPerRequest.upstream), client: cpu((r) => r.cpuUsPerRequest.client) },
    rounds: [...rounds],
  };
}

/** Warms every side up, in round order, before any is timed (the upstream warms with the first). */
export async function warmUpAll(targets: readonly SideTarget[], shape: LoadShape, ctx: SideContext): Promise<void> {
  for (const { side } of roundSchedule(targets.map((t) => t.side), 1)) await warmUp(targetOf(targets, side), shape, ctx);
}

function targetOf(targets: readonly SideTarget[], side: Side): SideTarget {
  const t = targets.find((x) => x.side === side);
  if (t === undefined) throw new Error(`no target for side ${side}`);
  return t;
}

async function timedRound(t: SideTarget, shape: LoadShape, budget: RunBudget, round: number, ctx: SideContext): Promise<{ outcome: RunOutcome; result: RoundResult }> {
  ctx.progress.run(`${runName(t, shape, ctx)} round ${round}/${shape.rounds}`);
  const send = sender(t);
  // Only the load run is inside the CPU window: the samples are written after it.
  const { result: outcome, spent } = await cpuAround({ hopPid: t.hopPid, upstreamPid: ctx.upstreamPid }, () => runLoad(send, shape, budget, ctx));
  ctx.signal.throwIfAborted();
  await ctx.samples.append({ ...ctx.label, side: t.side, round }, outcome.recorder.samples);
  return { outcome, result: roundResult(round, outcome, spent) };
}

/** Runs the rounds (after `warmUpAll`) and returns one result per side, in round order. */
export async function runRounds(targets: readonly SideTarget[], shape: LoadShape, ctx: SideContext): Promise<Map<Side, SideResult>> {
  const budgets = roundBudgets(shape.budget, shape.rounds);
  const collected = new Map<Side, { histogram: LatencyHistogram; rounds: RoundResult[] }>();
  for (const { round, side } of roundSchedule(targets.map((t) => t.side), shape.rounds)) {
    const { outcome, result } = await timedRound(targetOf(targets, side), shape, budgets[round - 1], round, ctx);
    const entry = collected.get(side) ?? { histogram: new LatencyHistogram(), rounds: [] };
    entry.histogram.add(outcome.recorder.histogram);
    entry.rounds.push(result);
    collected.set(side, entry);
  }
  const out = new Map<Side, SideResult>();
  for (const [side, { histogram, rounds }] of collected) out.set(side, sideFromRounds(side, rounds, histogram.summary()));
  return out;
}
