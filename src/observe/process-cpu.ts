import { readFileSync } from 'node:fs';

/*
 * CPU time of a process from /proc/<pid>/stat (utime + stime, fields 14 and 15, in clock ticks):
 * on a shared machine the most stable performance figure — what the process itself spent,
 * whatever else ran meanwhile.
 */

/** Linux's USER_HZ: /proc reports times in these ticks (100 on every mainstream kernel). */
export const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU of `pid` in microseconds, or undefined if it is gone. */
export function processCpuMicros(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may contain spaces: split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return ((utime + stime) * 1_000_000) / CLOCK_TICKS_PER_SECOND;
}

/** CPU microseconds a process spent while `work` ran. */
export async function cpuDuring(pid: number, work: () => Promise<void>): Promise<number> {
  const before = processCpuMicros(pid) ?? 0;
  await work();
  return (processCpuMicros(pid) ?? before) - before;
}
