import { randomBytes } from 'node:crypto';
import { Command, InvalidArgumentError } from 'commander';
import { pino } from 'pino';
import { hashToken } from '../auth/index.ts';
import { parseConfig } from '../config/load.ts';
import { MIN_CURSOR_KEY_BYTES } from '../config/schema.ts';
import { startProxy, type RunningProxy } from '../server/proxy-server.ts';
import { devLogStream } from './dev-log.ts';
import { describeExit, spawnEngineChild, type EngineChild, type ExitHow } from './engine-child.ts';
import { exitOnStartupFailure, stopOnSignals } from './serve.ts';

/** Demo credentials for `osproxy dev` only (loopback): never use them anywhere else. */
export const DEMO_TENANTS = [
  { tenant: 'acme', token: 'acme-dev-token' },
  { tenant: 'globex', token: 'globex-dev-token' },
] as const;

function portArg(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) throw new InvalidArgumentError('must be a port number (0 = any free port)');
  return n;
}

/** The cursor key: OSPROXY_CURSOR_KEY when set and not empty (so cursors survive a restart), else a new one per run. */
function cursorKey(env: NodeJS.ProcessEnv): string {
  return env.OSPROXY_CURSOR_KEY || randomBytes(MIN_CURSOR_KEY_BYTES).toString('base64');
}

/**
 * The engine died under a running dev (killed, out of memory, a crash): say so once, in words
 * that tell what to do, and mark its cluster down at once, so that every request gets a clear
 * 503 `upstream_breaker_open` (never a hang, and without waiting for failures to add up) and
 * `/_osproxy/ready` answers degraded. The proxy keeps running; dev does not restart the engine.
 */
function engineDied(proxy: RunningProxy, engine: EngineChild, how: ExitHow, dataDir: string | undefined): void {
  const kept = dataDir === undefined ? 'its data is gone (use --data DIR to keep it)' : `its data is in ${dataDir}`;
  proxy.services.log.warn(`the embedded engine (pid ${engine.pid}) exited unexpectedly with ${describeExit(how)}: requests get 503 until osproxy dev is restarted; ${kept}`);
  for (const cluster of proxy.services.clusters.values()) cluster.breaker.trip(`the embedded engine (pid ${engine.pid}) exited with ${describeExit(how)}`);
}

/**
 * `osproxy dev` (= `npm start`): the embedded engine as a child process (`osproxy engine` on a
 * free port, stopped when dev stops) and the proxy on 127.0.0.1:9200 (`--port N`; 0 = any free
 * port) with two demo tenants, a cursor key and an operator token generated for the run. The
 * first stdout line is machine-readable (`{"osproxy":[url],"engine":url,"engine_pid":n,
 * "operator_token":…}`), then the banner; each request is one short line on the terminal.
 */
export function devCommand(): Command {
  return new Command('dev')
    .description('development mode: embedded engine + proxy with two demo tenants')
    .option('--port <n>', 'proxy port (0 = any free port)', portArg, 9200)
    .option('--data <dir>', 'persist the engine to this directory')
    .action(async (opts: { port: number; data?: string }) => {
      // From the start, so that Ctrl-C while starting stops what has started (the engine, above all).
      const started: { engine?: EngineChild; proxy?: RunningProxy } = {};
      stopOnSignals(async () => {
        console.log('osproxy dev: stopping (in-flight requests drain, then the engine stops)');
        await started.proxy?.close(2_000);
        await started.engine?.stop();
      });
      let engine: EngineChild;
      try {
        engine = await spawnEngineChild({ dataDir: opts.data });
      } catch (e) {
        exitOnStartupFailure(e);
      }
      started.engine = engine;
      const operatorToken = `dev-operator-${randomBytes(12).toString('base64url')}`;
      const debugKey = process.env.OSPROXY_DEBUG_HEADER_KEY || `dev-debug-${randomBytes(24).toString('base64url')}`;
      const tenants = Object.fromEntries(
        DEMO_TENANTS.map((d) => [d.tenant, { principals: [{ name: `${d.tenant}-demo`, token_sha256: hashToken(d.token), roles: ['read', 'write', 'manage'] }] }]),
      );
      const terminal = devLogStream(process.stdout);
      let proxy;
      try {
        const config = parseConfig({
          listeners: [{ host: '127.0.0.1', port: opts.port }],
          clusters: { default: { url: engine.url } },
          tenants,
          operators: [{ name: 'dev-operator', token_sha256: hashToken(operatorToken) }],
          tenancy: { cursor_key_b64: cursorKey(process.env) },
          observe: { debug_header_key: debugKey },
          log_level: 'info',
        });
        proxy = await startProxy(config, { log: pino({ level: 'info' }, terminal.stream) });
      } catch (e) {
        terminal.release();
        await engine.stop();
        exitOnStartupFailure(e);
      }
      const running = proxy;
      started.proxy = running;
      engine.onUnexpectedExit((how) => engineDied(running, engine, how, opts.data));
      const url = proxy.urls[0];
      console.log(JSON.stringify({ osproxy: proxy.urls, engine: engine.url, engine_pid: engine.pid, operator_token: operatorToken, debug_header_key: debugKey }));
      console.log(`osproxy dev: proxy ${url}  →  embedded engine ${engine.url} (pid ${engine.pid})   (another port: npm start -- --port N)`);
      for (const d of DEMO_TENANTS) console.log(`  tenant ${d.tenant.padEnd(7)} token ${d.token}`);
      console.log(`  operator       token ${operatorToken}   (/_osproxy/metrics, /_osproxy/explain/{request id}, /_osproxy/admin/…)`);
      console.log(`  debug key      ${debugKey}   (signs X-Debug-Directive headers: osproxy directive sign --key …)`);
      console.log(`  cursor key     ${!process.env.OSPROXY_CURSOR_KEY ? 'new for this run (set OSPROXY_CURSOR_KEY to keep scroll/PIT ids across restarts)' : 'from OSPROXY_CURSOR_KEY'}`);
      console.log('try:');
      console.log(`  curl -s -XPUT '${url}/orders/_doc/1?refresh=true' -H 'authorization: Bearer acme-dev-token' -H 'content-type: application/json' -d '{"item":"anvil","qty":2}'`);
      console.log(`  curl -s '${url}/orders/_search?pretty' -H 'authorization: Bearer acme-dev-token'`);
      console.log(`  curl -s '${url}/orders/_search?pretty' -H 'authorization: Bearer globex-dev-token'   # sees nothing of acme`);
      console.log(`  curl -s '${url}/_osproxy/metrics' -H 'authorization: Bearer ${operatorToken}' | grep osproxy_requests`);
      console.log(`  OSPROXY_URL=${url} OSPROXY_ADMIN_TOKEN=${operatorToken} npm run -s osproxy -- directive publish --id look --tenant acme --level timing --ttl 10m`);
      console.log('Ctrl-C stops both. One line per request follows:');
      terminal.release();
    });
}
