/**
 * Child processes for the benchmarks: the embedded engine and the proxy, each run through the CLI
 * as its own Node process (and the floor forwarder as a script), found by the one JSON address
 * line it prints first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../cli/main.ts', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

export interface BenchProcess {
  name: string;
  url: string;
  pid: number;
  /** SIGTERM, then SIGKILL if it has not exited in a few seconds; resolves once it has exited. */
  stop(): Promise<void>;
}

function exitPromise(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function readAddressLine(child: ChildProcess, name: string): Promise<string> {
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not print its address in ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`${name} exited early (code ${code})`)));
    // Log lines (pino JSON with a `level`) may come first; the address line is the first other one.
    const onLine = (line: string): void => {
      if (isLogLine(line)) return;
      clearTimeout(timer);
      lines.off('line', onLine);
      lines.close();
      child.stdout?.resume(); // keep draining later output so the child never blocks on a full pipe
      resolve(line);
    };
    lines.on('line', onLine);
  });
}

function isLogLine(line: string): boolean {
  try {
    const v = JSON.parse(line) as unknown;
    return typeof v === 'object' && v !== null && 'level' in v;
  } catch {
    return false;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  const exited = exitPromise(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** How to start the CLI: its TypeScript entry under tsx (default, or another checkout's `.ts`), or a bundled `main.js`. */
interface Launch {
  entry?: string;
  nodeArgs?: string[];
  /** Extra environment variables for the child. */
  env?: Record<string, string>;
}

/** Runs `node <argv>` and resolves with the URL that `pickUrl` reads from its first non-log stdout line. */
async function spawnNode(name: string, argv: string[], pickUrl: (line: unknown) => string, env: Record<string, string> = {}): Promise<BenchProcess> {
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  try {
    const url = pickUrl(JSON.parse(await readAddressLine(child, name)));
    return { name, url, pid: child.pid as number, stop: () => stopChild(child) };
  } catch (e) {
    await stopChild(child);
    throw e;
  }
}

/** Runs `osproxy <args>`. */
function spawnCli(name: string, args: string[], pickUrl: (line: unknown) => string, launch: Launch = {}): Promise<BenchProcess> {
  const ts = launch.entry === undefined || launch.entry.endsWith('.ts');
  const entry = ts ? ['--import', 'tsx', launch.entry ?? CLI] : [launch.entry as string];
  return spawnNode(name, [...(launch.nodeArgs ?? []), ...entry, ...args], pickUrl, launch.env);
}

/** Runs a script (bundled `.js` under plain node, `.ts` under tsx) that prints `{"<name>": url}` first, e.g. the floor forwarder. */
export function spawnScript(name: string, script: string, args: string[]): Promise<BenchProcess> {
  const entry = script.endsWith('.ts') ? ['--import', 'tsx', script] : [script];
  return spawnNode(name, [...entry, ...args], (line) => {
    const url = (line as Record<string, unknown>)[name];
    if (typeof url !== 'string') throw new Error(`${name} printed no "${name}" address: ${JSON.stringify(line)}`);
    return url;
  });
}

export function spawnEngine(): Promise<BenchProcess> {
  return spawnCli('engine', ['engine', '--port', '0'], (line) => (line as { engine: string }).engine);
}

export interface ProxySpawnOptions {
  /** `serve --workers N` (node:cluster); 1 = a single process. */
  workers?: number;
  /** Extra Node flags for the proxy process, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  /** A bundled CLI (`bundleCli`) to run with plain node, or a `main.ts` (e.g. another checkout's) under tsx. */
  entry?: string;
  /** Extra environment variables for the proxy process. */
  env?: Record<string, string>;
}

export function spawnProxy(configFile: string, opts: ProxySpawnOptions = {}): Promise<BenchProcess> {
  const args = ['serve', '--config', configFile, ...(opts.workers === undefined ? [] : ['--workers', String(opts.workers)])];
  return spawnCli('proxy', args, (line) => (line as { osproxy: string[] }).osproxy[0], { entry: opts.entry, nodeArgs: opts.nodeArgs, env: opts.env });
}
