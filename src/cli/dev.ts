import { Command } from 'commander';
import { hashToken } from '../auth/index.ts';
import { parseConfig } from '../config/load.ts';
import { startProxy } from '../server/proxy-server.ts';
import { stopOnSignals } from './serve.ts';

/** Demo credentials for `osproxy dev` only (loopback): never use them anywhere else. */
export const DEMO_TENANTS = [
  { tenant: 'acme', token: 'acme-dev-token' },
  { tenant: 'globex', token: 'globex-dev-token' },
] as const;

/**
 * `osproxy dev` (= `npm start`): the embedded engine on a free port and the proxy on
 * 127.0.0.1:9200 with two demo tenants; prints their tokens and a curl to copy.
 */
export function devCommand(): Command {
  return new Command('dev')
    .description('development mode: embedded engine + proxy with two demo tenants')
    .option('--port <n>', 'proxy port', (v) => Number(v), 9200)
    .option('--data <dir>', 'persist the engine to this directory')
    .action(async (opts: { port: number; data?: string }) => {
      const { startEngine } = await import('../engine/engine.ts'); // on demand, like `engine`
      const engine = await startEngine({ port: 0, dataDir: opts.data });
      const tenants = Object.fromEntries(
        DEMO_TENANTS.map((d) => [d.tenant, { principals: [{ name: `${d.tenant}-demo`, token_sha256: hashToken(d.token), roles: ['read', 'write', 'manage'] }] }]),
      );
      const config = parseConfig({
        listeners: [{ host: '127.0.0.1', port: opts.port }],
        clusters: { default: { url: engine.url } },
        tenants,
        log_level: 'warn',
      });
      const proxy = await startProxy(config);
      const url = proxy.urls[0];
      console.log(`osproxy dev: proxy ${url}  →  embedded engine ${engine.url}`);
      for (const d of DEMO_TENANTS) console.log(`  tenant ${d.tenant.padEnd(7)} token ${d.token}`);
      console.log('try:');
      console.log(`  curl -s -XPUT '${url}/orders/_doc/1?refresh=true' -H 'authorization: Bearer acme-dev-token' -H 'content-type: application/json' -d '{"item":"anvil","qty":2}'`);
      console.log(`  curl -s '${url}/orders/_search?pretty' -H 'authorization: Bearer acme-dev-token'`);
      console.log(`  curl -s '${url}/orders/_search?pretty' -H 'authorization: Bearer globex-dev-token'   # sees nothing of acme`);
      console.log('Ctrl-C stops both.');
      stopOnSignals(async () => {
        await proxy.close(2_000);
        await engine.close();
      });
    });
}
