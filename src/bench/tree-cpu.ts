/**
 * CPU time of a side's processes around one timed round, from /proc: a multi-worker proxy is a
 * primary plus forked workers (and nginx a master plus its worker), so one pid understates what
 * the side spends — the tree is summed, as process-rss.ts does for memory. The load generator's
 * own CPU (this process) is read too: on a small machine it competes with what it measures.
 */
import { processCpuMicros } from '../observe/process-cpu.ts';
import { sumOverTree } from '../observe/process-rss.ts';

/**
 * User + system CPU (µs) of `pid` and all its live descendants, or undefined when `pid` itself
 * is not readable (not Linux, or gone). A descendant that exits mid-round takes its CPU with it
 * (the kernel moves it to the parent's reaped-children counters): the bench's processes keep
 * their workers for the whole run, so this does not happen in a healthy run.
 */
export function processTreeCpuMicros(pid: number): number | undefined {
  return sumOverTree(pid, processCpuMicros);
}

/** The processes whose CPU a round reads: the hop (proxy, peer, floor; none for direct) and the upstream. */
export interface CpuSubjects {
  hopPid?: number;
  upstreamPid?: number;
}

/** CPU µs spent during a round; null where the process is not ours to read (an external proxy or upstream). */
export interface CpuSpent {
  hop: number | null;
  upstream: number | null;
  /** This process: the load generator. */
  client: number;
}

function clientMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

function treeOrNull(pid: number | undefined): number | null {
  return pid === undefined ? null : (processTreeCpuMicros(pid) ?? null);
}

/** Reads every subject before and after `work` and returns what each spent meanwhile. */
export async function cpuAround<T>(subjects: CpuSubjects, work: () => Promise<T>): Promise<{ result: T; spent: CpuSpent }> {
  const before = { hop: treeOrNull(subjects.hopPid), upstream: treeOrNull(subjects.upstreamPid), client: clientMicros() };
  const result = await work();
  const client = clientMicros() - before.client;
  const hop = diff(before.hop, treeOrNull(subjects.hopPid));
  const upstream = diff(before.upstream, treeOrNull(subjects.upstreamPid));
  return { result, spent: { hop, upstream, client } };
}

function diff(before: number | null, after: number | null): number | null {
  return before === null || after === null ? null : after - before;
}
