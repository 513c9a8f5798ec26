import { Command } from 'commander';
import { ConfigError, loadConfig } from '../server/load-config.ts';
import { startProxy, type RunningProxy } from '../server/proxy-server.ts';

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

/** `osproxy serve --config osproxy.yaml` (file < OSPROXY_* env < flags). */
export function serveCommand(): Command {
  return new Command('serve')
    .description('run the proxy')
    .option('--config <file>', 'YAML configuration file')
    .option('--listen <host:port>', 'listen address (overrides the config)')
    .option('--upstream <url>', 'URL of the default cluster (overrides the config)')
    .option('--log-level <level>', 'log level')
    .action(async (opts: { config?: string; listen?: string; upstream?: string; logLevel?: string }) => {
      let proxy: RunningProxy;
      try {
        const config = loadConfig({ file: opts.config, env: process.env, flags: opts });
        proxy = await startProxy(config);
      } catch (e) {
        if (e instanceof ConfigError) {
          console.error(e.message);
          process.exit(2);
        }
        throw e;
      }
      console.log(JSON.stringify({ osproxy: proxy.urls }));
      stopOnSignals(() => proxy.close());
    });
}
