import { Command, InvalidArgumentError } from 'commander';

function intArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}

/**
 * `osproxy engine`: the embedded OpenSearch-compatible engine as its own process. A start that
 * fails (port in use, unusable data directory) is one stderr line and exit status 2. Started with
 * an IPC channel (as `osproxy dev` starts it), it also stops when its parent goes away, so that a
 * parent killed outright leaves no engine behind.
 */
export function engineCommand(): Command {
  return new Command('engine')
    .description('run the embedded OpenSearch-compatible engine (development and tests)')
    .option('--port <n>', 'port to listen on (0 = any free port)', intArg, 9201)
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--data <dir>', 'persist to this directory (write-ahead log, fsync per request)')
    .option('--shards <n>', 'default number of primary shards for new indexes', intArg, 1)
    .action(async (opts: { port: number; host: string; data?: string; shards: number }) => {
      // Loaded here so that other commands (the proxy above all) do not carry the engine's code.
      const { startEngine } = await import('../engine/engine.ts');
      let engine: Awaited<ReturnType<typeof startEngine>>;
      try {
        engine = await startEngine({ port: opts.port, host: opts.host, dataDir: opts.data, shards: opts.shards });
      } catch (e) {
        console.error(`osproxy engine: cannot start: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
        process.exit(2);
      }
      let stopping = false;
      const stop = (): void => {
        if (stopping) return;
        stopping = true;
        engine.close().then(() => process.exit(0), () => process.exit(1));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      if (process.send !== undefined) process.once('disconnect', stop);
      // One machine-readable line first, so that tests and `dev` can find the port (after the
      // handlers: whoever reads it may signal at once).
      console.log(JSON.stringify({ engine: engine.url, port: engine.port, data: opts.data ?? null }));
    });
}
