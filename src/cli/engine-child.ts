/**
 * The embedded engine as a child process of `osproxy dev`: this CLI's own `osproxy engine` on a
 * free port, run by the same Node with the same loader, found by the one JSON line it prints.
 * It sits in its own process group (Ctrl-C reaches dev alone, which drains the proxy before it
 * stops the engine); it is SIGKILLed if dev exits first, and it has an IPC channel, which it
 * watches: a dev process killed outright takes its engine with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** How long `stop()` waits after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 5_000;
/** How long the engine may take to print its address line. */
const START_TIMEOUT_MS = 30_000;

/** How a child process ended: `code 1` or `signal SIGKILL`. */
export type ExitHow = { code: number | null; signal: NodeJS.Signals | null };

export function describeExit(how: ExitHow): string {
  return how.signal !== null ? `signal ${how.signal}` : `code ${how.code}`;
}

export interface EngineChild {
  url: string;
  pid: number;
  /** Resolves when the engine has exited, for whatever reason. */
  exited: Promise<ExitHow>;
  /** Called once if the engine exits while `stop()` has not been called. */
  onUnexpectedExit(listener: (how: ExitHow) => void): void;
  /** SIGTERM (the engine closes cleanly; its data stays consistent), SIGKILL after a grace; resolves on exit. */
  stop(): Promise<void>;
}

/** Node flags to pass on to the child: the loader (tsx) and memory flags, not a debugger's port. */
function childNodeFlags(): string[] {
  return process.execArgv.filter((a) => !/^--(inspect|debug)/.test(a));
}

/** Starts `osproxy engine --port 0 [--data DIR]`; rejects with one line when it cannot start. */
export async function spawnEngineChild(opts: { dataDir?: string } = {}): Promise<EngineChild> {
  const entry = process.argv[1];
  const args = [...childNodeFlags(), entry, 'engine', '--port', '0', ...(opts.dataDir === undefined ? [] : ['--data', opts.dataDir])];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], detached: true });
  // Whenever this process exits first (process.exit, an uncaught error), the engine goes too;
  // killed outright, it leaves the IPC channel closed, which the engine watches.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);
  const exited = new Promise<ExitHow>((resolve) =>
    child.once('exit', (code, signal) => {
      process.off('exit', killOnExit);
      resolve({ code, signal });
    }),
  );
  // Its stderr: kept back until it has started (to report a failed start in one line), then passed on.
  let early = '';
  let started = false;
  child.stderr!.on('data', (c: Buffer) => {
    if (started) process.stderr.write(c);
    else early += c.toString('utf8');
  });
  const lines = createInterface({ input: child.stdout! });
  let url: string;
  try {
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the embedded engine did not start in ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      // 'close', not 'exit': by then its stderr has been read to the end.
      child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
        const how = { code, signal };
        clearTimeout(timer);
        const said = early.trim().split('\n').find((l) => l.trim() !== '');
        reject(new Error(`the embedded engine exited with ${describeExit(how)} before listening${said === undefined ? '' : `: ${said.replace(/^osproxy engine: (cannot start: )?/, '')}`}`));
      });
      lines.once('line', (line) => {
        clearTimeout(timer);
        try {
          resolve((JSON.parse(line) as { engine: string }).engine);
        } catch {
          reject(new Error(`the embedded engine printed an unexpected first line: ${line.slice(0, 200)}`));
        }
      });
    });
  } catch (e) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    throw e;
  }
  started = true;
  if (early !== '') process.stderr.write(early);
  lines.close();
  child.stdout!.resume(); // it prints nothing more; never let a full pipe block it

  let stopping = false;
  let unexpected: ExitHow | undefined;
  const listeners: ((how: ExitHow) => void)[] = [];
  void exited.then((how) => {
    if (stopping) return;
    unexpected = how;
    for (const l of listeners) l(how);
  });
  return {
    url,
    pid: child.pid!,
    exited,
    onUnexpectedExit(listener) {
      listeners.push(listener);
      if (unexpected !== undefined) listener(unexpected);
    },
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
