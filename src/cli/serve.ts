/** The `serve` command for the whole CLI (program.ts); the work is in serve-run.ts. */
import { Command } from 'commander';
import { serve, type ServeOptions } from './serve-run.ts';

export { exitOnStartupFailure, parseWorkers, stopOnSignals } from './serve-run.ts';

/** `osproxy serve --config osproxy.yaml` (file < OSPROXY_* env < flags). */
export function serveCommand(): Command {
  return new Command('serve')
    .description('run the proxy')
    .option('--config <file>', 'YAML configuration file')
    .option('--listen <host:port>', 'listen address (overrides the config)')
    .option('--upstream <url>', 'URL of the default cluster (overrides the config)')
    .option('--log-level <level>', 'log level')
    .option('--workers <n>', 'worker processes sharing the listeners (node:cluster); 1 = a single process', '1')
    .action((opts: ServeOptions) => serve(opts));
}
