import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { spawnCli } from './spawn-cli.ts';


export interface ProxyProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Resident set size of the proxy process in bytes (from /proc/<pid>/statm). */
  rss(): number;
  /** Everything the process wrote to stdout so far (its JSON logs). */
  stdout(): string;
  stop(): Promise<void>;
}

export function rssOf(pid: number): number {
  const pages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
  return pages * 4096;
}

/** Spawns `osproxy serve --config <tmp>.yaml [...args]` as a real process and waits for its address line. */
export async function spawnProxy(config: Record<string, unknown>, nodeFlags: string[] = [], env: Record<string, string> = {}, args: string[] = []): Promise<ProxyProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'osproxy-proxy-'));
  const file = join(dir, 'osproxy.yaml');
  writeFileSync(file, stringify(config));
  const { child, address, exited, stdout } = await spawnCli(['serve', '--config', file, ...args], nodeFlags, env);
  return {
    url: (address.osproxy as string[])[0],
    pid: child.pid!,
    child,
    rss: () => rssOf(child.pid!),
    stdout,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Samples a process's RSS every few ms while `work` runs; returns the peak growth over the start. */
export async function peakRssGrowth(rss: () => number, work: () => Promise<void>): Promise<number> {
  const start = rss();
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, rss());
  }, 10);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, rss());
  return peak - start;
}
