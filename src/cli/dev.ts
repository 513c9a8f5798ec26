import { Command } from 'commander';
import { startEngine } from '../engine/engine.ts';

/**
 * `osproxy dev` (= `npm start`). For now it runs the embedded engine and prints how to reach it;
 * the proxy with demo tenants joins it once the data plane lands.
 */
export function devCommand(): Command {
  return new Command('dev')
    .description('development mode: embedded engine (and, later, the proxy with demo tenants)')
    .option('--port <n>', 'engine port', (v) => Number(v), 9201)
    .option('--data <dir>', 'persist the engine to this directory')
    .action(async (opts: { port: number; data?: string }) => {
      const engine = await startEngine({ port: opts.port, dataDir: opts.data });
      console.log(`osproxy dev: embedded OpenSearch-compatible engine at ${engine.url}`);
      console.log(`  try: curl -s ${engine.url}/`);
      console.log(`       curl -s -XPUT ${engine.url}/movies/_doc/1?refresh=true -H 'content-type: application/json' -d '{"title":"Drive","year":2011}'`);
      console.log(`       curl -s '${engine.url}/movies/_search?q=drive&pretty'`);
      console.log('Ctrl-C stops it.');
      const stop = (): void => {
        engine.close().then(() => process.exit(0), () => process.exit(1));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
