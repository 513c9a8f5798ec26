import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
/** tsx's loader by absolute URL: `--import tsx` would be resolved from the child's working directory. */
const TSX = import.meta.resolve('tsx');

export interface SpawnedCli {
  child: ChildProcess;
  /** The first stdout line parsed as JSON (the command's address line). */
  address: Record<string, unknown>;
  exited: Promise<number | null>;
  /** Everything the process wrote to stdout so far (the address line included). */
  stdout(): string;
}

/** Runs `osproxy <args>` as a real process and waits (≤ 30 s) for its one-line JSON address. */
export async function spawnCli(args: string[], nodeFlags: string[] = [], env: Record<string, string> = {}, opts: { cwd?: string } = {}): Promise<SpawnedCli> {
  const child = spawn(process.execPath, [...nodeFlags, '--import', TSX, CLI, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env }, cwd: opts.cwd });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const lines = createInterface({ input: child.stdout! });
  const address = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`osproxy ${args[0]} did not start in 30s`)), 30_000);
    child.once('exit', (code) => reject(new Error(`osproxy ${args[0]} exited early with ${code}`)));
    // Log lines (pino JSON with a `level`) may come first; the address line is the first other one.
    const onLine = (line: string): void => {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return; // a human-readable line
      }
      if (typeof parsed !== 'object' || parsed === null || 'level' in parsed) return;
      clearTimeout(timer);
      lines.off('line', onLine);
      resolve(parsed);
    };
    lines.on('line', onLine);
  });
  return { child, address, exited, stdout: () => out };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `osproxy <args>` to completion (killed after `timeoutMs`) and returns its exit code and output. */
export function runCli(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number; cwd?: string } = {}): Promise<CliRun> {
  const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env }, cwd: opts.cwd });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}
