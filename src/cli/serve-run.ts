/**
 * `osproxy serve`, without the CLI around it: main.ts calls it straight from argv, the commander
 * command (serve.ts) from its options. A worker, the single process and the `--workers` primary
 * each import only what they run: the primary supervises and never loads the proxy itself.
 */
import type { OsproxyConfig } from '../config/schema.ts';
import { ConfigError, loadConfig, type FlagLayer } from '../config/load.ts';
// Each role's modules are imported by that role: a single process never loads the primary's code.
import { isProxyWorker } from '../server/worker-env.ts';

/** Stops on SIGTERM/SIGINT: stop accepting, drain in-flight requests (bounded), exit. */
export function stopOnSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (): void => {
    if (stopping) process.exit(1);
    stopping = true;
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** `--workers N`: a whole number ≥ 1, else a usage error (exit 2). */
export function parseWorkers(value: string | undefined): number {
  if (value === undefined) return 1;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new ConfigError(`--workers must be a whole number ≥ 1 (got "${value}")`);
  }
  return n;
}

/**
 * A process that cannot start says why in one line and exits 2 — a configuration that cannot run
 * here (bad key, unreadable file, port in use) or anything else that failed before it listened;
 * the stack only with OSPROXY_LOG_LEVEL=debug.
 */
export function exitOnStartupFailure(e: unknown, prefix = ''): never {
  if (e instanceof ConfigError) {
    console.error(prefix + (e.message.startsWith('config: ') ? e.message : `config: ${e.message}`));
  } else {
    console.error(`${prefix}osproxy: cannot start: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    if (/^(debug|trace)$/.test(process.env.OSPROXY_LOG_LEVEL ?? '') && e instanceof Error) console.error(e.stack);
  }
  process.exit(2);
}

export interface ServeOptions extends FlagLayer {
  config?: string;
  workers?: string;
}

/** The single-process proxy (`--workers 1`, the default); SIGHUP re-reads the configuration. */
async function serveOne(config: OsproxyConfig, reload: () => OsproxyConfig): Promise<void> {
  const [{ startProxy }, { reloadOnSighup }] = await Promise.all([import('../server/proxy-server.ts'), import('../server/reconfigure.ts')]);
  const proxy = await startProxy(config);
  // Signals are handled before the address line: whoever reads it may stop the process at once.
  stopOnSignals(() => proxy.close());
  console.log(JSON.stringify({ osproxy: proxy.urls }));
  reloadOnSighup(proxy, reload);
}

/** `osproxy serve --config osproxy.yaml` (file < OSPROXY_* env < flags). */
export async function serve(opts: ServeOptions): Promise<void> {
  // A cluster worker re-runs this command line: the primary validated it already.
  const worker = isProxyWorker();
  try {
    const workers = parseWorkers(opts.workers);
    const reload = (): OsproxyConfig => loadConfig({ file: opts.config, env: process.env, flags: opts });
    const config = reload();
    if (worker) await (await import('../server/worker.ts')).runWorker(config, reload);
    else if (workers === 1) await serveOne(config, reload);
    else (await import('../server/workers.ts')).runPrimary(workers);
  } catch (e) {
    exitOnStartupFailure(e, worker ? `osproxy worker ${process.pid}: ` : '');
  }
}
