import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

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
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'engine', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('engine did not start in 30s')), 30_000);
    child.once('exit', (code) => reject(new Error(`engine exited early with ${code}`)));
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { engine: string }).engine);
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
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
