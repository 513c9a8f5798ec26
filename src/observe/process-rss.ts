import { readdirSync, readFileSync } from 'node:fs';

/*
 * Resident memory of a whole process tree (Linux /proc): a multi-worker proxy is a primary plus
 * its forked workers, so the RSS of one pid understates what it uses.
 */

/** VmRSS of one process in KiB, or undefined if it is gone (or has no memory, like a zombie). */
function rssKib(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Direct children of a process (empty if unknown), from every thread's `children` list: any thread may fork. */
export function childPids(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const tid of tasks) {
    try {
      for (const c of readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(/\s+/)) if (c !== '') out.push(Number(c));
    } catch {
      // The thread ended while we looked: it has no children left to count.
    }
  }
  return out;
}

/**
 * The summed VmRSS (KiB) of `pid` and all its descendants, or undefined when `pid` itself is
 * not readable (not Linux, or the process is gone). Descendants that vanish mid-walk count 0.
 */
export function processTreeRssKib(pid: number): number | undefined {
  return sumOverTree(pid, rssKib);
}

/**
 * `read` summed over `pid` and all its live descendants, or undefined when `pid` itself is not
 * readable; a descendant that vanishes mid-walk counts 0.
 */
export function sumOverTree(pid: number, read: (pid: number) => number | undefined): number | undefined {
  const root = read(pid);
  if (root === undefined) return undefined;
  let total = root;
  const seen = new Set([pid]);
  const queue = childPids(pid);
  while (queue.length > 0) {
    const p = queue.pop() as number;
    if (seen.has(p)) continue;
    seen.add(p);
    total += read(p) ?? 0;
    queue.push(...childPids(p));
  }
  return total;
}
