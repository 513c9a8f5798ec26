import type { ChildProcess } from 'node:child_process';
import { spawnCli } from './spawn-cli.ts';

export interface EngineProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** SIGTERM and wait for exit (a clean shutdown). */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit (a crash). */
  kill(): Promise<void>;
}

/** Spawns `osproxy engine --port 0` as a real process and waits for its address line. */
export async function spawnEngine(args: string[] = []): Promise<EngineProcess> {
  const { child, address, exited } = await spawnCli(['engine', '--port', '0', ...args]);
  return {
    url: address.engine as string,
    pid: child.pid!,
    child,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
